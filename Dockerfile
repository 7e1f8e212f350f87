# Switchboard, production-like image (see docker-compose.yml, which runs it next to MongoDB 7).
#
# The app runs from TypeScript sources with tsx (a runtime dependency), so there is no build step.
# The image has no Java: MONGODB_URI must point at a MongoDB server — without it the app would
# try to start the embedded database (tools/embedded-mongo), which needs a JDK and Maven.
FROM node:20-bookworm-slim

ENV NODE_ENV=production \
    NPM_CONFIG_UPDATE_NOTIFIER=false \
    NPM_CONFIG_FUND=false \
    NPM_CONFIG_AUDIT=false

WORKDIR /app

# Dependencies first, so source edits do not reinstall them.
COPY package.json package-lock.json ./
RUN npm ci --omit=dev && npm cache clean --force

# The rest of the build context: .dockerignore lets in only tsconfig.json, src/, channels/,
# bots/, config/ and tools/ (without tools/embedded-mongo/target). One COPY instead of one per
# folder because git keeps no empty folders, and a COPY of a missing bots/ would fail the build.
COPY . .

# DATA_DIR: the admin token generated when ADMIN_TOKEN is unset. A named volume mounted here
# starts out owned by node (Docker copies the folder's ownership into an empty volume).
RUN mkdir -p /app/data && chown node:node /app/data

USER node

ENV HOST=0.0.0.0 \
    PORT=3000 \
    DATA_DIR=/app/data

EXPOSE 3000

# Liveness: /health answers as soon as the HTTP server listens (/ready also checks the database).
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 3000) + '/health').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]

# What `npm start` runs (tsx src/main.ts), minus npm and sh: under `npm start` a SIGTERM from
# `docker stop` ends npm and its sh, while tsx and the app are never told and are killed later,
# so the app's graceful shutdown (close HTTP, stop agenda and release its job locks, close the
# store) never runs. Started like this, node is the process that receives SIGTERM.
CMD ["node", "--import", "tsx", "src/main.ts"]
