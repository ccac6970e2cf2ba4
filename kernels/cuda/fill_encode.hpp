#pragma once
// Storage bits of the generator's values (sl_fill_value) in every ABI dtype, usable from host
// and device code (SL_HOST_DEVICE). The values are exactly representable by construction, so
// each encoding is exact: no rounding mode is involved.

#include <kernels/abi/suanli_backend.h>

#include <cstdint>
#include <cstring>

namespace suanli::cuda {

/// Bits of an exactly representable finite v in a binary float format with exp_bits exponent
/// and man_bits stored mantissa bits and bias 2^(exp_bits-1) - 1 (fp16, bf16, fp8 e4m3/e5m2).
SL_HOST_DEVICE inline uint32_t encode_minifloat(double v, int exp_bits, int man_bits) {
  uint64_t bits = 0;
  memcpy(&bits, &v, sizeof bits);
  const uint32_t sign = static_cast<uint32_t>(bits >> 63) << (exp_bits + man_bits);
  const int e = static_cast<int>((bits >> 52) & 0x7ff);
  if (e == 0) {
    return sign; // zero
  }
  const uint64_t mant = bits & ((uint64_t{1} << 52) - 1);
  const int biased = e - 1023 + (1 << (exp_bits - 1)) - 1;
  if (biased >= 1) {
    return sign | static_cast<uint32_t>(biased) << man_bits |
           static_cast<uint32_t>(mant >> (52 - man_bits));
  }
  const int shift = 52 - man_bits + 1 - biased; // subnormal in the target format
  return shift >= 64 ? sign : sign | static_cast<uint32_t>(((uint64_t{1} << 52) | mant) >> shift);
}

/// Storage bits of v in dtype, in the low sl_dtype_size(dtype) bytes (two's complement for
/// the integer types).
SL_HOST_DEVICE inline uint64_t encode_value(double v, sl_dtype dtype) {
  switch (dtype) {
  case SL_DTYPE_FP64: {
    uint64_t bits = 0;
    memcpy(&bits, &v, sizeof bits);
    return bits;
  }
  case SL_DTYPE_FP32:
  case SL_DTYPE_TF32: {
    const auto f = static_cast<float>(v);
    uint32_t bits = 0;
    memcpy(&bits, &f, sizeof bits);
    return bits;
  }
  case SL_DTYPE_FP16: return encode_minifloat(v, 5, 10);
  case SL_DTYPE_BF16: return encode_minifloat(v, 8, 7);
  case SL_DTYPE_FP8_E4M3: return encode_minifloat(v, 4, 3);
  case SL_DTYPE_FP8_E5M2: return encode_minifloat(v, 5, 2);
  default: return static_cast<uint64_t>(static_cast<int64_t>(v)); // int8, uint8, int32
  }
}

} // namespace suanli::cuda
