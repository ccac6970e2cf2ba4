#include <bench/dtype.hpp>

#include <array>
#include <stdexcept>

namespace suanli::bench {
namespace {

// u = 2^-p with p the significand precision including the implicit bit.
constexpr std::array<dtype_info, 10> table{{
    {SL_DTYPE_FP64, "fp64", 0x1p-53, false},
    {SL_DTYPE_FP32, "fp32", 0x1p-24, false},
    {SL_DTYPE_TF32, "tf32", 0x1p-11, false},
    {SL_DTYPE_FP16, "fp16", 0x1p-11, false},
    {SL_DTYPE_BF16, "bf16", 0x1p-8, false},
    {SL_DTYPE_FP8_E4M3, "fp8_e4m3", 0x1p-4, false},
    {SL_DTYPE_FP8_E5M2, "fp8_e5m2", 0x1p-3, false},
    {SL_DTYPE_INT8, "int8", 0.0, true},
    {SL_DTYPE_UINT8, "uint8", 0.0, true},
    {SL_DTYPE_INT32, "int32", 0.0, true},
}};

} // namespace

const dtype_info &info(sl_dtype dtype) {
  for (const auto &row : table) {
    if (row.id == dtype) {
      return row;
    }
  }
  throw std::out_of_range("invalid dtype");
}

std::string_view name(sl_dtype dtype) {
  for (const auto &row : table) {
    if (row.id == dtype) {
      return row.name;
    }
  }
  return "invalid";
}

std::optional<sl_dtype> parse_dtype(std::string_view text) {
  for (const auto &row : table) {
    if (row.name == text) {
      return row.id;
    }
  }
  return std::nullopt;
}

std::string dtype_names() {
  std::string out;
  for (const auto &row : table) {
    out += (out.empty() ? "" : ", ") + std::string(row.name);
  }
  return out;
}

} // namespace suanli::bench
