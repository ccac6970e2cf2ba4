// GEMM descriptor validation and the table of offered dtype combinations.

#include <kernels/cpu/gemm_plan.hpp>

#include <cmath>

namespace suanli::cpu {

namespace {

constexpr int64_t k_max_extent = int64_t{1} << 52; // elements; beyond this sizes overflow

constexpr gemm_combo k_combos[] = {
    {"fp32 x fp32 -> fp32 (fp32 accumulate)", SL_DTYPE_FP32, SL_DTYPE_FP32, SL_DTYPE_FP32,
     SL_DTYPE_FP32, onednn_plan, onednn_run},
    {"bf16 x bf16 -> bf16 (fp32 accumulate)", SL_DTYPE_BF16, SL_DTYPE_BF16, SL_DTYPE_BF16,
     SL_DTYPE_FP32, onednn_plan, onednn_run},
    {"fp16 x fp16 -> fp16 (fp32 accumulate)", SL_DTYPE_FP16, SL_DTYPE_FP16, SL_DTYPE_FP16,
     SL_DTYPE_FP32, onednn_plan, onednn_run},
    {"uint8 x int8 -> int32 (int32 accumulate)", SL_DTYPE_UINT8, SL_DTYPE_INT8, SL_DTYPE_INT32,
     SL_DTYPE_INT32, onednn_plan, onednn_run},
    {"fp64 x fp64 -> fp64 (fp64 accumulate)", SL_DTYPE_FP64, SL_DTYPE_FP64, SL_DTYPE_FP64,
     SL_DTYPE_FP64, openblas_plan, openblas_run},
};

bool any_is(const sl_gemm_desc &d, sl_dtype t) {
  return d.a_type == t || d.b_type == t || d.c_type == t || d.compute_type == t;
}

std::string combo_text(const sl_gemm_desc &d) {
  return std::string("a=") + dtype_name(d.a_type) + " b=" + dtype_name(d.b_type) +
         " c=" + dtype_name(d.c_type) + " compute=" + dtype_name(d.compute_type);
}

// One operand: stored rows x cols with leading dimension ld, batch stride stride.
struct operand {
  const char *name;
  int64_t rows, cols, ld, stride;
};

sl_status check_operand(const operand &op, int64_t batch, std::string &reason) {
  const std::string n = op.name;
  if (op.ld < op.cols) {
    reason = "gemm: ld" + n + " = " + std::to_string(op.ld) + " is below the " +
             std::to_string(op.cols) + " columns " + op.name + " is stored with";
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
  const operand ops[] = {
      {"a", d.trans_a != 0 ? d.k : d.m, d.trans_a != 0 ? d.m : d.k, d.lda, d.stride_a},
      {"b", d.trans_b != 0 ? d.n : d.k, d.trans_b != 0 ? d.k : d.n, d.ldb, d.stride_b},
      {"c", d.m, d.n, d.ldc, d.stride_c}};
  for (const operand &op : ops) {
    if (const sl_status s = check_operand(op, d.batch, reason); s != SL_OK) {
      return s;
    }
  }
  return SL_OK;
}

const gemm_combo *find_gemm_combo(const sl_gemm_desc &d, std::string &reason) {
  for (const gemm_combo &combo : k_combos) {
    if (combo.a == d.a_type && combo.b == d.b_type && combo.c == d.c_type &&
        combo.compute == d.compute_type) {
      return &combo;
    }
  }
  if (any_is(d, SL_DTYPE_TF32)) {
    reason = "gemm: " + combo_text(d) + ": no TF32 mode on CPUs; fp32 is not silently substituted";
  } else if (any_is(d, SL_DTYPE_FP8_E4M3) || any_is(d, SL_DTYPE_FP8_E5M2)) {
    reason = "gemm: " + combo_text(d) + ": oneDNN 2.6 has no fp8 matmul on CPUs";
  } else {
    reason = "gemm: " + combo_text(d) + " is not offered by the CPU backend (offered:";
    for (const gemm_combo &combo : k_combos) {
      reason += std::string(" ") + combo.name +
                (&combo == &k_combos[std::size(k_combos) - 1] ? ")" : ";");
    }
  }
  return nullptr;
}

} // namespace suanli::cpu
