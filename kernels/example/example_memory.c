/* example_memory.c: simulated device memory. Blocks are host memory from aligned_alloc, kept in
 * a per-context allocation table so that every pointer the host passes back can be checked: a
 * call naming memory the context did not allocate, or running past the end of a block, is
 * SL_INVALID_ARGUMENT with a reason, never a wild write. The host never dereferences these
 * pointers; it moves data only through memcpy_h2d and memcpy_d2h. */
#include "example.h"

#include <stdlib.h>
#include <string.h>

/* Fresh blocks hold this byte, not zeros, as real device memory holds leftovers: a host that
 * reads memory it never wrote sees garbage here too. */
#define EX_FRESH_BYTE 0xA5

int ex_overlap(const void *a, uint64_t a_bytes, const void *b, uint64_t b_bytes) {
  const uintptr_t x = (uintptr_t)a;
  const uintptr_t y = (uintptr_t)b;
  return a_bytes > 0 && b_bytes > 0 && x < y + b_bytes && y < x + a_bytes;
}

/* Index of the live block that holds the first byte of a range of `bytes` bytes at p (for an
 * empty range, the block p points into or just past), or -1. Linear: a benchmark holds a
 * handful of blocks. */
static long find_block(const sl_context *ctx, uintptr_t p, uint64_t bytes) {
  for (size_t i = 0; i < ctx->allocation_count; ++i) {
    const ex_allocation *block = &ctx->allocations[i];
    if (p >= block->base &&
        (p - block->base < block->bytes || (bytes == 0 && p - block->base == block->bytes))) {
      return (long)i;
    }
  }
  return -1;
}

sl_status ex_check_range(sl_context *ctx, int32_t device, const void *ptr, uint64_t bytes,
                         const char *call, const char *what) {
  if (ptr == NULL) {
    return ex_fail(ctx, SL_INVALID_ARGUMENT, "%s: %s is NULL", call, what);
  }
  const long i = find_block(ctx, (uintptr_t)ptr, bytes);
  if (i < 0) {
    return ex_fail(ctx, SL_INVALID_ARGUMENT,
                   "%s: %s (%p) is not memory from mem_alloc of this context", call, what, ptr);
  }
  const ex_allocation *block = &ctx->allocations[i];
  const uint64_t offset = (uint64_t)((uintptr_t)ptr - block->base);
  if (bytes > block->bytes - offset) {
    return ex_fail(ctx, SL_INVALID_ARGUMENT,
                   "%s: %s needs %llu bytes at offset %llu of a block of %llu bytes", call, what,
                   (unsigned long long)bytes, (unsigned long long)offset,
                   (unsigned long long)block->bytes);
  }
  if (block->device != device) {
    return ex_fail(ctx, SL_INVALID_ARGUMENT, "%s: %s lives on device %d, the call is for device %d",
                   call, what, (int)block->device, (int)device);
  }
  return SL_OK;
}

sl_status ex_mem_alloc(sl_context *ctx, int32_t device, uint64_t bytes, void **ptr) {
  if (ex_check_device(ctx, device, "mem_alloc") != SL_OK) {
    return SL_INVALID_ARGUMENT;
  }
  if (ptr == NULL) {
    return ex_fail(ctx, SL_INVALID_ARGUMENT, "mem_alloc: ptr output pointer is NULL");
  }
  *ptr = NULL;
  if (bytes > EX_MEMORY_BYTES - ctx->allocated_bytes) {
    return ex_fail(ctx, SL_OUT_OF_MEMORY,
                   "mem_alloc: cannot allocate %llu bytes: %llu of the device's %llu bytes are "
                   "free",
                   (unsigned long long)bytes,
                   (unsigned long long)(EX_MEMORY_BYTES - ctx->allocated_bytes),
                   (unsigned long long)EX_MEMORY_BYTES);
  }
  if (ctx->allocation_count == ctx->allocation_capacity) {
    const size_t capacity = ctx->allocation_capacity == 0 ? 16 : 2 * ctx->allocation_capacity;
    ex_allocation *grown = realloc(ctx->allocations, capacity * sizeof *grown);
    if (grown == NULL) {
      return ex_fail(ctx, SL_OUT_OF_MEMORY, "mem_alloc: cannot grow the allocation table");
    }
    ctx->allocations = grown;
    ctx->allocation_capacity = capacity;
  }
  /* A 0-byte request still gets a distinct block (as cudaMalloc-based plugins do), so that
   * mem_free and range checks work uniformly; nothing can be read or written through it. */
  const uint64_t rounded =
      (bytes + EX_ALIGNMENT_BYTES - 1) / EX_ALIGNMENT_BYTES * EX_ALIGNMENT_BYTES;
  /* VENDOR: aclrtMalloc(&p, bytes, ACL_MEM_MALLOC_HUGE_FIRST) (Ascend), cnrtMalloc (Cambricon),
   * xpu_malloc (Kunlun), hipMalloc (Hygon), musaMalloc (Moore Threads), mcMalloc (MetaX), after
   * selecting `device` (aclrtSetDevice, cnrtSetDevice, xpu_set_device, ...). Keep the table:
   * it lets every call check the host's pointers and lets finalize free what the host leaked.
   * A runtime out-of-memory error is SL_OUT_OF_MEMORY with the runtime's message. */
  void *block = aligned_alloc(EX_ALIGNMENT_BYTES, rounded == 0 ? EX_ALIGNMENT_BYTES : rounded);
  if (block == NULL) {
    return ex_fail(ctx, SL_OUT_OF_MEMORY,
                   "mem_alloc: cannot allocate %llu bytes of host memory for the simulation",
                   (unsigned long long)bytes);
  }
  memset(block, EX_FRESH_BYTE, rounded == 0 ? EX_ALIGNMENT_BYTES : rounded);
  ex_allocation *entry = &ctx->allocations[ctx->allocation_count++];
  entry->base = (uintptr_t)block;
  entry->bytes = bytes;
  entry->device = device;
  ctx->allocated_bytes += bytes;
  *ptr = block;
  return SL_OK;
}

sl_status ex_mem_free(sl_context *ctx, int32_t device, void *ptr) {
  if (ex_check_device(ctx, device, "mem_free") != SL_OK) {
    return SL_INVALID_ARGUMENT;
  }
  if (ptr == NULL) {
    return SL_OK; /* like free(NULL) */
  }
  size_t i = 0;
  while (i < ctx->allocation_count && ctx->allocations[i].base != (uintptr_t)ptr) {
    ++i;
  }
  if (i == ctx->allocation_count || ctx->allocations[i].device != device) {
    return ex_fail(ctx, SL_INVALID_ARGUMENT,
                   "mem_free: %p is not the start of a block from mem_alloc of this context on "
                   "device %d (already freed?)",
                   ptr, (int)device);
  }
  /* Queued work may still use the block: finish it first, as cudaFree does.
   * VENDOR: aclrtFree / cnrtFree / xpu_free / hipFree / musaFree / mcFree. If your runtime's
   * free does not wait for the device, synchronise first (aclrtSynchronizeDevice,
   * cnrtSyncDevice, xpu_wait). */
  ex_drain_all(ctx);
  ctx->allocated_bytes -= ctx->allocations[i].bytes;
  ctx->allocations[i] = ctx->allocations[--ctx->allocation_count];
  free(ptr);
  return SL_OK;
}

/* One synchronous copy; device_side is dst for h2d and src for d2h. */
static sl_status copy(sl_context *ctx, int32_t device, void *dst, const void *src, uint64_t bytes,
                      const void *device_side, const char *call) {
  if (ex_check_device(ctx, device, call) != SL_OK) {
    return SL_INVALID_ARGUMENT;
  }
  if (bytes == 0) {
    return SL_OK;
  }
  const void *host_side = device_side == dst ? src : dst;
  if (host_side == NULL) {
    return ex_fail(ctx, SL_INVALID_ARGUMENT, "%s: the host pointer is NULL", call);
  }
  if (ex_check_range(ctx, device, device_side, bytes, call, "the device range") != SL_OK) {
    return SL_INVALID_ARGUMENT;
  }
  /* Copies are ordered after all work already queued on the device's streams (the semantics of
   * cudaMemcpy on the legacy default stream, which the CUDA plugin has too), so the host can
   * read results after enqueuing them without a stream_sync of its own.
   * VENDOR: aclrtMemcpy(dst, dst_capacity, src, bytes, ACL_MEMCPY_HOST_TO_DEVICE or
   * ACL_MEMCPY_DEVICE_TO_HOST) (note the extra capacity argument), cnrtMemcpy(dst, src, bytes,
   * CNRT_MEM_TRANS_DIR_HOST2DEV / DEV2HOST), xpu_memcpy(dst, src, bytes, XPU_HOST_TO_DEVICE /
   * XPU_DEVICE_TO_HOST), hipMemcpy / musaMemcpy / mcMemcpy. Where the runtime's copy is not
   * ordered after other streams, synchronise the device first. */
  ex_drain_all(ctx);
  memcpy(dst, src, bytes);
  return SL_OK;
}

sl_status ex_memcpy_h2d(sl_context *ctx, int32_t device, void *dst, const void *src,
                        uint64_t bytes) {
  return copy(ctx, device, dst, src, bytes, dst, "memcpy_h2d");
}

sl_status ex_memcpy_d2h(sl_context *ctx, int32_t device, void *dst, const void *src,
                        uint64_t bytes) {
  return copy(ctx, device, dst, src, bytes, src, "memcpy_d2h");
}

void ex_free_all_memory(sl_context *ctx) {
  for (size_t i = 0; i < ctx->allocation_count; ++i) {
    free((void *)ctx->allocations[i].base);
  }
  free(ctx->allocations);
  ctx->allocations = NULL;
  ctx->allocation_count = ctx->allocation_capacity = 0;
  ctx->allocated_bytes = 0;
}
