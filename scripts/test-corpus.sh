#!/usr/bin/env bash
# `npm run test:corpus`: the real-world workbooks through the reader and the ingest. They sit
# beside the repository (../shared/realworld-xlsx) or where REALWORLD_XLSX_DIR points, never in
# it; without them this command refuses rather than pass on nothing.
set -euo pipefail
cd "$(dirname "$0")/.."
corpus="${REALWORLD_XLSX_DIR:-../shared/realworld-xlsx}"
if [ ! -d "$corpus/files" ] || [ -z "$(ls -A "$corpus/files" 2>/dev/null)" ]; then
  echo "test:corpus needs the real-world workbooks, and $corpus/files is missing or empty." >&2
  echo "They come from other projects and cannot be committed: put the realworld-xlsx folder beside the" >&2
  echo "repository (../shared/realworld-xlsx), or set REALWORLD_XLSX_DIR to it. npm test does not need them." >&2
  exit 2
fi
export REALWORLD_XLSX_DIR="$(cd "$corpus" && pwd)"
exec npx vitest run --config vitest.corpus.config.ts "$@"
