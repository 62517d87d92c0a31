#!/usr/bin/env bash
# Installs the Debian packages the tests drive for real when they are missing: Prometheus,
# Alertmanager, Chromium, and strongSwan with the tools of its lab (src/lab/README.md). Runs
# before `npm test`, so the README's one test command works on a fresh Debian machine. Needs root
# or sudo only when something is missing.
#
# Debian starts the services it installs; the tests start their own. This script keeps the ones
# it installs from starting (policy-rc.d for the length of the install) and stops only those:
# a Prometheus, Alertmanager or strongSwan the machine already runs is left alone.
#
# Test hooks (test/scripts/system-deps.test.ts): ALIVPN_IPSEC_DIR, ALIVPN_CHROMIUM and
# ALIVPN_POLICY_RC_D replace /usr/lib/ipsec, /usr/bin/chromium and /usr/sbin/policy-rc.d.
set -euo pipefail

have() { command -v "$1" >/dev/null 2>&1; }
ipsec="${ALIVPN_IPSEC_DIR:-/usr/lib/ipsec}"

need=()
{ have promtool && have prometheus; } || need+=(prometheus)
have prometheus-alertmanager || have alertmanager || need+=(prometheus-alertmanager)
[ -x "${ALIVPN_CHROMIUM:-/usr/bin/chromium}" ] || need+=(chromium)
[ -x "$ipsec/charon" ] || need+=(strongswan-charon)
have swanctl || need+=(strongswan-swanctl)
[ -e "$ipsec/plugins/libstrongswan-openssl.so" ] || need+=(libstrongswan-standard-plugins)
[ -e "$ipsec/plugins/libstrongswan-kernel-libipsec.so" ] || need+=(libcharon-extra-plugins)
[ -e "$ipsec/plugins/libstrongswan-curve25519.so" ] || need+=(libstrongswan-extra-plugins)
have ip || need+=(iproute2)
have iptables || need+=(iptables)
[ ${#need[@]} -eq 0 ] && exit 0

if ! have apt-get; then
  echo "alivpn-doctor tests need: ${need[*]} (Debian package names); install them and run again." >&2
  exit 1
fi
SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  have sudo || { echo "tests need Debian packages ${need[*]}: run as root or install them" >&2; exit 1; }
  SUDO="sudo"
fi

# Packages whose installation starts a service, with the unit it starts.
declare -A unit_of=(
  [prometheus]=prometheus.service
  [prometheus-alertmanager]=prometheus-alertmanager.service
  [strongswan-starter]=strongswan-starter.service
)
installed() { [ "$(dpkg-query -W -f='${Status}' "$1" 2>/dev/null || true)" = "install ok installed" ]; }
new_services=()
for pkg in "${!unit_of[@]}"; do installed "$pkg" || new_services+=("$pkg"); done

# Processes already running under the service users are the machine's own, never ours to stop.
declare -A before=()
for user in prometheus; do
  for pid in $(pgrep -u "$user" 2>/dev/null || true); do before[$pid]=1; done
done

# invoke-rc.d (and deb-systemd-invoke) ask policy-rc.d whether to start a service: 101 = no.
policy="${ALIVPN_POLICY_RC_D:-/usr/sbin/policy-rc.d}"
created_policy=""
if [ ! -e "$policy" ]; then
  printf '#!/bin/sh\n# alivpn-doctor scripts/system-deps.sh: no service starts during its install\nexit 101\n' |
    $SUDO tee "$policy" >/dev/null
  $SUDO chmod 755 "$policy"
  created_policy=1
fi
cleanup() { if [ -n "$created_policy" ]; then $SUDO rm -f "$policy"; fi; }
trap cleanup EXIT

echo "Installing Debian packages for the tests: ${need[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
# --no-install-recommends keeps the Prometheus packages from starting extra exporters.
$SUDO apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null

# Belt and braces: a unit of a package this run installed that started anyway is stopped, and so
# is a process of its service user that was not there before (init scripts without systemd).
for pkg in "${new_services[@]}"; do
  installed "$pkg" || continue
  if have systemctl && [ -d /run/systemd/system ]; then
    $SUDO systemctl stop "${unit_of[$pkg]}" >/dev/null 2>&1 || true
  fi
  if [ "$pkg" = prometheus ] || [ "$pkg" = prometheus-alertmanager ]; then
    for pid in $(pgrep -u prometheus 2>/dev/null || true); do
      [ -n "${before[$pid]:-}" ] || $SUDO kill "$pid" 2>/dev/null || true
    done
  fi
done
