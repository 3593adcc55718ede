#!/usr/bin/env bash
# The end-to-end tests drive Debian's Chromium with playwright-core (no browser download): its
# headless shell, the same engine without the desktop browser's user interface, which costs the
# suite about a third less CPU (bench/README.md), and a Chinese font so that the portal's
# screenshots show Chinese, not boxes. Without root, a desktop `chromium` already installed serves.
set -euo pipefail
shell=/usr/lib/chromium/chromium-headless-shell
packages=()
[ -x "$shell" ] || packages+=(chromium-headless-shell)
[ -e /usr/share/fonts/truetype/wqy/wqy-zenhei.ttc ] || packages+=(fonts-wqy-zenhei)
if [ ${#packages[@]} -eq 0 ]; then exit 0; fi
if [ "$(id -u)" -ne 0 ]; then
  echo "Missing for the portal tests: ${packages[*]}. Run as root  apt-get install -y ${packages[*]}  (or: sudo bash scripts/install-chromium.sh)" >&2
  [ -x "$shell" ] || [ -x /usr/bin/chromium ] && exit 0
  exit 1
fi
export DEBIAN_FRONTEND=noninteractive
apt-get install -y --no-install-recommends "${packages[@]}" >/dev/null || { apt-get update >/dev/null && apt-get install -y --no-install-recommends "${packages[@]}" >/dev/null; }
"$shell" --version
