#pragma once

#include <kernels/abi/suanli_backend.h>

#include <cstdint>

namespace suanli::reference {

/// Decode element `index` of a buffer of `dtype` to double (exact for every supported dtype).
[[nodiscard]] double load(const void *base, sl_dtype dtype, int64_t index);

/// Encode `value` into element `index` of a buffer of `dtype`, rounding to nearest even
/// (saturating for integers).
void store(void *base, sl_dtype dtype, int64_t index, double value);

/// bf16 bit pattern to float.
[[nodiscard]] float bf16_to_float(uint16_t bits);
/// IEEE binary16 bit pattern to float.
[[nodiscard]] float fp16_to_float(uint16_t bits);
/// float to bf16 bit pattern, round to nearest even.
[[nodiscard]] uint16_t float_to_bf16(float value);
/// float to IEEE binary16 bit pattern, round to nearest even.
[[nodiscard]] uint16_t float_to_fp16(float value);

} // namespace suanli::reference
