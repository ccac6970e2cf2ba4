#include <kernels/plugin_kit/gemm_desc_check.hpp>

#include <cmath>
#include <iterator>

namespace suanli::plugin_kit {
namespace {

constexpr int64_t k_max_extent = int64_t{1} << 52; // elements; beyond this sizes overflow

sl_status check_operand(const gemm_operand &op, int64_t batch, std::string &reason) {
  const std::string n = op.name;
  if (op.ld < op.cols) {
    reason = "gemm: ld" + n + " = " + std::to_string(op.ld) + " is below the " +
             std::to_string(op.cols) + " columns " + n + " is stored with";
    return SL_INVALID_ARGUMENT;
  }
  if (op.ld > k_max_extent || op.stride < 0 || op.stride > k_max_extent) {
    reason = "gemm: ld" + n + " or stride_" + n + " is negative or too large";
    return SL_INVALID_ARGUMENT;
  }
  const int64_t span = matrix_span(op.rows, op.cols, op.ld);
  if (span > k_max_extent || (batch - 1) > k_max_extent / (op.stride > 0 ? op.stride : 1)) {
    reason = "gemm: operand " + n + " spans too many elements";
    return SL_INVALID_ARGUMENT;
  }
  if (batch > 1 && op.stride < span) {
    reason = "gemm: stride_" + n + " = " + std::to_string(op.stride) + " makes batch entries of " +
             n + " overlap (one entry spans " + std::to_string(span) + " elements)";
    return n == "c" ? SL_INVALID_ARGUMENT : SL_UNSUPPORTED;
  }
  return SL_OK;
}

} // namespace

const char *dtype_name(sl_dtype dtype) {
  static constexpr const char *k_names[] = {"invalid",  "fp64",     "fp32", "tf32",  "fp16", "bf16",
                                            "fp8_e4m3", "fp8_e5m2", "int8", "uint8", "int32"};
  const auto i = static_cast<int>(dtype);
  return i >= 0 && i < static_cast<int>(std::size(k_names)) ? k_names[i] : "unknown";
}

int64_t matrix_span(int64_t rows, int64_t cols, int64_t ld) {
  return (rows - 1) * ld + cols;
}

gemm_operand gemm_operand_of(const sl_gemm_desc &d, char which) {
  switch (which) {
  case 'a': return {"a", d.trans_a != 0 ? d.k : d.m, d.trans_a != 0 ? d.m : d.k, d.lda, d.stride_a};
  case 'b': return {"b", d.trans_b != 0 ? d.n : d.k, d.trans_b != 0 ? d.k : d.n, d.ldb, d.stride_b};
  default: return {"c", d.m, d.n, d.ldc, d.stride_c};
  }
}

std::string gemm_types_text(const sl_gemm_desc &d) {
  return std::string("a=") + dtype_name(d.a_type) + " b=" + dtype_name(d.b_type) +
         " c=" + dtype_name(d.c_type) + " compute=" + dtype_name(d.compute_type);
}

bool gemm_uses(const sl_gemm_desc &d, sl_dtype t) {
  return d.a_type == t || d.b_type == t || d.c_type == t || d.compute_type == t;
}

sl_status check_gemm_desc(const sl_gemm_desc *desc, std::string &reason) {
  if (desc == nullptr) {
    reason = "gemm_plan_create: desc is NULL";
    return SL_INVALID_ARGUMENT;
  }
  if (desc->struct_size < sizeof(sl_gemm_desc)) {
    reason = "gemm_plan_create: desc->struct_size = " + std::to_string(desc->struct_size) +
             ", expected at least " + std::to_string(sizeof(sl_gemm_desc));
    return SL_INVALID_ARGUMENT;
  }
  const sl_gemm_desc &d = *desc;
  if (d.m < 1 || d.n < 1 || d.k < 1 || d.batch < 1 || d.m > k_max_extent || d.n > k_max_extent ||
      d.k > k_max_extent || d.batch > k_max_extent) {
    reason = "gemm: m, n, k and batch must be >= 1 (got m=" + std::to_string(d.m) +
             " n=" + std::to_string(d.n) + " k=" + std::to_string(d.k) +
             " batch=" + std::to_string(d.batch) + ")";
    return SL_INVALID_ARGUMENT;
  }
  if ((d.trans_a != 0 && d.trans_a != 1) || (d.trans_b != 0 && d.trans_b != 1)) {
    reason = "gemm: trans_a and trans_b must be 0 or 1";
    return SL_INVALID_ARGUMENT;
  }
  if (!std::isfinite(d.alpha) || !std::isfinite(d.beta)) {
    reason = "gemm: alpha and beta must be finite";
    return SL_INVALID_ARGUMENT;
  }
  for (const char which : {'a', 'b', 'c'}) {
    if (const sl_status s = check_operand(gemm_operand_of(d, which), d.batch, reason); s != SL_OK) {
      return s;
    }
  }
  return SL_OK;
}

} // namespace suanli::plugin_kit
