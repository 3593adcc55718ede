#!/usr/bin/env bash
# `npm test`: the prerequisites, then both type checks in the background while every vitest
# project runs (the tests spend their first seconds starting servers and browsers, when the CPU
# has room); a type error fails the run after the tests, with its compiler output. Arguments go
# to vitest.
set -uo pipefail
cd "$(dirname "$0")/.."
bash scripts/check-prereqs.sh || exit 1
logs=$(mktemp -d)
trap 'rm -rf "$logs"' EXIT
npx tsc --noEmit >"$logs/project" 2>&1 &
project=$!
npx tsc --noEmit -p portal >"$logs/portal" 2>&1 &
portal=$!
npx vitest run "$@"
status=$?
wait "$project" || { echo "tsc --noEmit failed:"; cat "$logs/project"; status=1; }
wait "$portal" || { echo "tsc --noEmit -p portal failed:"; cat "$logs/portal"; status=1; }
exit "$status"
