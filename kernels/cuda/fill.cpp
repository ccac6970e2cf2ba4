// fill: validate, then launch the device kernel (fill_kernel.cu) on the caller's stream.

#include <kernels/cuda/api.hpp>
#include <kernels/cuda/context.hpp>
#include <kernels/cuda/fill_kernel.hpp>

namespace suanli::cuda {

namespace {

constexpr int k_blocks_per_sm = 8; // enough resident threads to saturate memory bandwidth

} // namespace

sl_status fill(sl_context *ctx, sl_stream *stream, void *dst, sl_dtype dtype, uint64_t count,
               uint64_t seed, sl_fill_kind kind) {
  if (const sl_status s = need_ctx(ctx, "fill"); s != SL_OK) {
    return s;
  }
  if (kind != SL_FILL_UNIFORM) {
    return fail(ctx, SL_UNSUPPORTED,
                "fill: kind " + std::to_string(static_cast<int>(kind)) +
                    " is not offered (only SL_FILL_UNIFORM)");
  }
  const size_t size = sl_dtype_size(dtype);
  if (size == 0) {
    return fail(ctx, SL_INVALID_ARGUMENT,
                "fill: dtype " + std::to_string(static_cast<int>(dtype)) + " is not a known dtype");
  }
  if (count == 0) {
    return SL_OK;
  }
  if (count > UINT64_MAX / size) {
    return fail(ctx, SL_INVALID_ARGUMENT, "fill: count " + std::to_string(count) + " too large");
  }
  const allocation *block = find_range(ctx, dst, count * size, "fill", "dst");
  if (block == nullptr) {
    return SL_INVALID_ARGUMENT;
  }
  return guarded(ctx, "fill", [&] {
    cudaStream_t raw = nullptr;
    if (const sl_status s = stream_of(ctx, stream, block->device, &raw, "fill"); s != SL_OK) {
      return s;
    }
    int sms = 0;
    cudaDeviceGetAttribute(&sms, cudaDevAttrMultiProcessorCount, block->device);
    const int max_blocks = (sms > 0 ? sms : 1) * k_blocks_per_sm;
    if (const cudaError_t err = launch_fill(dst, dtype, count, seed, raw, max_blocks);
        err != cudaSuccess) {
      return cuda_fail(ctx, err, "fill", "kernel launch");
    }
    return SL_OK;
  });
}

} // namespace suanli::cuda
