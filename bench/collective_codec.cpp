#include <bench/collective_codec.hpp>

#include <bench/dtype.hpp>

#include <array>
#include <bit>
#include <cmath>
#include <cstring>
#include <limits>
#include <stdexcept>
#include <string>

namespace suanli::bench {
namespace {

constexpr std::array<collective_codec, 6> codecs{{
    {SL_DTYPE_FP32, int64_t{1} << 24, 0x7FC00000},
    {SL_DTYPE_FP16, 2048, 0x7E00},
    {SL_DTYPE_BF16, 256, 0x7FC0},
    {SL_DTYPE_FP64, int64_t{1} << 53, 0x7FF8000000000000},
    {SL_DTYPE_INT32, std::numeric_limits<int32_t>::max(), 0x80000000},
    {SL_DTYPE_INT8, 127, 0x80},
}};

// IEEE binary16 bits of an integer with |v| <= 2048 (exact: no rounding needed).
uint64_t fp16_of(int64_t v) {
  if (v == 0) {
    return 0;
  }
  const uint64_t sign = v < 0 ? 0x8000 : 0;
  const auto a = static_cast<uint64_t>(v < 0 ? -v : v);
  const int e = static_cast<int>(std::bit_width(a)) - 1; // a in [2^e, 2^(e+1))
  const uint64_t mantissa = (e <= 10 ? a << (10 - e) : a >> (e - 10)) & 0x3FF;
  return sign | (static_cast<uint64_t>(e + 15) << 10) | mantissa;
}

double fp16_value(uint64_t bits) {
  const double sign = (bits & 0x8000) != 0 ? -1.0 : 1.0;
  const auto exponent = static_cast<int>((bits >> 10) & 0x1F);
  const auto mantissa = static_cast<double>(bits & 0x3FF);
  if (exponent == 0) {
    return sign * std::ldexp(mantissa, -24);
  }
  if (exponent == 31) {
    return mantissa != 0 ? std::numeric_limits<double>::quiet_NaN()
                         : sign * std::numeric_limits<double>::infinity();
  }
  return sign * std::ldexp(mantissa + 1024.0, exponent - 25);
}

} // namespace

const collective_codec *find_collective_codec(sl_dtype dtype) {
  for (const auto &c : codecs) {
    if (c.dtype == dtype) {
      return &c;
    }
  }
  return nullptr;
}

uint64_t encode_collective_integer(sl_dtype dtype, int64_t v) {
  switch (dtype) {
  case SL_DTYPE_INT8: return static_cast<uint8_t>(static_cast<int8_t>(v));
  case SL_DTYPE_INT32: return static_cast<uint32_t>(static_cast<int32_t>(v));
  case SL_DTYPE_FP32: return std::bit_cast<uint32_t>(static_cast<float>(v));
  case SL_DTYPE_FP64: return std::bit_cast<uint64_t>(static_cast<double>(v));
  // bf16 is the top half of fp32; the low half is zero for integers within K, so no rounding
  case SL_DTYPE_BF16: return std::bit_cast<uint32_t>(static_cast<float>(v)) >> 16;
  case SL_DTYPE_FP16: return fp16_of(v);
  default: throw std::invalid_argument("no collective encoding for " + std::string(name(dtype)));
  }
}

double decode_collective_bits(sl_dtype dtype, uint64_t bits) {
  switch (dtype) {
  case SL_DTYPE_INT8: return static_cast<int8_t>(static_cast<uint8_t>(bits));
  case SL_DTYPE_INT32: return static_cast<int32_t>(static_cast<uint32_t>(bits));
  case SL_DTYPE_FP32: return std::bit_cast<float>(static_cast<uint32_t>(bits));
  case SL_DTYPE_FP64: return std::bit_cast<double>(bits);
  case SL_DTYPE_BF16: return std::bit_cast<float>(static_cast<uint32_t>(bits << 16));
  case SL_DTYPE_FP16: return fp16_value(bits);
  default: return std::numeric_limits<double>::quiet_NaN();
  }
}

uint64_t load_element_bits(const std::byte *p, size_t size) {
  switch (size) {
  case 1: return std::to_integer<uint8_t>(*p);
  case 2: {
    uint16_t u = 0;
    std::memcpy(&u, p, 2);
    return u;
  }
  case 4: {
    uint32_t u = 0;
    std::memcpy(&u, p, 4);
    return u;
  }
  default: {
    uint64_t u = 0;
    std::memcpy(&u, p, 8);
    return u;
  }
  }
}

} // namespace suanli::bench
