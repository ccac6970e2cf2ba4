/* example_fill.c: the deterministic fill. Element i of dst becomes sl_fill_value(seed, i,
 * dtype) in dtype's storage format, bit for bit what the host's generator gives (the host
 * regenerates inputs from the seed to verify results, so a fill that differs in one bit makes
 * every result "wrong"). The values are exactly representable by construction, so every
 * encoding below is exact and no rounding mode is involved. */
#include "example.h"

#include <stdlib.h>
#include <string.h>

/** A queued fill. */
typedef struct ex_fill_command {
  ex_command base; /**< must be first */
  void *dst;       /**< device memory */
  sl_dtype dtype;  /**< element type */
  uint64_t count;  /**< elements */
  uint64_t seed;   /**< generator seed */
} ex_fill_command;

/* Bits of an exactly representable finite v in a binary float format with exp_bits exponent
 * bits, man_bits stored mantissa bits and bias 2^(exp_bits-1) - 1: fp16 (5, 10), bf16 (8, 7),
 * fp8 e4m3 (4, 3), fp8 e5m2 (5, 2). The same encoder as the CUDA plugin's fill. */
static uint32_t encode_minifloat(double v, int exp_bits, int man_bits) {
  uint64_t bits = 0;
  memcpy(&bits, &v, sizeof bits);
  const uint32_t sign = (uint32_t)(bits >> 63) << (exp_bits + man_bits);
  const int e = (int)((bits >> 52) & 0x7ff);
  if (e == 0) {
    return sign; /* zero */
  }
  const uint64_t mant = bits & ((UINT64_C(1) << 52) - 1);
  const int biased = e - 1023 + (1 << (exp_bits - 1)) - 1;
  if (biased >= 1) {
    return sign | (uint32_t)biased << man_bits | (uint32_t)(mant >> (52 - man_bits));
  }
  const int shift = 52 - man_bits + 1 - biased; /* subnormal in the target format */
  return shift >= 64 ? sign : sign | (uint32_t)(((UINT64_C(1) << 52) | mant) >> shift);
}

/* Store value v of element i into dst in dtype's format. */
static void store(void *dst, uint64_t i, sl_dtype dtype, double v) {
  switch (dtype) {
  case SL_DTYPE_FP64: ((double *)dst)[i] = v; break;
  case SL_DTYPE_FP32:
  case SL_DTYPE_TF32: ((float *)dst)[i] = (float)v; break; /* tf32 is stored as fp32 */
  case SL_DTYPE_FP16: ((uint16_t *)dst)[i] = (uint16_t)encode_minifloat(v, 5, 10); break;
  case SL_DTYPE_BF16: ((uint16_t *)dst)[i] = (uint16_t)encode_minifloat(v, 8, 7); break;
  case SL_DTYPE_FP8_E4M3: ((uint8_t *)dst)[i] = (uint8_t)encode_minifloat(v, 4, 3); break;
  case SL_DTYPE_FP8_E5M2: ((uint8_t *)dst)[i] = (uint8_t)encode_minifloat(v, 5, 2); break;
  case SL_DTYPE_INT8: ((int8_t *)dst)[i] = (int8_t)v; break;
  case SL_DTYPE_UINT8: ((uint8_t *)dst)[i] = (uint8_t)v; break;
  case SL_DTYPE_INT32: ((int32_t *)dst)[i] = (int32_t)v; break;
  default: break; /* rejected at enqueue */
  }
}

static void execute_fill(const ex_command *command) {
  const ex_fill_command *f = (const ex_fill_command *)command;
  /* VENDOR: a device kernel that evaluates sl_fill_value per element: the header's generator
   * is plain integer arithmetic (sl_mix64, sl_fill_bits) and compiles for device code
   * (SL_HOST_DEVICE covers CUDA and HIP; for Ascend C, BANG C or XPU C, copy the three inline
   * functions). Fill on the device: copying host-generated data would make large buffers
   * take minutes. */
  for (uint64_t i = 0; i < f->count; ++i) {
    store(f->dst, i, f->dtype, sl_fill_value(f->seed, i, f->dtype));
  }
}

sl_status ex_fill(sl_context *ctx, sl_stream *stream, void *dst, sl_dtype dtype, uint64_t count,
                  uint64_t seed, sl_fill_kind kind) {
  if (ex_need_context(ctx, "fill") != SL_OK) {
    return SL_INVALID_ARGUMENT;
  }
  if (kind != SL_FILL_UNIFORM) {
    return ex_fail(ctx, SL_UNSUPPORTED, "fill: kind %d is not offered (only SL_FILL_UNIFORM)",
                   (int)kind);
  }
  const size_t size = sl_dtype_size(dtype);
  if (size == 0) {
    return ex_fail(ctx, SL_INVALID_ARGUMENT, "fill: dtype %d is not a known sl_dtype", (int)dtype);
  }
  /* Every dtype of the ABI is offered: the encodings above cover them all. VENDOR: a dtype your
   * device cannot store (fp8 on a chip without it) is SL_UNSUPPORTED with that reason. */
  if (count > (uint64_t)EX_MAX_EXTENT) {
    return ex_fail(ctx, SL_INVALID_ARGUMENT, "fill: count %llu is too large",
                   (unsigned long long)count);
  }
  /* The ABI's fill names no device: it is the stream's (device 0 for the NULL stream). */
  int32_t device = 0;
  if (ex_stream_device(ctx, stream, &device, "fill") != SL_OK) {
    return SL_INVALID_ARGUMENT;
  }
  if (count == 0) {
    return SL_OK;
  }
  if (ex_check_range(ctx, device, dst, count * size, "fill", "dst") != SL_OK) {
    return SL_INVALID_ARGUMENT;
  }
  ex_fill_command *command = calloc(1, sizeof *command);
  if (command == NULL) {
    return ex_fail(ctx, SL_OUT_OF_MEMORY, "fill: cannot allocate the command");
  }
  command->base.execute = execute_fill;
  command->dst = dst;
  command->dtype = dtype;
  command->count = count;
  command->seed = seed;
  return ex_enqueue(ctx, stream, &command->base);
}
