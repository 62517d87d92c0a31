#!/usr/bin/env bash
# Installs the Debian packages the end-to-end tests drive for real (Prometheus, Alertmanager,
# Chromium), when they are missing. Runs before `npm test`, so the README's one test command
# works on a fresh Debian machine. Needs root or sudo only when something is missing.
set -euo pipefail

need=()
command -v promtool >/dev/null 2>&1 && command -v prometheus >/dev/null 2>&1 || need+=(prometheus)
command -v prometheus-alertmanager >/dev/null 2>&1 || command -v alertmanager >/dev/null 2>&1 || need+=(prometheus-alertmanager)
[ -x /usr/bin/chromium ] || need+=(chromium)
[ ${#need[@]} -eq 0 ] && exit 0

if ! command -v apt-get >/dev/null 2>&1; then
  echo "alivpn-doctor tests need: ${need[*]} (Debian package names); install them and run again." >&2
  exit 1
fi
SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null 2>&1 || { echo "tests need Debian packages ${need[*]}: run as root or install them" >&2; exit 1; }
  SUDO="sudo"
fi
echo "Installing Debian packages for the end-to-end tests: ${need[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
# --no-install-recommends keeps the Prometheus packages from starting extra exporters.
$SUDO apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
# Debian starts the services it installs; the tests start their own on loopback ports.
for svc in prometheus prometheus-alertmanager; do
  if command -v systemctl >/dev/null 2>&1; then $SUDO systemctl stop "$svc" >/dev/null 2>&1 || true; fi
  $SUDO pkill -x "$svc" >/dev/null 2>&1 || true
done
