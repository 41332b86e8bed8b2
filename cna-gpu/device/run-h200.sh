#!/usr/bin/env bash
# Runs on the GPU machine (no Java there) from the repository root, with cna-gpu/target/h200 (from prepare.sh) and,
# when `ldconfig -p` lacks libvulkan.so.1 there, .gl (Debian's libvulkan1 and friends as .deb files, see
# cna-gpu/device/README.md) carried. Writes its output to $OUT/h200-output.txt. Meant to finish in under 8 minutes.
set -euo pipefail
C=cna-gpu/target/h200
if [ -d .gl ]; then for f in .gl/*.deb; do dpkg -x "$f" /; done; ldconfig; fi
if ! ldconfig -p | grep -q libvulkan.so.1; then echo "no libvulkan.so.1 on this machine: carry .gl" >&2; exit 2; fi
if [ -f /usr/local/nvidia/share/vulkan/icd.d/nvidia_icd.json ]; then
  export VK_DRIVER_FILES=/usr/local/nvidia/share/vulkan/icd.d/nvidia_icd.json
fi
mkdir -p /tmp/cna-rt && tar -C /tmp/cna-rt -xJf "$C/runtime.tar.xz" && tar -C /tmp/cna-rt -xJf "$C/inputs.tar.xz"
nvidia-smi --query-gpu=name,memory.total --format=csv || true
out=${OUT:-/tmp}/h200-output.txt
set -o pipefail
/tmp/cna-rt/runtime/bin/java --add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED -Xmx48g \
  -cp "$C/lib/*" io.cna4j.gpu.device.DeviceCheck /tmp/cna-rt/inputs/llama-src /tmp/cna-rt/inputs/data /tmp/cna-scratch 20 2>&1 | tee "$out"
