#include <devices/peak_key.hpp>

#include <array>
#include <utility>

namespace suanli::devices {
namespace {

constexpr std::array<std::pair<peak_key, std::string_view>, 11> keys{{
    {peak_key::fp64, "fp64"},
    {peak_key::fp64_tensor, "fp64_tensor"},
    {peak_key::fp32, "fp32"},
    {peak_key::fp32_tensor, "fp32_tensor"},
    {peak_key::tf32, "tf32"},
    {peak_key::fp16, "fp16"},
    {peak_key::bf16, "bf16"},
    {peak_key::fp8, "fp8"},
    {peak_key::fp8_e4m3, "fp8_e4m3"},
    {peak_key::fp8_e5m2, "fp8_e5m2"},
    {peak_key::int8, "int8"},
}};

} // namespace

std::string_view name(peak_key key) {
  for (const auto &[k, text] : keys) {
    if (k == key) {
      return text;
    }
  }
  return "invalid";
}

std::optional<peak_key> parse_peak_key(std::string_view text) {
  for (const auto &[k, spelling] : keys) {
    if (spelling == text) {
      return k;
    }
  }
  return std::nullopt;
}

std::string peak_key_names() {
  std::string out;
  for (const auto &[k, text] : keys) {
    out += (out.empty() ? "" : ", ") + std::string(text);
  }
  return out;
}

bool is_integer(peak_key key) {
  return key == peak_key::int8;
}

std::string_view unit(peak_key key) {
  return is_integer(key) ? "TOPS" : "TFLOP/s";
}

std::vector<peak_key> peak_keys_for(sl_dtype dtype) {
  switch (dtype) {
  case SL_DTYPE_FP64: return {peak_key::fp64_tensor, peak_key::fp64};
  case SL_DTYPE_FP32: return {peak_key::fp32_tensor, peak_key::fp32};
  case SL_DTYPE_TF32: return {peak_key::tf32};
  case SL_DTYPE_FP16: return {peak_key::fp16};
  case SL_DTYPE_BF16: return {peak_key::bf16};
  case SL_DTYPE_FP8_E4M3: return {peak_key::fp8_e4m3, peak_key::fp8};
  case SL_DTYPE_FP8_E5M2: return {peak_key::fp8_e5m2, peak_key::fp8};
  case SL_DTYPE_INT8: return {peak_key::int8};
  default: return {};
  }
}

} // namespace suanli::devices
