#!/usr/bin/env bash
# Runs cna4j's JMH benchmarks and writes JMH's JSON, the run's log and a description of the machine under
# cna-bench/results/ (or $CNA_BENCH_RESULTS). JAVA_HOME must be a JDK 21+ (./cna4j bench sets it).
# Usage: cna-bench/run-benchmarks.sh [full | quick | NAME_REGEX] [extra JMH options]
#   (none), full  the whole suite with each benchmark's own forks, warm-up and iterations (about 1 h 30 min on 2 cores);
#                 writes results/suite.json, then updates the performance tables (make-table)
#   quick         the whole suite on the SmolLM2-135M shape only, 1 fork, 1 warm-up + 3 iterations (about
#                 15 min; errors too wide to decide the 2-3 % targets); writes results/quick.json, then make-table
#   NAME_REGEX    the benchmarks matching it (JMH options as given); writes results/NAME.json, no table update
# Examples: ./cna4j bench
#           ./cna4j bench GenerationBenchmark -p shape=llama1b
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
cd "$here"
java="${JAVA_HOME:?set JAVA_HOME to a JDK 21+ or use ./cna4j bench}/bin/java"
jar="$here/target/benchmarks.jar"
[ -f "$jar" ] || { echo "no $jar: build it with ./cna4j mvn -q -pl cna-bench -am package -DskipTests" >&2; exit 1; }
profile=${1:-full}; [ $# -gt 0 ] && shift
table=no
case "$profile" in
  full)  pattern='io.cna4j.bench.*'; name=suite; table=yes; opts=() ;;
  quick) pattern='io.cna4j.bench.*'; name=quick; table=yes; opts=(-f 1 -wi 1 -i 3 -p shape=smol135m) ;;
  *)     pattern=$profile; name=$(echo "$pattern" | tr -c 'A-Za-z0-9\n' '_'); opts=() ;;
esac
results="${CNA_BENCH_RESULTS:-$here/results}"
mkdir -p "$results"
out="$results/${name}.json"
export CNA_SHARED="${CNA_SHARED:-$here/../../shared}"
export CNA_BENCH_MODELS="${CNA_BENCH_MODELS:-$here/target/bench-models}"
jvm() { "$java" --add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED "$@" 2>/dev/null; }
panama=$(jvm -Djlama.force_panama_tensor_operations=true -cp "$jar" io.cna4j.bench.MachineDescription --operations-only | tail -1)
default=$(jvm -cp "$jar" io.cna4j.bench.MachineDescription --operations-only | tail -1)
{
  echo "date: $(date -u +%Y-%m-%dT%H:%M:%SZ)"
  echo "cpu: $(awk -F': ' '/model name/{print $2; exit}' /proc/cpuinfo 2>/dev/null || uname -m)"
  echo "cores: $(nproc)"
  echo "memory: $(awk '/MemTotal/{printf "%.1f GiB", $2/1048576}' /proc/meminfo 2>/dev/null || echo unknown)"
  jvm -cp "$jar" io.cna4j.bench.MachineDescription | grep -v '^operations:'
  echo "operations: $panama (every benchmark but NativeOperationsBenchmark; forks pass -Djlama.force_panama_tensor_operations=true)"
  echo "operations (default): $default (NativeOperationsBenchmark)"
  echo "command: ./cna4j bench $profile${*:+ $*}"
} > "$results/${name}.machine.txt"
cat "$results/${name}.machine.txt"
"$java" --add-modules jdk.incubator.vector -jar "$jar" "$pattern" ${opts[@]+"${opts[@]}"} "$@" -rf json -rff "$out" 2>&1 \
  | tee "$results/${name}.log" | grep -E "^(Benchmark|[A-Z][A-Za-z]+Benchmark\.)|^# (Run progress|Benchmark:|Parameters)|tensor operations|ERROR|Exception" || true
[ -s "$out" ] || { echo "JMH wrote no results (see $results/${name}.log)" >&2; exit 1; }
echo "wrote $out"
if [ "$table" = yes ] && [ "$results" = "$here/results" ]; then
  "$here/make-table"
else
  echo "tables not updated (run cna-bench/make-table [RESULTS_FOLDER] to do it)"
fi
