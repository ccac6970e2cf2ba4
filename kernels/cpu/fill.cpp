// fill: element i becomes sl_fill_value(seed, i, dtype) in dtype's bit pattern. The values are
// exactly representable by construction, so every conversion below is exact.

#include <kernels/cpu/api.hpp>
#include <kernels/cpu/context.hpp>
#include <kernels/cpu/half.hpp>

namespace suanli::cpu {

namespace {

constexpr int64_t k_parallel_min = 1 << 15; // below this many elements one thread is faster

template <class T, T (*convert)(double)>
void fill_as(void *dst, sl_dtype dtype, uint64_t count, uint64_t seed, int threads) {
  T *out = static_cast<T *>(dst);
  const auto n = static_cast<int64_t>(count);
#pragma omp parallel for schedule(static) num_threads(threads) if (n >= k_parallel_min)
  for (int64_t i = 0; i < n; ++i) {
    out[i] = convert(sl_fill_value(seed, static_cast<uint64_t>(i), dtype));
  }
}

double as_fp64(double v) {
  return v;
}
float as_fp32(double v) {
  return static_cast<float>(v);
}
uint16_t as_bf16(double v) {
  return float_to_bf16(static_cast<float>(v));
}
uint16_t as_fp16(double v) {
  return float_to_fp16(static_cast<float>(v));
}
int8_t as_int8(double v) {
  return static_cast<int8_t>(v);
}
uint8_t as_uint8(double v) {
  return static_cast<uint8_t>(v);
}
int32_t as_int32(double v) {
  return static_cast<int32_t>(v);
}

using fill_fn = void (*)(void *, sl_dtype, uint64_t, uint64_t, int);

struct fill_entry {
  sl_dtype dtype;
  fill_fn fn; // NULL: unsupported, see reason
  const char *reason;
};

constexpr fill_entry k_fills[] = {
    {SL_DTYPE_FP64, fill_as<double, as_fp64>, nullptr},
    {SL_DTYPE_FP32, fill_as<float, as_fp32>, nullptr},
    {SL_DTYPE_TF32, fill_as<float, as_fp32>, nullptr}, // tf32 is stored as fp32
    {SL_DTYPE_BF16, fill_as<uint16_t, as_bf16>, nullptr},
    {SL_DTYPE_FP16, fill_as<uint16_t, as_fp16>, nullptr},
    {SL_DTYPE_INT8, fill_as<int8_t, as_int8>, nullptr},
    {SL_DTYPE_UINT8, fill_as<uint8_t, as_uint8>, nullptr},
    {SL_DTYPE_INT32, fill_as<int32_t, as_int32>, nullptr},
    {SL_DTYPE_FP8_E4M3, nullptr, "fill: fp8 e4m3 is not offered by the CPU backend"},
    {SL_DTYPE_FP8_E5M2, nullptr, "fill: fp8 e5m2 is not offered by the CPU backend"},
};

} // namespace

sl_status fill(sl_context *ctx, sl_stream *, void *dst, sl_dtype dtype, uint64_t count,
               uint64_t seed, sl_fill_kind kind) {
  if (ctx == nullptr) {
    return suanli::cpu::fail(nullptr, SL_INVALID_ARGUMENT, "fill: context is NULL");
  }
  if (kind != SL_FILL_UNIFORM) {
    return fail(ctx, SL_UNSUPPORTED,
                "fill: kind " + std::to_string(static_cast<int>(kind)) +
                    " is not offered (only SL_FILL_UNIFORM)");
  }
  if (count > 0 && dst == nullptr) {
    return fail(ctx, SL_INVALID_ARGUMENT, "fill: dst is NULL");
  }
  if (count > static_cast<uint64_t>(INT64_MAX) / 8) {
    return fail(ctx, SL_INVALID_ARGUMENT, "fill: count " + std::to_string(count) + " too large");
  }
  for (const fill_entry &entry : k_fills) {
    if (entry.dtype != dtype) {
      continue;
    }
    if (entry.fn == nullptr) {
      return fail(ctx, SL_UNSUPPORTED, entry.reason);
    }
    return guarded(ctx, "fill", [&] {
      entry.fn(dst, dtype, count, seed, ctx->threads);
      return SL_OK;
    });
  }
  return fail(ctx, SL_INVALID_ARGUMENT,
              "fill: dtype " + std::to_string(static_cast<int>(dtype)) + " is not a known dtype");
}

} // namespace suanli::cpu
