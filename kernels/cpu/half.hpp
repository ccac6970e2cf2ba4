#pragma once
// Conversions between float and the 16-bit floating formats, round to nearest even.

#include <cstdint>
#include <cstring>

namespace suanli::cpu {

/// Bits of a float.
inline uint32_t float_bits(float f) {
  uint32_t u = 0;
  std::memcpy(&u, &f, sizeof u);
  return u;
}

/// Float with the given bits.
inline float bits_float(uint32_t u) {
  float f = 0;
  std::memcpy(&f, &u, sizeof f);
  return f;
}

/// bf16 bits -> float (exact).
inline float bf16_to_float(uint16_t h) {
  return bits_float(static_cast<uint32_t>(h) << 16);
}

/// float -> bf16 bits, round to nearest even; NaN stays NaN.
inline uint16_t float_to_bf16(float f) {
  const uint32_t u = float_bits(f);
  if ((u & 0x7fffffffu) > 0x7f800000u) {
    return static_cast<uint16_t>((u >> 16) | 0x40u);
  }
  return static_cast<uint16_t>((u + 0x7fffu + ((u >> 16) & 1u)) >> 16);
}

/// fp16 bits -> float (exact).
inline float fp16_to_float(uint16_t h) {
  const uint32_t sign = static_cast<uint32_t>(h & 0x8000u) << 16;
  const uint32_t exp = (h >> 10) & 0x1fu;
  const uint32_t man = h & 0x3ffu;
  if (exp == 0x1f) {
    return bits_float(sign | 0x7f800000u | (man << 13));
  }
  if (exp == 0) { // zero or subnormal: man * 2^-24
    const float mag = static_cast<float>(man) * bits_float(0x33800000u);
    return sign != 0 ? -mag : mag;
  }
  return bits_float(sign | ((exp + 112u) << 23) | (man << 13));
}

/// float -> fp16 bits, round to nearest even, overflow to infinity; NaN stays NaN.
inline uint16_t float_to_fp16(float f) {
  const uint32_t u = float_bits(f);
  const auto sign = static_cast<uint16_t>((u >> 16) & 0x8000u);
  const uint32_t abs = u & 0x7fffffffu;
  if (abs > 0x7f800000u) {
    return static_cast<uint16_t>(sign | 0x7e00u);
  }
  if (abs >= 0x477ff000u) { // rounds to >= 65520: infinity
    return static_cast<uint16_t>(sign | 0x7c00u);
  }
  if (abs < 0x38800000u) { // below 2^-14: subnormal; the float sum rounds to nearest even
    const float mag = bits_float(abs) + 0.5f; // 0.5 = 2^-1: its ulp is 2^-24, the fp16 step
    return static_cast<uint16_t>(sign | (float_bits(mag) - 0x3f000000u));
  }
  const uint32_t rounded = abs + 0xfffu + ((abs >> 13) & 1u);
  return static_cast<uint16_t>(sign | ((rounded - 0x38000000u) >> 13));
}

} // namespace suanli::cpu
