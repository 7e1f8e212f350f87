// ESLint 9 flat config for Switchboard. `npm run lint` runs `eslint .`.
//
// Besides the usual recommended rules, this file enforces the dependency direction of
// shared/DESIGN.md with `no-restricted-imports`:
//   channels/<kind>/  → src only; never bots/, never another channel folder
//   bots/             → src only; never channels/
//   src/              → never channels/ or bots/, except src/main.ts and src/customer-channels.ts (the composition root)
//   mongoose/mongodb  → only src/store/
//   channel SDKs      → only channels/ and bots/ (grammY, discord.js, Slack, imapflow, nodemailer)
// Those rules cover the product code (src, channels, bots); test/ and tools/ may import anything.
//
// A flat-config rule setting REPLACES an earlier setting of the same rule for the same file, so
// every folder below gets its complete list of restrictions in one place — when adding a rule,
// add it to each folder it applies to.
import { readdirSync } from 'node:fs';
import js from '@eslint/js';
import { defineConfig, globalIgnores } from 'eslint/config';
import tseslint from 'typescript-eslint';

const DESIGN = 'see shared/DESIGN.md';

// Every folder under channels/ is a channel; the list also names the planned ones so the rule
// holds before their folders exist.
const CHANNEL_KINDS = [
  ...new Set([
    'telegram',
    'discord',
    'email',
    'slack',
    'webchat',
    ...readdirSync(new URL('./channels/', import.meta.url), { withFileTypes: true })
      .filter((entry) => entry.isDirectory())
      .map((entry) => entry.name),
  ]),
];

const escapeRegex = (text) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

// Import specifiers are matched as written. Relative ones climb with one or more `../`, so the
// patterns hold at any folder depth; `./x.js` (a file of the same folder) never matches.
const NO_BOTS_FROM_CHANNELS = {
  regex: '^(\\.\\./)+bots(/|$)',
  message: `Channels must not import bots/: a channel knows its SDK and nothing about leads, deals or routing; src/main.ts wires bots to channels — ${DESIGN}.`,
};
const NO_CHANNELS_FROM_BOTS = {
  regex: '^(\\.\\./)+channels(/|$)',
  message: `Bots must not import channels/: bots work through src services and the ChannelAdapter port; only src/main.ts wires concrete adapters — ${DESIGN}.`,
};
const NO_CHANNELS_FROM_SRC = {
  regex: '^(\\.\\./)+channels(/|$)',
  message: `src/ must not import channels/: the core defines ports (src/domain) and only src/main.ts, the composition root, wires concrete adapters — ${DESIGN}.`,
};
const NO_BOTS_FROM_SRC = {
  regex: '^(\\.\\./)+bots(/|$)',
  message: `src/ must not import bots/: bots sit on top of services, not the other way round; only src/main.ts wires them in — ${DESIGN}.`,
};
const noOtherChannel = (kind) => ({
  regex: `^(\\.\\./)+(channels/)?(${CHANNEL_KINDS.filter((k) => k !== kind).map(escapeRegex).join('|')})(/|$)`,
  message: `channels/${kind} must not import another channel folder: channels know their SDK and nothing about each other; shared code belongs in src/domain — ${DESIGN}.`,
});
const DATABASE_ONLY_IN_STORE = {
  regex: '^(mongoose|mongodb)(/|$)',
  message: `Only src/store/ may import mongoose or mongodb: the rest of the code goes through the store so the database stays swappable (real MongoDB or the embedded wire server) — ${DESIGN}.`,
};
const CHANNEL_SDKS_ONLY_IN_CHANNELS_AND_BOTS = {
  regex: '^(grammy|@grammyjs/[^/]+|discord\\.js|@discordjs/[^/]+|@slack/[^/]+|imapflow|nodemailer)(/|$)',
  message: `Only channels/ (the adapters) and bots/ (the Slack and Telegram consoles) may import a channel SDK; src/ talks to channels through the ChannelAdapter port — ${DESIGN}.`,
};

const restrictImports = (...patterns) => ({ 'no-restricted-imports': ['error', { patterns }] });

const UNUSED_VARS = {
  argsIgnorePattern: '^_',
  varsIgnorePattern: '^_',
  caughtErrorsIgnorePattern: '^_',
  destructuredArrayIgnorePattern: '^_',
};

// Browser scripts are linted with ESLint's default parser and these globals. (The `globals`
// package would be the usual source, but it is not a declared dependency of this project.)
const BROWSER_GLOBALS = Object.fromEntries(
  [
    'window', 'self', 'document', 'location', 'history', 'navigator', 'screen', 'console',
    'localStorage', 'sessionStorage', 'crypto', 'performance', 'fetch', 'Headers', 'Request',
    'Response', 'FormData', 'Blob', 'File', 'FileReader', 'URL', 'URLSearchParams', 'WebSocket',
    'EventSource', 'Event', 'CustomEvent', 'EventTarget', 'KeyboardEvent', 'MouseEvent',
    'AbortController', 'AbortSignal', 'TextEncoder', 'TextDecoder', 'Node', 'Element',
    'HTMLElement', 'HTMLInputElement', 'HTMLTextAreaElement', 'HTMLFormElement',
    'HTMLButtonElement', 'DocumentFragment', 'MutationObserver', 'ResizeObserver',
    'IntersectionObserver', 'Notification', 'Audio', 'Image', 'DOMParser', 'getComputedStyle',
    'matchMedia', 'requestAnimationFrame', 'cancelAnimationFrame', 'setTimeout',
    'clearTimeout', 'setInterval', 'clearInterval', 'queueMicrotask', 'structuredClone',
    'alert', 'confirm', 'prompt', 'open', 'close', 'focus', 'blur', 'scrollTo', 'innerWidth',
    'innerHeight', 'devicePixelRatio', 'addEventListener', 'removeEventListener',
    'dispatchEvent', 'postMessage', 'parent', 'top', 'opener', 'frames', 'visualViewport',
  ].map((name) => [name, 'readonly']),
);
const NODE_GLOBALS = Object.fromEntries(
  [
    'process', 'Buffer', 'console', 'URL', 'URLSearchParams', 'setTimeout', 'clearTimeout',
    'setInterval', 'clearInterval', 'setImmediate', 'clearImmediate', 'queueMicrotask',
    'structuredClone', 'TextEncoder', 'TextDecoder', 'AbortController', 'AbortSignal', 'fetch',
    'performance',
  ].map((name) => [name, 'readonly']),
);

const BROWSER_SCRIPTS = ['channels/*/public/**/*.js'];

export default defineConfig([
  globalIgnores([
    '**/node_modules/',
    'data/',
    'coverage/',
    'test-results/',
    'tools/embedded-mongo/target/',
  ]),

  // ---- language and recommended rules ----
  {
    name: 'switchboard/typescript',
    files: ['**/*.{ts,mts,cts}'],
    extends: [js.configs.recommended, tseslint.configs.recommended],
    rules: {
      'no-unused-vars': 'off',
      '@typescript-eslint/no-unused-vars': ['error', UNUSED_VARS],
    },
  },
  {
    name: 'switchboard/javascript',
    files: ['**/*.{js,mjs,cjs}'],
    extends: [js.configs.recommended],
    languageOptions: { ecmaVersion: 2023, sourceType: 'module', globals: NODE_GLOBALS },
    rules: { 'no-unused-vars': ['error', UNUSED_VARS] },
  },
  {
    // The web chat widget: a plain browser <script>, served as-is, no modules, no Node.
    name: 'switchboard/browser-scripts',
    files: BROWSER_SCRIPTS,
    languageOptions: { ecmaVersion: 2019, sourceType: 'script', globals: BROWSER_GLOBALS },
  },

  // ---- logging: pino is the logger of the product code ----
  {
    name: 'switchboard/no-console',
    files: ['{src,channels,bots}/**/*.{ts,mts,cts,js,mjs,cjs}'],
    rules: { 'no-console': 'error' },
  },
  {
    // No pino in a visitor's browser: the widget may report misconfiguration on the console.
    name: 'switchboard/no-console/browser-scripts',
    files: BROWSER_SCRIPTS,
    rules: { 'no-console': ['error', { allow: ['warn', 'error'] }] },
  },
  {
    name: 'switchboard/console-allowed',
    files: ['test/**', 'tools/**'],
    rules: { 'no-console': 'off' },
  },
  {
    // Tests read untyped JSON response bodies; typing each one would only restate the assertion.
    name: 'switchboard/tests-read-json',
    files: ['test/**'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },

  // ---- architecture (shared/DESIGN.md) — later entries override earlier ones per file ----
  {
    name: 'switchboard/architecture/src',
    files: ['src/**/*.{ts,mts,cts,js,mjs,cjs}'],
    rules: restrictImports(
      NO_CHANNELS_FROM_SRC,
      NO_BOTS_FROM_SRC,
      DATABASE_ONLY_IN_STORE,
      CHANNEL_SDKS_ONLY_IN_CHANNELS_AND_BOTS,
    ),
  },
  {
    name: 'switchboard/architecture/src-store',
    files: ['src/store/**/*.{ts,mts,cts,js,mjs,cjs}'],
    rules: restrictImports(NO_CHANNELS_FROM_SRC, NO_BOTS_FROM_SRC, CHANNEL_SDKS_ONLY_IN_CHANNELS_AND_BOTS),
  },
  {
    name: 'switchboard/architecture/composition-root',
    files: ['src/main.ts', 'src/customer-channels.ts'],
    rules: restrictImports(DATABASE_ONLY_IN_STORE, CHANNEL_SDKS_ONLY_IN_CHANNELS_AND_BOTS),
  },
  {
    // Files directly in channels/ (not in a channel folder).
    name: 'switchboard/architecture/channels-root',
    files: ['channels/*.{ts,mts,cts,js,mjs,cjs}'],
    rules: restrictImports(NO_BOTS_FROM_CHANNELS, DATABASE_ONLY_IN_STORE),
  },
  ...CHANNEL_KINDS.map((kind) => ({
    name: `switchboard/architecture/channels-${kind}`,
    files: [`channels/${kind}/**/*.{ts,mts,cts,js,mjs,cjs}`],
    rules: restrictImports(NO_BOTS_FROM_CHANNELS, noOtherChannel(kind), DATABASE_ONLY_IN_STORE),
  })),
  {
    name: 'switchboard/architecture/bots',
    files: ['bots/**/*.{ts,mts,cts,js,mjs,cjs}'],
    rules: restrictImports(NO_CHANNELS_FROM_BOTS, DATABASE_ONLY_IN_STORE),
  },
]);
