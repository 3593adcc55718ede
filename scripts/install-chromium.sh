#!/usr/bin/env bash
# The end-to-end tests drive Debian's Chromium with playwright-core (no browser download).
set -euo pipefail
if [ -x /usr/bin/chromium ]; then exit 0; fi
if [ "$(id -u)" -ne 0 ]; then
  echo "Chromium is missing: run as root  apt-get install -y chromium  (or: sudo bash scripts/install-chromium.sh)" >&2
  exit 1
fi
export DEBIAN_FRONTEND=noninteractive
apt-get install -y --no-install-recommends chromium >/dev/null || { apt-get update >/dev/null && apt-get install -y --no-install-recommends chromium >/dev/null; }
/usr/bin/chromium --version
