#!/usr/bin/env bash
# Build the libFuzzer targets (fuzz/, clang-14, ASan+UBSan, in build-fuzz) and run each for
# SECONDS (default 60), seeded from fuzz/corpus/<target> with the TOML or JSON dictionary.
# New corpus entries go to build-fuzz/corpus/<target>, crashes to build-fuzz/crashes/<target>/.
# Usage: tools/fuzz.sh [seconds] [target...]   (targets: see `all` below; default: every one)
# Environment: FUZZ_JOBS (parallel targets, default 1), FUZZ_ARGS (extra libFuzzer flags).
# A kept crash replays with build-fuzz/bin/fuzz_<target> <file>; once fixed, copy it to
# fuzz/regressions/<target>/ (tests/fuzz_regression_test.cpp replays it in every build).
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-60}"
shift || true
all=(suite_toml claims_toml devices_toml report_verify report_audit challenge pem_key device_props)
targets=("$@")
((${#targets[@]})) || targets=("${all[@]}")

if [ ! -f build-fuzz/build.ninja ]; then
  CC=clang-14 CXX=clang++-14 cmake -S . -B build-fuzz -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DSUANLI_BUILD_FUZZERS=ON -DSUANLI_WITH_CUDA=OFF -DSUANLI_BUILD_TESTS=OFF \
    -DSUANLI_BUILD_BENCHMARKS=OFF
fi
cmake --build build-fuzz -j 2 --target fuzzers

dict_of() {
  case "$1" in
    *_toml) echo fuzz/dict/toml.dict ;;
    report_* | challenge) echo fuzz/dict/json.dict ;;
    *) echo "" ;;
  esac
}

run_one() {
  local t="$1" dict log
  dict="$(dict_of "$t")"
  log="build-fuzz/logs/$t.log"
  mkdir -p "build-fuzz/corpus/$t" "build-fuzz/crashes/$t" build-fuzz/logs
  # Leaks are reported (detect_leaks); a crash stops the run and is kept.
  ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1}" \
    UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}" \
    "build-fuzz/bin/fuzz_$t" -max_total_time="$seconds" -print_final_stats=1 -timeout=25 \
    -rss_limit_mb=4096 ${dict:+-dict="$dict"} -artifact_prefix="build-fuzz/crashes/$t/" \
    ${FUZZ_ARGS:-} "build-fuzz/corpus/$t" "fuzz/corpus/$t" >"$log" 2>&1 || true
}

pids=()
for t in "${targets[@]}"; do
  [ -x "build-fuzz/bin/fuzz_$t" ] || { echo "unknown target $t (known: ${all[*]})" >&2; exit 2; }
  run_one "$t" &
  pids+=($!)
  if ((${#pids[@]} >= ${FUZZ_JOBS:-1})); then
    wait "${pids[0]}"
    pids=("${pids[@]:1}")
  fi
done
wait

status=0
printf '%-14s %8s %12s %10s %8s  %s\n' target seconds execs "exec/s" crashes result
for t in "${targets[@]}"; do
  log="build-fuzz/logs/$t.log"
  execs="$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)"
  rate="$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -1)"
  crashes="$(find "build-fuzz/crashes/$t" -type f | wc -l)"
  result=ok
  if grep -qE '^==[0-9]+==ERROR|runtime error:|deadly signal|ERROR: libFuzzer' "$log"; then
    result="FOUND (see $log)"
    status=1
  elif [ -z "$execs" ]; then
    result="did not run (see $log)"
    status=1
  fi
  printf '%-14s %8s %12s %10s %8s  %s\n' "$t" "$seconds" "${execs:--}" "${rate:--}" "$crashes" \
    "$result"
done
exit "$status"
