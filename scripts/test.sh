#!/usr/bin/env bash
# `npm test`: the prerequisites, then the two vitest projects side by side with both type checks
# beside them. The walks through the portal (e2e) run one after another in a vitest of their own,
# its report printed when both are done; the unit, integration and infra files (node) four at a
# time in the other. The machine has two cores and the run is short of CPU: five walks side by
# side cost Chromium more CPU for the same pages, and one after another they still end before the
# node files. The type checks run at low priority, on one thread (as fast on this machine, on
# about half the CPU); any of the four failing fails the run. With arguments (a file, a filter)
# it is one vitest with them.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/check-prereqs.sh
logs=$(mktemp -d)
nice -n 10 npx tsc --noEmit --singleThreaded >"$logs/project" 2>&1 &
project=$!
nice -n 10 npx tsc --noEmit -p portal --singleThreaded >"$logs/portal" 2>&1 &
portal=$!
walks=
trap 'kill $project $portal $walks 2>/dev/null || true; rm -rf "$logs"' EXIT
failed=0
if [ $# -eq 0 ]; then
  npx vitest run --project e2e >"$logs/walks" 2>&1 &
  walks=$!
  npx vitest run --project node || failed=1
  wait "$walks" || failed=1
  echo
  echo "The walks through the portal (vitest --project e2e, run beside the above):"
  cat "$logs/walks"
else
  npx vitest run "$@" || failed=1
fi
wait "$project" || { echo "tsc --noEmit:"; cat "$logs/project"; failed=1; }
wait "$portal" || { echo "tsc --noEmit -p portal:"; cat "$logs/portal"; failed=1; }
exit "$failed"
