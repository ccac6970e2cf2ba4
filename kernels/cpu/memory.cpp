// Host memory: aligned allocations tracked per context, copies are memcpy.

#include <kernels/cpu/api.hpp>
#include <kernels/cpu/context.hpp>

#include <sys/mman.h>

#include <cstdlib>
#include <cstring>

namespace suanli::cpu {

namespace {

constexpr uint64_t k_huge_page_bytes = 2ull << 20; // 2 MiB: alignment and THP hint from here up
constexpr uint64_t k_line_bytes = 64;              // cache line / AVX-512 vector

sl_status copy(sl_context *ctx, int32_t device, void *dst, const void *src, uint64_t bytes,
               const char *call) {
  if (const sl_status s = check_device(ctx, device, call); s != SL_OK) {
    return s;
  }
  if (bytes > 0 && (dst == nullptr || src == nullptr)) {
    return fail(ctx, SL_INVALID_ARGUMENT, std::string(call) + ": NULL source or destination");
  }
  if (bytes > 0) {
    std::memcpy(dst, src, bytes);
  }
  return SL_OK;
}

} // namespace

sl_status mem_alloc(sl_context *ctx, int32_t device, uint64_t bytes, void **ptr) {
  if (const sl_status s = check_device(ctx, device, "mem_alloc"); s != SL_OK) {
    return s;
  }
  if (ptr == nullptr) {
    return fail(ctx, SL_INVALID_ARGUMENT, "mem_alloc: ptr output pointer is NULL");
  }
  *ptr = nullptr;
  return guarded(ctx, "mem_alloc", [&] {
    const uint64_t alignment = bytes >= k_huge_page_bytes ? k_huge_page_bytes : k_line_bytes;
    const uint64_t rounded = (bytes + alignment - 1) / alignment * alignment;
    void *block = nullptr;
    if (bytes > UINT64_MAX - alignment ||
        posix_memalign(&block, alignment, rounded == 0 ? alignment : rounded) != 0) {
      return fail(ctx, SL_OUT_OF_MEMORY,
                  "mem_alloc: cannot allocate " + std::to_string(bytes) + " bytes of host memory");
    }
    if (alignment == k_huge_page_bytes) {
      madvise(block, rounded, MADV_HUGEPAGE); // a hint; failure is harmless
    }
    try {
      ctx->allocations.emplace(block, bytes);
    } catch (...) {
      std::free(block);
      throw;
    }
    *ptr = block;
    return SL_OK;
  });
}

sl_status mem_free(sl_context *ctx, int32_t device, void *ptr) {
  if (const sl_status s = check_device(ctx, device, "mem_free"); s != SL_OK) {
    return s;
  }
  if (ptr == nullptr) {
    return SL_OK;
  }
  if (ctx->allocations.erase(ptr) == 0) {
    return fail(ctx, SL_INVALID_ARGUMENT,
                "mem_free: pointer was not allocated by mem_alloc of this context");
  }
  std::free(ptr);
  return SL_OK;
}

sl_status memcpy_h2d(sl_context *ctx, int32_t device, void *dst, const void *src, uint64_t bytes) {
  return copy(ctx, device, dst, src, bytes, "memcpy_h2d");
}

sl_status memcpy_d2h(sl_context *ctx, int32_t device, void *dst, const void *src, uint64_t bytes) {
  return copy(ctx, device, dst, src, bytes, "memcpy_d2h");
}

} // namespace suanli::cpu
