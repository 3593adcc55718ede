#!/usr/bin/env bash
# LibreOffice Calc, headless, for the test that opens every generated workbook the way a
# clerk's office suite would, and Gnumeric's ssconvert, for the tests that read reports
# saved by both programs as dealers save them. Debian/Ubuntu packages only; nothing happens
# when soffice and ssconvert are already on the PATH. Needs root (or sudo) for apt-get.
set -euo pipefail
if command -v soffice >/dev/null 2>&1 && command -v ssconvert >/dev/null 2>&1; then
  exit 0
fi
if ! command -v apt-get >/dev/null 2>&1; then
  echo "soffice is missing and this is not a Debian-based system: install LibreOffice Calc yourself to run the LibreOffice test" >&2
  exit 1
fi
sudo_=""
if [ "$(id -u)" -ne 0 ]; then sudo_="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
started=$(date +%s)
# The package lists are refreshed only when apt has none yet (a fresh container).
if ! compgen -G "/var/lib/apt/lists/*_Packages*" >/dev/null; then $sudo_ apt-get update -qq; fi
$sudo_ apt-get install -y -qq --no-install-recommends libreoffice-calc-nogui gnumeric >/dev/null
echo "LibreOffice Calc and Gnumeric installed in $(( $(date +%s) - started )) s: $(soffice --version 2>/dev/null | head -1); $(ssconvert --version 2>/dev/null | head -1)" >&2
