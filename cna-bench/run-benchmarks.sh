#!/usr/bin/env bash
# Runs cna4j's JMH benchmarks and writes JMH's JSON plus a description of the machine under cna-bench/results/.
# Usage: cna-bench/run-benchmarks.sh [NAME_REGEX] [extra JMH options]   (JAVA_HOME must be a JDK 21+: ./cna4j bench sets it)
# Example: ./cna4j bench ForwardPass
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
cd "$here"
pattern=${1:-.}; [ $# -gt 0 ] && shift
java="${JAVA_HOME:?set JAVA_HOME to a JDK 21+ or use ./cna4j bench}/bin/java"
mkdir -p results
name=$(echo "$pattern" | tr -c 'A-Za-z0-9\n' '_' ); [ "$pattern" = "." ] && name=all
out="results/${name}.json"
{
  echo "date: $(date -u +%Y-%m-%dT%H:%M:%SZ)"
  echo "cpu: $(awk -F': ' '/model name/{print $2; exit}' /proc/cpuinfo)"
  echo "cores: $(nproc)"
  echo "memory: $(awk '/MemTotal/{printf "%.1f GiB", $2/1048576}' /proc/meminfo)"
  echo "jdk: $("$java" -XshowSettings:properties -version 2>&1 | awk -F'= ' '/java.runtime.version/{print $2; exit}')"
  echo "command: ./cna4j bench $pattern $*"
} > "results/${name}.machine.txt"
export CNA_SHARED="${CNA_SHARED:-$here/../../shared}"
"$java" --add-modules jdk.incubator.vector -jar target/benchmarks.jar "$pattern" -rf json -rff "$out" "$@" 2>&1 \
  | tee "results/${name}.log" | grep -E "^(Benchmark|[A-Z][A-Za-z]+Benchmark\.)|TensorOperationsProvider|Using" || true
echo "wrote $out"
