// Device memory: cudaMalloc blocks tracked per context (so ranges can be checked), synchronous
// copies on the legacy default stream (ordered after work on the plugin's blocking streams).

#include <kernels/cuda/api.hpp>
#include <kernels/cuda/context.hpp>

namespace suanli::cuda {

namespace {

constexpr uint64_t k_min_block_bytes = 256; // a 0-byte request still gets a distinct block

sl_status copy(sl_context *ctx, int32_t device, void *dst, const void *src, uint64_t bytes,
               cudaMemcpyKind kind, const char *call) {
  if (const sl_status s = use_device(ctx, device, call); s != SL_OK) {
    return s;
  }
  if (bytes == 0) {
    return SL_OK;
  }
  if (dst == nullptr || src == nullptr) {
    return fail(ctx, SL_INVALID_ARGUMENT, std::string(call) + ": NULL source or destination");
  }
  const void *device_side = kind == cudaMemcpyHostToDevice ? dst : src;
  const allocation *block = find_range(ctx, device_side, bytes, call, "the device range");
  if (block == nullptr) {
    return SL_INVALID_ARGUMENT;
  }
  if (block->device != device) {
    return fail(ctx, SL_INVALID_ARGUMENT,
                std::string(call) + ": the device range belongs to device " +
                    std::to_string(block->device) + ", not " + std::to_string(device));
  }
  if (const cudaError_t err = cudaMemcpy(dst, src, bytes, kind); err != cudaSuccess) {
    return cuda_fail(ctx, err, call, "cudaMemcpy");
  }
  return SL_OK;
}

} // namespace

sl_status mem_alloc(sl_context *ctx, int32_t device, uint64_t bytes, void **ptr) {
  if (const sl_status s = use_device(ctx, device, "mem_alloc"); s != SL_OK) {
    return s;
  }
  if (ptr == nullptr) {
    return fail(ctx, SL_INVALID_ARGUMENT, "mem_alloc: ptr output pointer is NULL");
  }
  *ptr = nullptr;
  return guarded(ctx, "mem_alloc", [&] {
    void *block = nullptr;
    const uint64_t size = bytes < k_min_block_bytes ? k_min_block_bytes : bytes;
    if (const cudaError_t err = cudaMalloc(&block, size); err != cudaSuccess) {
      return cuda_fail(ctx, err, "mem_alloc",
                       ("cudaMalloc of " + std::to_string(bytes) + " bytes").c_str());
    }
    try {
      ctx->allocations.emplace(reinterpret_cast<uintptr_t>(block), allocation{device, size});
    } catch (...) {
      cudaFree(block);
      throw;
    }
    *ptr = block;
    return SL_OK;
  });
}

sl_status mem_free(sl_context *ctx, int32_t device, void *ptr) {
  if (const sl_status s = use_device(ctx, device, "mem_free"); s != SL_OK) {
    return s;
  }
  if (ptr == nullptr) {
    return SL_OK;
  }
  const auto it = ctx->allocations.find(reinterpret_cast<uintptr_t>(ptr));
  if (it == ctx->allocations.end() || it->second.device != device) {
    return fail(ctx, SL_INVALID_ARGUMENT,
                "mem_free: pointer was not allocated by mem_alloc of this context on device " +
                    std::to_string(device));
  }
  ctx->allocations.erase(it);
  if (const cudaError_t err = cudaFree(ptr); err != cudaSuccess) {
    return cuda_fail(ctx, err, "mem_free", "cudaFree");
  }
  return SL_OK;
}

sl_status memcpy_h2d(sl_context *ctx, int32_t device, void *dst, const void *src, uint64_t bytes) {
  return copy(ctx, device, dst, src, bytes, cudaMemcpyHostToDevice, "memcpy_h2d");
}

sl_status memcpy_d2h(sl_context *ctx, int32_t device, void *dst, const void *src, uint64_t bytes) {
  return copy(ctx, device, dst, src, bytes, cudaMemcpyDeviceToHost, "memcpy_d2h");
}

} // namespace suanli::cuda
