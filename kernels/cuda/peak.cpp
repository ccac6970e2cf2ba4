// Peaks: rated peaks of GPUs come from the device database (not from a formula), so
// rated_peak is unsupported; measure_peak times a large cuBLASLt GEMM (max-achievable).

#include <kernels/cuda/api.hpp>
#include <kernels/cuda/context.hpp>
#include <kernels/cuda/gemm_desc.hpp>

#include <cstdio>

namespace suanli::cuda {

namespace {

constexpr int64_t k_peak_n = 8192; // m = n = k of the measuring GEMM
constexpr int k_peak_runs = 5;     // timed runs after one warm-up; the best is reported

// The GEMM a dtype's peak is measured with (int8 and fp8 in cuBLASLt's "TN" layout).
bool peak_desc(sl_dtype dtype, sl_gemm_desc &d) {
  d = sl_gemm_desc{};
  d.struct_size = sizeof d;
  d.m = d.n = d.k = k_peak_n;
  d.batch = 1;
  d.alpha = 1.0;
  sl_dtype a = dtype, b = dtype, c = dtype, compute = dtype;
  switch (dtype) {
  case SL_DTYPE_FP64:
  case SL_DTYPE_FP32: break;
  case SL_DTYPE_TF32: a = b = c = SL_DTYPE_FP32; break;
  case SL_DTYPE_FP16:
  case SL_DTYPE_BF16: compute = SL_DTYPE_FP32; break;
  case SL_DTYPE_INT8:
    c = compute = SL_DTYPE_INT32;
    d.trans_b = 1;
    break;
  case SL_DTYPE_FP8_E4M3:
  case SL_DTYPE_FP8_E5M2:
    b = SL_DTYPE_FP8_E4M3; // cuBLASLt has no e5m2 x e5m2
    c = SL_DTYPE_BF16;
    compute = SL_DTYPE_FP32;
    d.trans_b = 1;
    break;
  default: return false;
  }
  d.a_type = a;
  d.b_type = b;
  d.c_type = c;
  d.compute_type = compute;
  d.lda = k_peak_n;
  d.ldb = k_peak_n;
  d.ldc = k_peak_n;
  d.stride_a = d.stride_b = d.stride_c = k_peak_n * k_peak_n;
  return true;
}

// Everything measure_peak creates, released through the API on scope exit.
struct peak_resources {
  sl_context *ctx;
  int32_t device;
  sl_gemm_plan *plan = nullptr;
  sl_stream *stream = nullptr;
  sl_event *start = nullptr, *stop = nullptr;
  void *buffers[4] = {};
  ~peak_resources() {
    for (void *b : buffers) {
      mem_free(ctx, device, b);
    }
    if (start != nullptr) {
      event_destroy(ctx, start);
    }
    if (stop != nullptr) {
      event_destroy(ctx, stop);
    }
    if (stream != nullptr) {
      stream_destroy(ctx, stream);
    }
    if (plan != nullptr) {
      gemm_plan_destroy(ctx, plan);
    }
  }
};

} // namespace

sl_status rated_peak(sl_context *ctx, int32_t device, sl_dtype, double *, char *, size_t) {
  if (const sl_status s = check_device(ctx, device, "rated_peak"); s != SL_OK) {
    return s;
  }
  return fail(ctx, SL_UNSUPPORTED,
              "rated peaks for GPUs come from the device database (not yet in this version)");
}

sl_status measure_peak(sl_context *ctx, int32_t device, sl_dtype dtype, double *flops_per_s,
                       char *method, size_t method_size) {
  if (const sl_status s = check_device(ctx, device, "measure_peak"); s != SL_OK) {
    return s;
  }
  if (flops_per_s == nullptr) {
    return fail(ctx, SL_INVALID_ARGUMENT, "measure_peak: flops_per_s is NULL");
  }
  sl_gemm_desc d{};
  if (!peak_desc(dtype, d)) {
    return fail(ctx, SL_UNSUPPORTED,
                std::string("measure_peak: no cuBLASLt GEMM measures dtype ") + dtype_name(dtype));
  }
  return guarded(ctx, "measure_peak", [&] {
    peak_resources r{ctx, device};
    uint64_t workspace = 0;
    if (const sl_status s = gemm_plan_create(ctx, device, &d, &r.plan, &workspace); s != SL_OK) {
      return s;
    }
    const uint64_t elems = static_cast<uint64_t>(k_peak_n * k_peak_n);
    const uint64_t sizes[] = {elems * sl_dtype_size(d.a_type), elems * sl_dtype_size(d.b_type),
                              elems * sl_dtype_size(d.c_type), workspace};
    for (int i = 0; i < 4; ++i) {
      if (const sl_status s = mem_alloc(ctx, device, sizes[i], &r.buffers[i]); s != SL_OK) {
        return s;
      }
    }
    sl_status s = stream_create(ctx, device, &r.stream);
    s = s == SL_OK ? event_create(ctx, device, &r.start) : s;
    s = s == SL_OK ? event_create(ctx, device, &r.stop) : s;
    s = s == SL_OK ? fill(ctx, r.stream, r.buffers[0], d.a_type, elems, 1, SL_FILL_UNIFORM) : s;
    s = s == SL_OK ? fill(ctx, r.stream, r.buffers[1], d.b_type, elems, 2, SL_FILL_UNIFORM) : s;
    double best_ns = 0;
    for (int run = 0; run <= k_peak_runs && s == SL_OK; ++run) {
      uint64_t ns = 0;
      s = event_record(ctx, r.start, r.stream);
      s = s == SL_OK ? gemm_run(ctx, r.plan, r.stream, r.buffers[0], r.buffers[1], r.buffers[2],
                                r.buffers[3])
                     : s;
      s = s == SL_OK ? event_record(ctx, r.stop, r.stream) : s;
      s = s == SL_OK ? stream_sync(ctx, r.stream) : s;
      s = s == SL_OK ? event_elapsed_ns(ctx, r.start, r.stop, &ns) : s;
      if (s == SL_OK && run > 0 && ns > 0 && (best_ns == 0 || static_cast<double>(ns) < best_ns)) {
        best_ns = static_cast<double>(ns);
      }
    }
    if (s != SL_OK) {
      return s;
    }
    if (best_ns <= 0) {
      return fail(ctx, SL_DEVICE_ERROR,
                  "measure_peak: CUDA events reported 0 ns for every timed GEMM");
    }
    *flops_per_s = 2.0 * static_cast<double>(k_peak_n) * static_cast<double>(k_peak_n) *
                   static_cast<double>(k_peak_n) / (best_ns * 1e-9);
    if (method == nullptr) {
      return SL_OK;
    }
    char text[320];
    std::snprintf(text, sizeof text,
                  "max-achievable: best of %d runs (after a warm-up) of an %lldx%lldx%lld "
                  "%s%s cuBLASLt GEMM on generator data, timed with CUDA events",
                  k_peak_runs, static_cast<long long>(k_peak_n), static_cast<long long>(k_peak_n),
                  static_cast<long long>(k_peak_n), dtype_name(dtype),
                  d.trans_b != 0 ? " (B transposed)" : "");
    return copy_text(ctx, text, method, method_size, "measure_peak");
  });
}

} // namespace suanli::cuda
