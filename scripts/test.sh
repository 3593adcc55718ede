#!/usr/bin/env bash
# `npm test`: the prerequisites, then both type checks side by side (each uses one core), then
# every vitest project. Arguments go to vitest.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/check-prereqs.sh
logs=$(mktemp -d)
trap 'rm -rf "$logs"' EXIT
npx tsc --noEmit >"$logs/project" 2>&1 &
project=$!
npx tsc --noEmit -p portal >"$logs/portal" 2>&1 &
portal=$!
failed=0
wait "$project" || { echo "tsc --noEmit:"; cat "$logs/project"; failed=1; }
wait "$portal" || { echo "tsc --noEmit -p portal:"; cat "$logs/portal"; failed=1; }
[ "$failed" -eq 0 ] || exit 1
exec npx vitest run "$@"
