#!/usr/bin/env bash
# `npm test`: the prerequisites, then every vitest project with both type checks beside it. The
# type checks run at low priority while vitest's files wait on servers and the browser, rather
# than hold both cores for half a minute before the first test; either failing fails the run.
# They check on one thread: as fast on this machine (8.5 s for the project, 1.8 s for the
# portal), for 9.7 s of CPU and 2.0 s where four checkers each resolving the same
# libraries took 15.5 s and 4.0 s, CPU the tests beside them need. Arguments go to vitest.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/check-prereqs.sh
logs=$(mktemp -d)
nice -n 10 npx tsc --noEmit --singleThreaded >"$logs/project" 2>&1 &
project=$!
nice -n 10 npx tsc --noEmit -p portal --singleThreaded >"$logs/portal" 2>&1 &
portal=$!
trap 'kill "$project" "$portal" 2>/dev/null || true; rm -rf "$logs"' EXIT
failed=0
npx vitest run "$@" || failed=1
wait "$project" || { echo "tsc --noEmit:"; cat "$logs/project"; failed=1; }
wait "$portal" || { echo "tsc --noEmit -p portal:"; cat "$logs/portal"; failed=1; }
exit "$failed"
