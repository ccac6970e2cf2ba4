#include <kernels/reference/element.hpp>

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstring>
#include <limits>

namespace suanli::reference {
namespace {

template <typename T> T read(const void *base, int64_t index) {
  T v;
  std::memcpy(&v, static_cast<const unsigned char *>(base) + index * static_cast<int64_t>(sizeof(T)),
              sizeof(T));
  return v;
}

template <typename T> void write(void *base, int64_t index, T v) {
  std::memcpy(static_cast<unsigned char *>(base) + index * static_cast<int64_t>(sizeof(T)), &v,
              sizeof(T));
}

template <typename T> T saturate(double value) {
  const double lo = static_cast<double>(std::numeric_limits<T>::min());
  const double hi = static_cast<double>(std::numeric_limits<T>::max());
  return static_cast<T>(std::clamp(std::nearbyint(value), lo, hi));
}

} // namespace

float bf16_to_float(uint16_t bits) { return std::bit_cast<float>(uint32_t{bits} << 16); }

uint16_t float_to_bf16(float value) {
  const auto u = std::bit_cast<uint32_t>(value);
  if (std::isnan(value)) {
    return static_cast<uint16_t>((u >> 16) | 0x40);
  }
  const uint32_t rounding = 0x7FFF + ((u >> 16) & 1);
  return static_cast<uint16_t>((u + rounding) >> 16);
}

float fp16_to_float(uint16_t bits) {
  const uint32_t sign = (bits & 0x8000u) << 16;
  const uint32_t exp = (bits >> 10) & 0x1F;
  const uint32_t man = bits & 0x3FF;
  if (exp == 0) { // zero or subnormal: man * 2^-24
    const float v = std::ldexp(static_cast<float>(man), -24);
    return sign != 0 ? -v : v;
  }
  if (exp == 31) {
    return std::bit_cast<float>(sign | 0x7F800000u | (man << 13));
  }
  return std::bit_cast<float>(sign | ((exp + 112) << 23) | (man << 13));
}

uint16_t float_to_fp16(float value) {
  const auto u = std::bit_cast<uint32_t>(value);
  const auto sign = static_cast<uint16_t>((u >> 16) & 0x8000u);
  const float a = std::fabs(value);
  if (std::isnan(value)) {
    return static_cast<uint16_t>(sign | 0x7E00);
  }
  if (a >= 65520.0f) { // rounds to infinity
    return static_cast<uint16_t>(sign | 0x7C00);
  }
  if (a < 0x1p-14f) { // subnormal range: quantum 2^-24
    const auto q = static_cast<uint32_t>(std::nearbyint(std::ldexp(a, 24)));
    return static_cast<uint16_t>(sign | q);
  }
  int e = 0;
  const float m = std::frexp(a, &e); // a = m * 2^e, m in [0.5, 1)
  // 11 significant bits: scale to [1024, 2048) and round to nearest even.
  auto sig = static_cast<uint32_t>(std::nearbyint(std::ldexp(m, 11)));
  if (sig == 2048) {
    sig = 1024;
    ++e;
  }
  const auto exp = static_cast<uint32_t>(e - 1 + 15);
  if (exp >= 31) {
    return static_cast<uint16_t>(sign | 0x7C00);
  }
  return static_cast<uint16_t>(sign | (exp << 10) | (sig & 0x3FF));
}

double load(const void *base, sl_dtype dtype, int64_t index) {
  switch (dtype) {
  case SL_DTYPE_FP64: return read<double>(base, index);
  case SL_DTYPE_FP32:
  case SL_DTYPE_TF32: return read<float>(base, index);
  case SL_DTYPE_BF16: return bf16_to_float(read<uint16_t>(base, index));
  case SL_DTYPE_FP16: return fp16_to_float(read<uint16_t>(base, index));
  case SL_DTYPE_INT8: return read<int8_t>(base, index);
  case SL_DTYPE_UINT8: return read<uint8_t>(base, index);
  case SL_DTYPE_INT32: return read<int32_t>(base, index);
  default: return std::nan("");
  }
}

void store(void *base, sl_dtype dtype, int64_t index, double value) {
  switch (dtype) {
  case SL_DTYPE_FP64: write(base, index, value); break;
  case SL_DTYPE_FP32:
  case SL_DTYPE_TF32: write(base, index, static_cast<float>(value)); break;
  case SL_DTYPE_BF16: write(base, index, float_to_bf16(static_cast<float>(value))); break;
  case SL_DTYPE_FP16: write(base, index, float_to_fp16(static_cast<float>(value))); break;
  case SL_DTYPE_INT8: write(base, index, saturate<int8_t>(value)); break;
  case SL_DTYPE_UINT8: write(base, index, saturate<uint8_t>(value)); break;
  case SL_DTYPE_INT32: write(base, index, saturate<int32_t>(value)); break;
  default: break;
  }
}

} // namespace suanli::reference
