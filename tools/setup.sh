#!/usr/bin/env bash
# One-time machine setup for Switchboard on Debian 12: Node dependencies, Java + Maven for the
# embedded database, Chromium for the widget's browser tests, Dovecot + Postfix for the email
# tests (tools/mail-servers runs private instances; the system ones stay stopped). Idempotent; run
# as root (or with sudo).
set -euo pipefail
cd "$(dirname "$0")/.."

need_apt=()
command -v java >/dev/null 2>&1 || need_apt+=(openjdk-17-jdk-headless)
command -v javac >/dev/null 2>&1 || need_apt+=(openjdk-17-jdk-headless)
command -v mvn >/dev/null 2>&1 || need_apt+=(maven)
[ -x /usr/bin/chromium ] || need_apt+=(chromium)
need_mail=()
[ -x /usr/sbin/dovecot ] || need_mail+=(dovecot-imapd)
[ -x /usr/lib/dovecot/lmtp ] || need_mail+=(dovecot-lmtpd)
[ -x /usr/sbin/postfix ] || need_mail+=(postfix)
SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"

# The packages' postinst would start the system daemons on ports 25/143/993; a policy-rc.d
# that answers 101 ("action forbidden") stops invoke-rc.d from starting them. Only one we
# created ourselves is removed again.
policy=/usr/sbin/policy-rc.d
own_policy=""
drop_policy() { if [ -n "$own_policy" ]; then $SUDO rm -f "$policy"; fi; }
trap drop_policy EXIT
if [ ${#need_mail[@]} -gt 0 ]; then
  need_apt+=("${need_mail[@]}")
  echo "postfix postfix/main_mailer_type select No configuration" | $SUDO debconf-set-selections
  if [ ! -e "$policy" ]; then
    printf '#!/bin/sh\nexit 101\n' | $SUDO tee "$policy" >/dev/null
    $SUDO chmod 755 "$policy"
    own_policy=1
  fi
fi

if [ ${#need_apt[@]} -gt 0 ]; then
  echo "== apt-get install ${need_apt[*]}"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${need_apt[@]}" </dev/null
fi
drop_policy; own_policy=""

# The tests start their own instances; stop system-wide ones should anything have started them.
if [ -f /run/dovecot/master.pid ] && kill -0 "$(cat /run/dovecot/master.pid)" 2>/dev/null; then
  echo "== stopping the system Dovecot"
  $SUDO doveadm stop 2>/dev/null || $SUDO kill "$(cat /run/dovecot/master.pid)" || true
fi
if [ -x /usr/sbin/postfix ] && $SUDO postfix status >/dev/null 2>&1; then
  echo "== stopping the system Postfix"
  $SUDO postfix stop >/dev/null 2>&1 || true
fi

echo "== npm ci"
npm ci --no-audit --no-fund

echo "== embedded database (mongo-java-server from Maven Central)"
bash tools/embedded-mongo/build.sh
