#!/usr/bin/env bash
# The long versions of Sett's reliability suites (issue 6; the README's "Reliability" section).
# CI (.ci/run) runs the short versions with -Preliability after the plain verify; this runs them at
# full size:
#
#   scripts/reliability.sh            every suite at the long size, then 1 hour of fuzzing per target
#   scripts/reliability.sh suites     only the suites (kill -9, crash points, power loss, I/O errors,
#                                     byte flips, truncation, Lincheck, bank test, disk full)
#   scripts/reliability.sh fuzz [S]   only the fuzzing, S seconds per target (default 3600)
#
# Hours of work on a 2-core machine: run it on an idle one. The figures each suite reached are
# appended to store-core/target/reliability-figures.md (one table row per suite run).
set -euo pipefail
cd "$(dirname "$0")/.."

what=${1:-all}
fuzz_seconds=${2:-3600}
figures=store-core/target/reliability-figures.md

case "$what" in
  all|suites|fuzz) ;;
  *) echo "usage: $0 [all|suites|fuzz [seconds per target]]" >&2; exit 2 ;;
esac

if [ "$what" = all ] || [ "$what" = suites ]; then
  echo "== reliability suites, long size (started $(date -u +%FT%TZ))"
  ./mvnw -B -pl store-api,store-core verify -Preliability -Dsett.reliability=long
fi
if [ "$what" = all ] || [ "$what" = fuzz ]; then
  echo "== fuzzing, ${fuzz_seconds} s per target (started $(date -u +%FT%TZ))"
  ./mvnw -B -pl store-api,store-core -Pfuzz test -Dsett.fuzz.seconds="$fuzz_seconds"
fi
echo "== figures reached: $figures"
cat "$figures" 2>/dev/null || echo "(none recorded)"
