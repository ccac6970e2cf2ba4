#!/usr/bin/env bash
# Set up (tools/setup.sh), make a local signing key, run the `quick` suite on the CPU backend,
# sign the report and verify it.
set -euo pipefail
cd "$(dirname "$0")/.."
tools/setup.sh build
mkdir -p out
[ -f out/local.key ] || build/bin/suanli keygen --out out/local
build/bin/suanli run --suite quick --backend cpu --key out/local.key --out out/quick.report.json
build/bin/suanli verify out/quick.report.json --pubkey out/local.pub
