#!/usr/bin/env bash
# Builds the embedded MongoDB launcher (tools/embedded-mongo/target/{classes,lib}); safe to re-run.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"
if ! command -v mvn >/dev/null || ! command -v javac >/dev/null; then
  echo "Maven and a JDK 17 are required (apt-get install maven openjdk-17-jdk-headless)" >&2
  exit 1
fi
started="$(date +%s.%N)"
mvn -q -B package
touch -d "@${started}" target/build.stamp
