#pragma once
// exp2 for the attention softmax, shared by every kernel: x = n + f with n = round(x) and
// f in [-1/2, 1/2], 2^f by a degree-6 polynomial (Chebyshev interpolation, evaluated by Horner
// in fp32), then scaled by 2^n. Relative error <= 8.1e-8 over [-125, 0] (measured against
// exp2l on 2e6 points). Inputs below k_exp2_min (and -inf, NaN) give exactly 0, so masked
// scores contribute nothing and no denormal is ever produced.

#include <cstdint>
#include <cstring>

namespace suanli::cpu {

/// Coefficients of 2^f on [-1/2, 1/2], constant term first.
constexpr float k_exp2_poly[7] = {1.000000000e+00f, 6.931471825e-01f, 2.402265072e-01f,
                                  5.550327152e-02f, 9.618056938e-03f, 1.340042800e-03f,
                                  1.546144485e-04f};

/// Inputs below this give 0 [log2 units].
constexpr float k_exp2_min = -125.0f;

/// 2^x for x <= 0 (as the softmax uses it), branch-free so loops over it auto-vectorise.
inline float exp2_scalar(float x) {
  const bool live = x >= k_exp2_min; // false for -inf and NaN
  const float xc = live ? x : 0.0f;
  // round to nearest: 1.5 * 2^23 pushes the fraction out of the significand
  const float n = (xc + 12582912.0f) - 12582912.0f;
  const float f = xc - n;
  float p = k_exp2_poly[6];
  p = p * f + k_exp2_poly[5];
  p = p * f + k_exp2_poly[4];
  p = p * f + k_exp2_poly[3];
  p = p * f + k_exp2_poly[2];
  p = p * f + k_exp2_poly[1];
  p = p * f + k_exp2_poly[0];
  const auto scale_bits = static_cast<uint32_t>(static_cast<int32_t>(n) + 127) << 23;
  float scale = 0;
  std::memcpy(&scale, &scale_bits, sizeof scale);
  return live ? p * scale : 0.0f;
}

} // namespace suanli::cpu
