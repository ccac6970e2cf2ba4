/* example_peak.c: peak rates. rated_peak is the datasheet figure (none for a simulation);
 * measure_peak is the best rate the plugin's own GEMM kernel reaches on a cache-friendly shape,
 * the "max achievable" figure reports show beside the rated one. */
#include "example.h"

#include <stdio.h>
#include <stdlib.h>

/* The measured shape is small enough for A, B and C to stay in cache (3 x 32 KiB in fp64): the
 * kernel's best case, so that suite cases (larger, cache-missing) stay below this "max
 * achievable" figure. */
#define EX_PEAK_N 64             /**< m = n = k of the measured GEMM */
#define EX_PEAK_MIN_NS 10000000u /**< each timed run lasts at least this long [ns] (10 ms) */
#define EX_PEAK_TRIALS 10        /**< the best of this many timed runs is reported */

sl_status ex_rated_peak(sl_context *ctx, int32_t device, sl_dtype dtype, double *flops_per_s,
                        char *source, size_t source_size) {
  (void)source;
  (void)source_size;
  if (ex_check_device(ctx, device, "rated_peak") != SL_OK) {
    return SL_INVALID_ARGUMENT;
  }
  if (flops_per_s == NULL) {
    return ex_fail(ctx, SL_INVALID_ARGUMENT, "rated_peak: flops_per_s is NULL");
  }
  /* VENDOR: the dense (no sparsity) datasheet peak of this device for dtype [FLOP/s], and in
   * source where it comes from ("Ascend 910B3 datasheet, 313 TFLOPS fp16 dense" style, or the
   * formula cores x clock x FLOP/cycle with each factor's origin). A dtype without a published
   * figure is SL_UNSUPPORTED with that reason: never a guess. The host also matches the device
   * against suites' device database, which carries sourced values. */
  return ex_fail(ctx, SL_UNSUPPORTED,
                 "rated_peak: the example device is a simulation and has no rated (datasheet) "
                 "peak for %s",
                 ex_dtype_name(dtype));
}

/* Run `calls` GEMMs of desc; return the elapsed time [ns]. */
static uint64_t timed_calls(const sl_gemm_desc *desc, const void *a, const void *b, void *c,
                            uint64_t calls) {
  const uint64_t t0 = ex_monotonic_ns();
  for (uint64_t i = 0; i < calls; ++i) {
    ex_gemm_compute(desc, a, b, c);
  }
  return ex_monotonic_ns() - t0;
}

sl_status ex_measure_peak(sl_context *ctx, int32_t device, sl_dtype dtype, double *flops_per_s,
                          char *method, size_t method_size) {
  if (ex_check_device(ctx, device, "measure_peak") != SL_OK) {
    return SL_INVALID_ARGUMENT;
  }
  if (flops_per_s == NULL) {
    return ex_fail(ctx, SL_INVALID_ARGUMENT, "measure_peak: flops_per_s is NULL");
  }
  if (dtype != SL_DTYPE_FP32 && dtype != SL_DTYPE_FP64) {
    return ex_fail(ctx, SL_UNSUPPORTED,
                   "measure_peak: the example device runs GEMM in fp32 and fp64 only, not %s",
                   ex_dtype_name(dtype));
  }
  /* VENDOR: run your best GEMM (or a register-resident FMA/cube microkernel) on the device for
   * dtype, timed with device events, and report the best of several runs; say in method what
   * ran. The simulation times its own kernel on the host: plugin-internal scratch memory,
   * never the host's buffers. */
  const size_t size = sl_dtype_size(dtype);
  const size_t elems = (size_t)EX_PEAK_N * EX_PEAK_N;
  unsigned char *a = malloc(3 * elems * size);
  if (a == NULL) {
    return ex_fail(ctx, SL_OUT_OF_MEMORY, "measure_peak: cannot allocate 3 x %d^2 elements",
                   EX_PEAK_N);
  }
  unsigned char *b = a + elems * size;
  unsigned char *c = b + elems * size;
  for (size_t i = 0; i < 2 * elems; ++i) { /* A and B: generator values, no denormals */
    const double v = sl_fill_value(1, i, dtype);
    if (dtype == SL_DTYPE_FP64) {
      ((double *)a)[i] = v;
    } else {
      ((float *)a)[i] = (float)v;
    }
  }
  sl_gemm_desc d = {0};
  d.struct_size = sizeof d;
  d.a_type = d.b_type = d.c_type = d.compute_type = dtype;
  d.m = d.n = d.k = EX_PEAK_N;
  d.lda = d.ldb = d.ldc = EX_PEAK_N;
  d.batch = 1;
  d.stride_a = d.stride_b = d.stride_c = (int64_t)elems;
  d.alpha = 1.0;
  d.beta = 0.0;
  /* Calibrate: double the call count until one run lasts EX_PEAK_MIN_NS. */
  uint64_t calls = 1;
  while (timed_calls(&d, a, b, c, calls) < EX_PEAK_MIN_NS) {
    calls *= 2;
  }
  uint64_t best_ns = UINT64_MAX;
  for (int t = 0; t < EX_PEAK_TRIALS; ++t) {
    const uint64_t ns = timed_calls(&d, a, b, c, calls);
    best_ns = ns < best_ns ? ns : best_ns;
  }
  free(a);
  const double flops = 2.0 * EX_PEAK_N * EX_PEAK_N * EX_PEAK_N * (double)calls;
  *flops_per_s = flops / ((double)(best_ns > 0 ? best_ns : 1) * 1e-9);
  if (method == NULL) {
    return SL_OK;
  }
  char text[320];
  snprintf(text, sizeof text,
           "example simulated GEMM kernel, %dx%dx%d %s (%s accumulate) on the host thread, %llu "
           "calls per run, best of %d runs, host CLOCK_MONOTONIC",
           EX_PEAK_N, EX_PEAK_N, EX_PEAK_N, ex_dtype_name(dtype), ex_dtype_name(dtype),
           (unsigned long long)calls, EX_PEAK_TRIALS);
  return ex_copy_text(ctx, text, method, method_size, "measure_peak");
}
