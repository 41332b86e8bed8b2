#!/usr/bin/env bash
# Prepares, on the build machine, everything run-h200.sh needs on the GPU machine (which has no Java and cannot
# reach the network): a jlink'd runtime as .tar.xz, the jars (DJL's tokenizers jar stripped to its linux-x86_64
# natives: the published jar carries every platform's, ~55 MB), cna-gpu's classes and test classes, and the inputs
# read from ../shared (copied into the ignored target folder, never into the project). Output: cna-gpu/target/h200,
# refused when over 60 MiB (the device machine takes 64 MiB of working tree in all).
# Usage, from the repository root: cna-gpu/device/prepare.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
OUTDIR=cna-gpu/target/h200
rm -rf "$OUTDIR"
mkdir -p "$OUTDIR/lib" "$OUTDIR/inputs/llama-src" "$OUTDIR/inputs/data/jailbreakbench" "$OUTDIR/inputs/data/alpaca"
./cna4j mvn -B -ntp -q -pl cna-gpu -am test-compile dependency:build-classpath \
  -Dmdep.outputFile="$PWD/$OUTDIR/classpath.txt" -Dmdep.includeScope=test
JAVA_HOME=$(bin/find-jdk)
n=0
for entry in $(tr ':' ' ' < "$OUTDIR/classpath.txt") cna-gpu/target/classes cna-gpu/target/test-classes; do
  n=$((n + 1))
  name=$(printf '%03d' $n)-$(basename "$(dirname "$(dirname "$entry")")")-$(basename "$entry" .jar)
  if [ -d "$entry" ]; then
    "$JAVA_HOME/bin/jar" cf "$OUTDIR/lib/$name.jar" -C "$entry" .
  else
    case "$entry" in
      */junit*|*/assertj*|*/opentest4j*|*/apiguardian*|*/byte-buddy*) continue ;;   # test libraries the check does not use
    esac
    cp "$entry" "$OUTDIR/lib/$name.jar"
    if unzip -l "$entry" 2>/dev/null | grep -q 'native/lib/osx'; then
      zip -q -d "$OUTDIR/lib/$name.jar" 'native/lib/osx-*' 'native/lib/win-*' 'native/lib/linux-aarch64/*' || true
    fi
  fi
done
"$JAVA_HOME/bin/jlink" --add-modules java.base,java.logging,java.management,java.naming,java.net.http,java.scripting,java.sql,java.xml,java.desktop,jdk.incubator.vector,jdk.unsupported,jdk.crypto.ec,jdk.zipfs \
  --strip-debug --no-header-files --no-man-pages --output "$OUTDIR/runtime"
tar -C "$OUTDIR" -cJf "$OUTDIR/runtime.tar.xz" runtime
rm -rf "$OUTDIR/runtime"
cp ../shared/models/Llama-3.2-1B-Instruct/config.json "$OUTDIR/inputs/llama-src/"
cp ../shared/models/SmolLM2-135M-Instruct/tokenizer.json ../shared/models/SmolLM2-135M-Instruct/tokenizer_config.json "$OUTDIR/inputs/llama-src/"
cp ../shared/data/jailbreakbench/harmful.csv "$OUTDIR/inputs/data/jailbreakbench/"
cp ../shared/data/alpaca/instructions.json "$OUTDIR/inputs/data/alpaca/"
tar -C "$OUTDIR" -cJf "$OUTDIR/inputs.tar.xz" inputs
rm -rf "$OUTDIR/inputs"
size=$(du -sb "$OUTDIR" | cut -f1)
echo "prepare: $OUTDIR is $((size / 1048576)) MiB (runtime.tar.xz $(( $(stat -c %s "$OUTDIR/runtime.tar.xz") / 1048576 )) MiB, lib $(( $(du -sb "$OUTDIR/lib" | cut -f1) / 1048576 )) MiB)"
if [ "$size" -gt $((60 * 1048576)) ]; then echo "prepare: over 60 MiB, the device machine would refuse it" >&2; exit 1; fi
