#!/usr/bin/env bash
# Runs the standard YCSB workloads A-F against Sett, RocksDB and lmdbjava through store-ycsb's
# bindings, and prints a Markdown summary table.
#
#   store-ycsb/scripts/run-ycsb.sh [sett|rocksdb|lmdb|all] [records] [operations] [threads]
#
#   defaults: all 1000000 1000000 1
#
# Per store, in the order YCSB's documentation gives ("Core Workloads"): load a fresh store with
# workload A's file, run A, B, C, F, D on it (D inserts, so it comes last), then load a second
# fresh store with E's file and run E (E inserts too). Every load and run passes
# -p dataintegrity=true, so YCSB checks each record a read returns against the value it wrote
# (the workload files keep fieldlengthdistribution=constant, which that needs). Each store gets the
# same JVM: a fixed 2 GiB heap and the flags Sett needs on this JDK (README, "JVM flags").
#
# Output: store-ycsb/results/<UTC timestamp>/
#   <store>/<phase>.txt   YCSB's measurements (phases: load-a run-a run-b run-c run-f run-d load-e run-e)
#   <store>/<phase>.log   YCSB's console (status every 10 s, warnings, errors)
#   summary.md            the table printed at the end (dev.sett.ycsb.SummaryMain)
#   run-info.txt          command, commit, JDK, machine
# The stores' data directories (<store>/data-a, <store>/data-e) are deleted once their runs are
# done; KEEP_DATA=1 keeps them.
#
# Exit status: 0 if every run finished all its operations with every operation OK and no [VERIFY]
# failure, 1 otherwise (YCSB itself exits 0 even when it ran nothing, so its output is what counts).
#
# Environment: JAVA (default: java on PATH), KEEP_DATA=1, MAVEN_ARGS (e.g. -o, read by Maven when the
# jar has to be built). The jar (store-ycsb/target/ycsb.jar) is built with the reactor
# (./mvnw package -pl store-ycsb -am) when it is missing or older than the sources; nothing is
# installed into ~/.m2. Runs from any directory. Size runs to the machine: a million records take
# about 1.5 GB per store on disk, and each phase of a million operations minutes.
set -euo pipefail

usage() { echo "usage: $0 [sett|rocksdb|lmdb|all] [records] [operations] [threads]" >&2; exit 2; }

which_stores="${1:-all}"
records="${2:-1000000}"
operations="${3:-1000000}"
threads="${4:-1}"
case "$which_stores" in
  sett|rocksdb|lmdb) stores=("$which_stores") ;;
  all) stores=(sett rocksdb lmdb) ;;
  -h|--help) sed -n '2,33p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
  *) usage ;;
esac
for n in "$records" "$operations" "$threads"; do
  [[ "$n" =~ ^[1-9][0-9]*$ ]] || { echo "records, operations and threads must be positive whole numbers, not '$n'" >&2; usage; }
done

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"
java="${JAVA:-java}"
jar="store-ycsb/target/ycsb.jar"
workloads="store-ycsb/src/main/resources/workloads"

# Build the jar when it is missing or any source it is made from is newer (the reactor builds
# store-api and store-core alongside; "package", never "install", so ~/.m2 stays as it is).
if [[ ! -f "$jar" ]] || [[ -n "$(find pom.xml sett-bom/pom.xml store-api store-core store-ycsb -newer "$jar" \
    \( -name pom.xml -o -path '*/src/main/*' \) -type f -print -quit)" ]]; then
  echo "== building $jar (./mvnw -B -q package -DskipTests -pl store-ycsb -am)"
  ./mvnw -B -q package -DskipTests -pl store-ycsb -am
fi

# JVM flags: Sett's for this JDK (README, "JVM flags"; the parent POM's sett.jvm.flags), the same
# fixed heap for every store, Chronicle's timing lines off, library logging at WARN.
java_major="$("$java" -XshowSettings:properties -version 2>&1 | awk -F'= ' '/java.specification.version/ {print $2}')"
java_major="${java_major%%.*}"
jvm=(-Xms2g -Xmx2g
     --add-opens java.base/java.lang.reflect=ALL-UNNAMED
     --add-exports java.base/sun.nio.ch=ALL-UNNAMED
     --add-exports java.base/jdk.internal.ref=ALL-UNNAMED
     -Ddisable.perf.info=true
     -Dorg.slf4j.simpleLogger.defaultLogLevel=warn)
if (( java_major >= 24 )); then
  jvm+=(--enable-native-access=ALL-UNNAMED --sun-misc-unsafe-memory-access=allow)
fi

out="store-ycsb/results/$(date -u +%Y-%m-%d-%H%M%S)"
mkdir -p "$out"
{
  echo "command: store-ycsb/scripts/run-ycsb.sh $which_stores $records $operations $threads"
  echo "date: $(date -u '+%Y-%m-%d %H:%M:%S UTC')"
  echo "commit: $(git rev-parse --short HEAD 2>/dev/null || echo unknown)$(git diff --quiet HEAD 2>/dev/null || echo ' (with local changes)')"
  echo "jdk: $("$java" -version 2>&1 | head -1)"
  echo "jvm flags: ${jvm[*]}"
  echo "cpu: $(grep -m1 'model name' /proc/cpuinfo 2>/dev/null | sed 's/.*: //' || uname -m), $(nproc 2>/dev/null || echo '?') cores"
  echo "memory: $(awk '/MemTotal/ {printf "%.0f GiB", $2 / 1048576}' /proc/meminfo 2>/dev/null || echo '?')"
} > "$out/run-info.txt"
echo "== results in $out"

# One YCSB invocation: phase (load-a, run-b, ...), store, its data directory.
ycsb() {
  local phase="$1" store="$2" dir="$3"
  local mode workload db dir_property extra=()
  case "$phase" in
    load-*) mode=-load ;;
    run-*) mode=-t ;;
  esac
  workload="$workloads/workload${phase#*-}"
  case "$store" in
    sett) db=dev.sett.ycsb.SettYcsbDb; dir_property=sett.dir ;;
    rocksdb) db=dev.sett.ycsb.RocksDbYcsbDb; dir_property=rocksdb.dir ;;
    # lmdbjava's argument checks off, as store-bench runs it (BenchJvm.LMDB_NO_CHECKS): the
    # fastest configuration a user can choose.
    lmdb) db=dev.sett.ycsb.LmdbYcsbDb; dir_property=lmdb.dir; extra=(-Dlmdbjava.disable.checks=true) ;;
  esac
  local started=$SECONDS
  printf '   %-7s %-7s ' "$store" "$phase"
  # YCSB's exit status says nothing (it is 0 after a failed start too): the summary judges the output.
  "$java" "${jvm[@]}" ${extra[@]+"${extra[@]}"} -cp "$jar" site.ycsb.Client "$mode" -s \
    -db "$db" -P "$workload" \
    -p recordcount="$records" -p operationcount="$operations" -threads "$threads" \
    -p dataintegrity=true -p "$dir_property=$dir" \
    > "$out/$store/$phase.txt" 2> "$out/$store/$phase.log" || true
  local throughput
  throughput="$(awk -F', ' '/^\[OVERALL\], Throughput/ {printf "%.0f ops/s", $3}' "$out/$store/$phase.txt")"
  echo "${throughput:-no result, see $out/$store/$phase.log} ($((SECONDS - started)) s)"
}

for store in "${stores[@]}"; do
  echo "== $store: $records records, $operations operations per run, $threads thread(s)"
  mkdir -p "$out/$store"
  data="$out/$store/data-a"
  for phase in load-a run-a run-b run-c run-f run-d; do
    ycsb "$phase" "$store" "$data"
  done
  [[ "${KEEP_DATA:-}" == 1 ]] || rm -rf "$data"
  # D and E insert: E gets a store of its own, loaded with E's file.
  data="$out/$store/data-e"
  for phase in load-e run-e; do
    ycsb "$phase" "$store" "$data"
  done
  [[ "${KEEP_DATA:-}" == 1 ]] || rm -rf "$data"
done

echo
status=0
"$java" -cp "$jar" dev.sett.ycsb.SummaryMain "$out" "$records" "$operations" "${stores[@]}" \
  | tee "$out/summary.md" || status=$?
echo
if (( status == 0 )); then
  echo "== every run clean: all operations done and OK, no [VERIFY] failure ($out/summary.md)"
else
  echo "== some runs are not clean: see the check column and the .log files in $out" >&2
fi
exit "$status"
