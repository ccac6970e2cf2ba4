#!/usr/bin/env bash
# Set up (tools/setup.sh), then run every test that can run on this machine: CTest labels
# unit and integration (gpu tests skip themselves without a device; perf is benchmarks only).
# Then the sanitizer builds (tools/sanitize_test.sh): ASan+UBSan of every unit and integration
# test, TSan of the threaded ones.
set -euo pipefail
cd "$(dirname "$0")/.."
tools/setup.sh build
ctest --test-dir build --output-on-failure -LE perf --timeout 600 -j 2
tools/sanitize_test.sh asan tsan
