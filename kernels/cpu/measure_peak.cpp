// measure_peak: run the widest microkernel for a dtype on all threads and report the best rate.

#include <kernels/cpu/api.hpp>
#include <kernels/cpu/context.hpp>
#include <kernels/cpu/peak_kernels.hpp>

#include <omp.h>

#include <algorithm>
#include <cstdio>

namespace suanli::cpu {

namespace {

constexpr double k_calibrate_s = 0.02; // grow the iteration count until a run takes this long
constexpr double k_trial_s = 0.02;     // length of each measured run
constexpr int k_trials = 10;           // the best of these is reported (short runs: a busy
                                       // neighbour rarely spoils all of them)

volatile uint64_t g_sink; // keeps the kernels' results alive

// Wall time of kernel.run(iterations) on threads threads started together [s].
double run_parallel(const peak_kernel &kernel, uint64_t iterations, int threads) {
  uint64_t folded = 0;
  uint64_t t0 = 0, t1 = 0;
#pragma omp parallel num_threads(threads) reduction(^ : folded)
  {
#pragma omp single
    t0 = monotonic_ns(); // the implicit barrier after single starts every thread together
    folded ^= kernel.run(iterations);
#pragma omp barrier
#pragma omp single nowait
    t1 = monotonic_ns();
  }
  g_sink = g_sink ^ folded;
  return static_cast<double>(t1 - t0) * 1e-9;
}

} // namespace

sl_status measure_peak(sl_context *ctx, int32_t device, sl_dtype dtype, double *flops_per_s,
                       char *method, size_t method_size) {
  if (const sl_status s = check_device(ctx, device, "measure_peak"); s != SL_OK) {
    return s;
  }
  if (flops_per_s == nullptr) {
    return fail(ctx, SL_INVALID_ARGUMENT, "measure_peak: flops_per_s is NULL");
  }
  const peak_kernel *kernel = find_peak_kernel(dtype, ctx->cpu);
  if (kernel == nullptr) {
    return fail(ctx, SL_UNSUPPORTED,
                std::string("measure_peak: no microkernel for this dtype on this CPU (dtype ") +
                    std::to_string(static_cast<int>(dtype)) +
                    "; bf16 needs avx512_bf16, int8 avx512_vnni or avx_vnni, fp16 avx512_fp16; "
                    "tf32 and fp8 do not exist on CPUs)");
  }
  return guarded(ctx, "measure_peak", [&] {
    const int threads = ctx->threads;
    uint64_t iterations = 1024;
    double seconds = run_parallel(*kernel, iterations, threads);
    while (seconds < k_calibrate_s) {
      iterations *= 4;
      seconds = run_parallel(*kernel, iterations, threads);
    }
    iterations = std::max<uint64_t>(
        1, static_cast<uint64_t>(static_cast<double>(iterations) * k_trial_s / seconds));
    double best = 0;
    for (int t = 0; t < k_trials; ++t) {
      const double s = run_parallel(*kernel, iterations, threads);
      best =
          std::max(best, kernel->ops_per_iteration * static_cast<double>(iterations) * threads / s);
    }
    *flops_per_s = best;
    if (method == nullptr) {
      return SL_OK;
    }
    char text[320];
    std::snprintf(text, sizeof text,
                  "%s (%u-bit, %u independent accumulators) on %d OpenMP thread(s), best of %d "
                  "runs of %.3f s (%llu iterations per thread)",
                  kernel->instruction, kernel->vector_bits, kernel->accumulators, threads, k_trials,
                  k_trial_s, static_cast<unsigned long long>(iterations));
    return copy_text(ctx, text, method, method_size, "measure_peak");
  });
}

} // namespace suanli::cpu
