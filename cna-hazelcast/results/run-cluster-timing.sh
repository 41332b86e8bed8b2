#!/usr/bin/env bash
# Timed runs of ./cna4j discover on the planted Llama model (6 layers x 1024 MLP neurons, built-in 40 harmful +
# 40 benign prompts + the 74-prompt universal filter = 154 prompts): in one JVM, then on 1 and on 2 worker
# processes on this machine (loopback). Each cluster configuration runs twice: the first run includes the members'
# model load, the second is warm. Usage (from the repository root): cna-hazelcast/results/run-cluster-timing.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
logs=$(mktemp -d)
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; }
trap cleanup EXIT
discover() { ./cna4j discover --out "$logs/circuit-$1.json" "${@:2}" 2>>"$logs/discover.log" | grep -a '^cna-discover'; }
worker() {   # starts a worker on port $1 joining 5801 (unless it is 5801), waits for its line
  local join=(); [ "$1" != 5801 ] && join=(--join 127.0.0.1:5801)
  ./cna4j worker --port "$1" "${join[@]}" >"$logs/worker-$1.out" 2>"$logs/worker-$1.err" & pids+=($!)
  for _ in $(seq 120); do grep -q '^cna-worker' "$logs/worker-$1.out" 2>/dev/null && break; sleep 0.5; done
}
echo "# $(date -u +%FT%TZ), $(nproc) cores (shared with other sessions), $("$(bin/find-jdk)/bin/java" -version 2>&1 | head -1)"
echo "## one JVM, no cluster"
discover local-1
discover local-2
echo "## 1 worker process"
worker 5801
discover one-1 --cluster 127.0.0.1:5801
discover one-2 --cluster 127.0.0.1:5801
echo "## 2 worker processes"
worker 5802
discover two-1 --cluster 127.0.0.1:5801
discover two-2 --cluster 127.0.0.1:5801
echo "## circuits identical to the one-JVM circuit (cmp of the circuit files)"
for f in one-1 one-2 two-1 two-2 local-2; do cmp -s "$logs/circuit-local-1.json" "$logs/circuit-$f.json" && echo "$f: identical" || echo "$f: DIFFERENT"; done
