#!/usr/bin/env bash
# What the tests need beyond npm packages: Java 17+ for DynamoDB Local, and LibreOffice Calc
# for the test that opens every generated workbook (installed here when missing; skipped without).
set -euo pipefail
if ! command -v java >/dev/null 2>&1; then
  echo "Java is missing: DynamoDB Local (the embedded database) needs Java 17 or newer." >&2
  echo "On Debian/Ubuntu: apt-get install -y openjdk-17-jre-headless" >&2
  exit 1
fi
version=$(java -version 2>&1 | sed -n 's/.*version "\([0-9]*\).*/\1/p' | head -1)
if [ -z "$version" ] || [ "$version" -lt 17 ]; then
  echo "Java ${version:-?} found; DynamoDB Local needs Java 17 or newer." >&2
  exit 1
fi
if ! command -v soffice >/dev/null 2>&1 || ! command -v ssconvert >/dev/null 2>&1; then
  bash "$(dirname "$0")/install-libreoffice.sh" ||
    echo "LibreOffice Calc or Gnumeric could not be installed; test/integration/libreoffice.int.test.ts and the saved-by-other-programs cases of test/unit/app/dealer-workbooks.test.ts will be skipped" >&2
fi
