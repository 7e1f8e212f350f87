#!/usr/bin/env bash
# One-time machine setup for Switchboard on Debian 12: Node dependencies, Java + Maven for the
# embedded database, Chromium for the widget's browser tests. Idempotent; run as root (or with sudo).
set -euo pipefail
cd "$(dirname "$0")/.."

need_apt=()
command -v java >/dev/null 2>&1 || need_apt+=(openjdk-17-jdk-headless)
command -v javac >/dev/null 2>&1 || need_apt+=(openjdk-17-jdk-headless)
command -v mvn >/dev/null 2>&1 || need_apt+=(maven)
[ -x /usr/bin/chromium ] || need_apt+=(chromium)
if [ ${#need_apt[@]} -gt 0 ]; then
  echo "== apt-get install ${need_apt[*]}"
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${need_apt[@]}"
fi

echo "== npm ci"
npm ci --no-audit --no-fund

echo "== embedded database (mongo-java-server from Maven Central)"
bash tools/embedded-mongo/build.sh
