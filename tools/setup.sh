#!/usr/bin/env bash
# Install (idempotently) the Debian packages suanli builds with, then configure and build.
# Usage: tools/setup.sh [build-dir]   (default: build)
set -euo pipefail
cd "$(dirname "$0")/.."
build="${1:-build}"
packages=(build-essential cmake ninja-build pkg-config git libcli11-dev nlohmann-json3-dev
          libtomlplusplus-dev libssl-dev openssl libdnnl-dev libopenblas-dev libgtest-dev
          libbenchmark-dev python3 python3-jsonschema
          zlib1g-dev chromium fonts-dejavu-core) # render tests: PNG decoding, headless browser
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  sudo=""; [ "$(id -u)" -eq 0 ] || sudo="sudo"
  echo "installing: ${missing[*]}"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi
# Slurm, munge, PMIx and OpenMPI for the cluster tests (tools/slurm/README.md).
tools/slurm/install_deps.sh
cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release -DSUANLI_WERROR=ON
cmake --build "$build" -j "$(nproc)"
