#pragma once
// Exact small integers in the collective dtypes (used by bench/collective_data.cpp): how large
// they may grow, their bit patterns, and a poison pattern none of them takes. Self-contained, so
// the verification data does not share conversion code with any backend.

#include <kernels/abi/suanli_backend.h>

#include <cstddef>
#include <cstdint>

namespace suanli::bench {

/// Exact-integer facts of one collective dtype (one table row each).
struct collective_codec {
  sl_dtype dtype;  ///< element type
  int64_t exact;   ///< K: every integer in [-K, K] is exact, so every partial sum that stays
                   ///< within it is too (int8 127, fp16 2048, bf16 256, int32 2^31-1, fp32 2^24,
                   ///< fp64 2^53)
  uint64_t poison; ///< bits outside [-K, K]: int8 -128, int32 INT32_MIN, a quiet NaN otherwise
};

/// The row of a dtype; nullptr outside collective_dtypes().
[[nodiscard]] const collective_codec *find_collective_codec(sl_dtype dtype);

/// Bits of the integer v in dtype, in the low sl_dtype_size(dtype) bytes; exact for |v| <= K.
/// Throws std::invalid_argument for a dtype without a codec.
[[nodiscard]] uint64_t encode_collective_integer(sl_dtype dtype, int64_t v);

/// Value of any bit pattern of dtype (NaN, infinities and subnormals included); NaN for a dtype
/// without a codec.
[[nodiscard]] double decode_collective_bits(sl_dtype dtype, uint64_t bits);

/// Bits of the element of `size` bytes (1, 2, 4 or 8) at p, in host byte order.
[[nodiscard]] uint64_t load_element_bits(const std::byte *p, size_t size);

} // namespace suanli::bench
