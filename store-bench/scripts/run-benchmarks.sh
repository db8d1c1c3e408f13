#!/usr/bin/env bash
# Runs Sett's JMH benchmarks and writes raw JMH JSON plus a generated report.
#
#   store-bench/scripts/run-benchmarks.sh [quick|standard|full|smoke]
#
#   quick  (default) a subset at short iterations, 1 fork: about 15 minutes on 2 cores
#   standard  the same subset, 2 forks x 3 x 1 s: about 50 minutes; what the README's Results show
#   full   every benchmark and parameter at the classes' own settings, 2 forks: about an hour
#   smoke  one 200 ms iteration of a few benchmarks, for CI: well under 2 minutes; fails on any
#          benchmark error and checks that the report can be generated
#
# Every profile also runs issue 11's measurements that are not JMH benchmarks (plain
# programs writing JMH-shaped JSON): a big store's bulk load, index memory and open time from a
# fresh JVM after a crash and after a clean close (10M keys in standard and full, 1M in quick:
# about 6 minutes at 10M today), a one-key store's disk use, and 64 KiB reads in a plain loop;
# smoke runs them at a toy size (20,000 keys), so that they cannot rot either (about 15 s; the new
# JMH classes stay out of smoke: each fork costs 10-25 s here, and they share Peers' and BenchData's
# code with benchmarks smoke does run).
#
# Output: store-bench/results/<date>/ (or $RESULTS_DIR; smoke: store-bench/target/bench-smoke/):
#   NN-<group>.json       raw JMH results (-rf json), one file per JMH run or plain program
#   NN-<group>.log        JMH's (or the program's) console output for that run
#   run-info.properties   date, profile, command, machine, load average
#   report.md, report.svg the report and its chart (dev.sett.bench.report.ReportMain)
# The report can be regenerated from the JSON at any time:
#   java -cp store-bench/target/benchmarks.jar dev.sett.bench.report.ReportMain <dir>
#
# Environment: JAVA (default: java on PATH), RESULTS_DIR, JMH_EXTRA (more JMH options for every run).
# The benchmark jar is built first if it is missing. Runs from any directory.
set -euo pipefail

profile="${1:-quick}"
case "$profile" in
  quick|standard|full|smoke) ;;
  -h|--help) sed -n '2,28p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
  *) echo "usage: $0 [quick|standard|full|smoke]" >&2; exit 2 ;;
esac

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"
java="${JAVA:-java}"
jar="store-bench/target/benchmarks.jar"
if [[ ! -f "$jar" ]]; then
  echo "== $jar is missing: building it (./mvnw -B -q install -DskipTests -pl store-bench -am)"
  ./mvnw -B -q install -DskipTests -pl store-bench -am
fi

if [[ -n "${RESULTS_DIR:-}" ]]; then
  out="$RESULTS_DIR"
elif [[ "$profile" == smoke ]]; then
  out="store-bench/target/bench-smoke"
  rm -rf "$out"
else
  out="store-bench/results/$(date -u +%F)"
  [[ -e "$out" ]] && out="store-bench/results/$(date -u +%F-%H%M%S)"
fi
mkdir -p "$out"

loadavg() { cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || uptime | sed 's/.*average: //'; }
cpu="$(grep -m1 'model name' /proc/cpuinfo 2>/dev/null | sed 's/.*: //' || uname -m)"
mem_gib="$(awk '/MemTotal/ {printf "%.0f", $2 / 1048576}' /proc/meminfo 2>/dev/null || echo '?')"
load_start="$(loadavg)"
started="$(date -u '+%Y-%m-%d %H:%M UTC')"
t0=$SECONDS

# Every run: JSON results, fail-on-error, allocation figures. Per profile: forks and iteration times.
common=(-foe true -prof gc)
case "$profile" in
  quick) timing=(-f 1 -wi 2 -w 300ms -i 3 -r 300ms); always_timing=(-f 1 -wi 1 -w 300ms -i 3 -r 300ms)
         profile_desc="quick: 1 fork, 2 × 300 ms warm-up, 3 × 300 ms measured, a subset of benchmarks and sizes" ;;
  standard) timing=(-f 2 -wi 2 -w 1s -i 3 -r 1s); always_timing=(-f 2 -wi 1 -w 500ms -i 3 -r 500ms)
         profile_desc="standard: 2 forks, 2 × 1 s warm-up, 3 × 1 s measured, the quick subset of benchmarks and sizes" ;;
  full)  timing=(-f 2); always_timing=(-f 2 -w 500ms -r 500ms)
         profile_desc="full: 2 forks, each class's own iterations (mostly 5 × 1 s warm-up, 5 × 1 s measured), every benchmark" ;;
  smoke) timing=(-f 1 -wi 0 -i 1 -r 200ms); always_timing=("${timing[@]}")
         profile_desc="smoke: 1 fork, no warm-up, 1 × 200 ms: checks that the benchmarks run, measures nothing" ;;
esac

failed=()
run=0
# jmh NAME ARGS...: one JMH run into $out/NN-NAME.json and .log
jmh() {
  local name="$1"; shift
  run=$((run + 1))
  local base
  base="$(printf '%s/%02d-%s' "$out" "$run" "$name")"
  echo "== [$((SECONDS - t0))s] $name: $*"
  # shellcheck disable=SC2086
  if ! "$java" -jar "$jar" "$@" ${JMH_EXTRA:-} -rf json -rff "$base.json" > "$base.log" 2>&1; then
    echo "!! $name failed; see $base.log" >&2
    tail -n 20 "$base.log" >&2 || true
    failed+=("$name")
    [[ "$profile" == smoke ]] && return 1
  fi
  grep -E '^(Benchmark|[A-Z][A-Za-z]+Benchmark\.[A-Za-z0-9]+ )' "$base.log" | grep -v ':·' || true
}

# What every JVM that opens a Sett store needs (dev.sett.bench.BenchJvm, the parent POM's sett.jvm.flags);
# JMH forks get them from @Fork, the plain programs below from here.
sett_flags=(--add-opens=java.base/java.lang.reflect=ALL-UNNAMED --add-exports=java.base/sun.nio.ch=ALL-UNNAMED
  --add-exports=java.base/jdk.internal.ref=ALL-UNNAMED --enable-native-access=ALL-UNNAMED
  -XX:+IgnoreUnrecognizedVMOptions --sun-misc-unsafe-memory-access=allow -Ddisable.perf.info=true)
# measure NAME CLASS ARGS...: one plain program dev.sett.bench.CLASS into $out/NN-NAME.json and .log
measure() {
  local name="$1" cls="$2"; shift 2
  run=$((run + 1))
  local base
  base="$(printf '%s/%02d-%s' "$out" "$run" "$name")"
  echo "== [$((SECONDS - t0))s] $name: $cls $*"
  if ! "$java" "${sett_flags[@]}" -Xmx2g -cp "$jar" "dev.sett.bench.$cls" "$base.json" "$@" > "$base.log" 2>&1; then
    echo "!! $name failed; see $base.log" >&2
    tail -n 20 "$base.log" >&2 || true
    failed+=("$name")
    [[ "$profile" == smoke ]] && return 1
  fi
  grep -E '^ {3}' "$base.log" || true
}

case "$profile" in
  smoke)
    jmh smoke "${common[@]}" "${timing[@]}" -p valueSize=128 -p sync=NONE \
      'ZeroCopyEssayBenchmark.copy64k$|ValueReadBenchmark.(copyGet|callbackReadLong)$|\.WriteBenchmark\.put$|ScanBenchmark.forwardKeys$|PeerReadBenchmark.(settReadLong|lmdbGet|rocksGet|mvstoreGet)$'
    measure big-store BigStoreMeasurement 20000
    measure disk-use DiskUseMeasurement
    measure plain-loop PlainLoopReads 0.1 1
    ;;
  quick|standard)
    jmh essay "${common[@]}" "${timing[@]}" ZeroCopyEssayBenchmark
    jmh value-read "${common[@]}" "${timing[@]}" 'ValueReadBenchmark.(copyGet|snapshotView|callbackReadLong)$'
    jmh value-read-sum "${common[@]}" "${timing[@]}" -p valueSize=128,65536 \
      'ValueReadBenchmark.(copyGetSumLongs|callbackSumLongs)$'
    jmh peer-read-1t "${common[@]}" "${timing[@]}" PeerReadBenchmark
    jmh peer-read-2t "${common[@]}" "${timing[@]}" -t 2 'PeerReadBenchmark.(settReadLong|settSnapshotView|lmdbGet|rocksGet|mvstoreGet)$'
    jmh peer-write "${common[@]}" "${timing[@]}" PeerWriteBenchmark
    jmh write-none "${common[@]}" "${timing[@]}" -p sync=NONE -p valueSize=128,4096 '\.WriteBenchmark\.'
    jmh write-always "${common[@]}" "${always_timing[@]}" -p sync=ALWAYS -p valueSize=128,4096 '\.WriteBenchmark\.'
    jmh scan "${common[@]}" "${timing[@]}" '\.ScanBenchmark\.'  # not PeerScanBenchmark: it has its own run
    jmh threaded "${common[@]}" "${timing[@]}" 'ThreadedReadBenchmark.readLong'
    jmh peer-scan "${common[@]}" "${timing[@]}" PeerScanBenchmark
    jmh peer-append "${common[@]}" "${timing[@]}" PeerAppendBenchmark
    for t in 1 2 8; do
      jmh "rmw-${t}t" "${common[@]}" "${timing[@]}" -t "$t" ReadModifyWriteBenchmark
    done
    jmh ttl "${common[@]}" -f "$([[ "$profile" == quick ]] && echo 1 || echo 2)" TtlBenchmark
    measure big-store BigStoreMeasurement "$([[ "$profile" == quick ]] && echo 1000000 || echo 10000000)"
    measure disk-use DiskUseMeasurement
    measure plain-loop PlainLoopReads 1 5
    ;;
  full)
    jmh essay "${common[@]}" "${timing[@]}" ZeroCopyEssayBenchmark
    jmh value-read "${common[@]}" "${timing[@]}" ValueReadBenchmark
    jmh peer-read-1t "${common[@]}" "${timing[@]}" PeerReadBenchmark
    jmh peer-read-2t "${common[@]}" "${timing[@]}" -t 2 PeerReadBenchmark
    jmh peer-write "${common[@]}" "${timing[@]}" PeerWriteBenchmark
    jmh write-none "${common[@]}" "${timing[@]}" -p sync=NONE '\.WriteBenchmark\.'
    jmh write-always "${common[@]}" "${always_timing[@]}" -p sync=ALWAYS '\.WriteBenchmark\.'
    jmh scan "${common[@]}" "${timing[@]}" '\.ScanBenchmark\.'  # not PeerScanBenchmark: it has its own run
    jmh threaded "${common[@]}" "${timing[@]}" ThreadedReadBenchmark
    jmh peer-scan "${common[@]}" "${timing[@]}" PeerScanBenchmark
    jmh peer-append "${common[@]}" "${timing[@]}" PeerAppendBenchmark
    for t in 1 2 8; do
      jmh "rmw-${t}t" "${common[@]}" "${timing[@]}" -t "$t" ReadModifyWriteBenchmark
    done
    jmh ttl "${common[@]}" "${timing[@]}" TtlBenchmark
    measure big-store BigStoreMeasurement 10000000
    measure disk-use DiskUseMeasurement
    measure plain-loop PlainLoopReads 1 5
    ;;
esac

load_end="$(loadavg)"
{
  echo "# Written by store-bench/scripts/run-benchmarks.sh; read by dev.sett.bench.report.ReportMain."
  echo "date=$started"
  echo "profile=$profile_desc"
  echo "command=store-bench/scripts/run-benchmarks.sh $profile${JMH_EXTRA:+ (JMH_EXTRA=$JMH_EXTRA)}"
  echo "machine=$cpu, $(nproc) cores, $mem_gib GiB memory, $(uname -sr); $((SECONDS - t0)) s for the whole run"
  echo "load=$load_start at the start, $load_end at the end (1, 5, 15 min)"
} > "$out/run-info.properties"

"$java" -cp "$jar" dev.sett.bench.report.ReportMain "$out"
echo "== done in $((SECONDS - t0)) s; results in $out"
if ((${#failed[@]})); then
  echo "!! failed: ${failed[*]}" >&2
  exit 1
fi
