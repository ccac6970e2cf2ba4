#!/usr/bin/env bash
# Sanitizer CI (issue 9), run by tools/setup_and_test.sh after the normal build and tests:
#  - build-asan: the whole project (plugins included) with ASan + UBSan (gcc, CUDA off); runs
#    every unit and integration test (mpi included, gpu and perf and slurm not).
#  - build-tsan: TSan; builds and runs only the tests of threaded code (telemetry sampler,
#    watchdog, parallel audit).
# Usage: tools/sanitize_test.sh [asan|tsan]...   (default: both). Prints the time each took.
set -euo pipefail
cd "$(dirname "$0")/.."
jobs="${SUANLI_JOBS:-$(nproc)}"
kinds=("$@")
((${#kinds[@]})) || kinds=(asan tsan)

configure() { # configure <dir> <sanitizer> [cmake args...]
  local dir="$1" san="$2"
  shift 2
  cmake -S . -B "$dir" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DSUANLI_WITH_CUDA=OFF \
    -DCMAKE_C_FLAGS_RELWITHDEBINFO="-O1 -g -DNDEBUG" -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O1 -g -DNDEBUG" \
    -DSUANLI_SANITIZE="$san" -DSUANLI_BUILD_BENCHMARKS=OFF "$@" >/dev/null
}

supp="$PWD/tools/sanitizers"
# Sanitizer builds run slower (2-5x): the default per-test timeout is raised, nothing is skipped.
asan() {
  configure build-asan address
  cmake --build build-asan -j "$jobs"
  cc -shared -fPIC -O1 -o build-asan/libkeep_loaded.so "$supp/keep_loaded.c"
  # Tests that run in a child (fork, mpirun, the suanli binary) inherit these.
  #  - allocator_may_return_null: tests ask for impossible sizes and expect an out-of-memory error.
  #  - intercept_tls_get_addr=0: with glibc 2.36 LeakSanitizer misreads the dynamic TLS of
  #    threads of dlopen'ed libraries (OpenBLAS, OpenMP) and dies ("Tracer caught signal 11").
  #  - handle_segv=0 (and bus, fpe, ill): the fault tests crash a plugin on purpose and check
  #    that suanli's own handler, or the isolating parent, names the signal; a genuine crash
  #    still fails its test.
  #  - fast_unwind_on_malloc=0 and keep_loaded.so: full, named stacks through Open MPI (no
  #    frame pointers, components unloaded at finalize), so lsan.supp can match its frames.
  ASAN_OPTIONS="detect_leaks=1:abort_on_error=1:strict_string_checks=1:detect_stack_use_after_return=0:allocator_may_return_null=1:intercept_tls_get_addr=0:handle_segv=0:handle_sigbus=0:handle_sigfpe=0:handle_sigill=0:fast_unwind_on_malloc=0:verify_asan_link_order=0" \
    LSAN_OPTIONS="suppressions=$supp/lsan.supp:print_suppressions=0" \
    UBSAN_OPTIONS="suppressions=$supp/ubsan.supp:print_stacktrace=1:halt_on_error=1" \
    LD_PRELOAD="$PWD/build-asan/libkeep_loaded.so" \
    ctest --test-dir build-asan --output-on-failure -LE 'perf|gpu|slurm' --timeout 1800 -j 2
}

# The tests of code that starts threads (grep std::thread): telemetry sampler, watchdog, the
# parallel auditor (`suanli audit` runs reports on several threads), the progress line's
# redraw thread.
tsan_tests='^(telemetry|Watchdog|audit_test|run_progress)[.]'
tsan() {
  configure build-tsan thread
  cmake --build build-tsan -j "$jobs" --target bench_test bench_watchdog_test audit_test render_progress_test suanli
  OMP_NUM_THREADS=1 TSAN_OPTIONS="suppressions=$supp/tsan.supp:halt_on_error=1:second_deadlock_stack=1" \
    ctest --test-dir build-tsan --output-on-failure -R "$tsan_tests" --timeout 1800 -j 2
}

for k in "${kinds[@]}"; do
  start=$SECONDS
  case "$k" in
    asan) asan ;;
    tsan) tsan ;;
    *) echo "usage: $0 [asan|tsan]..." >&2; exit 2 ;;
  esac
  echo "sanitize_test: $k took $((SECONDS - start)) s"
done
