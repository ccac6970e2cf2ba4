// The table of offered GEMM dtype combinations (descriptor checks: kernels/plugin_kit).

#include <kernels/cpu/gemm_plan.hpp>

#include <iterator>

namespace suanli::cpu {

namespace {

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

} // namespace

const gemm_combo *find_gemm_combo(const sl_gemm_desc &d, std::string &reason) {
  for (const gemm_combo &combo : k_combos) {
    if (combo.a == d.a_type && combo.b == d.b_type && combo.c == d.c_type &&
        combo.compute == d.compute_type) {
      return &combo;
    }
  }
  if (gemm_uses(d, SL_DTYPE_TF32)) {
    reason =
        "gemm: " + gemm_types_text(d) + ": no TF32 mode on CPUs; fp32 is not silently substituted";
  } else if (gemm_uses(d, SL_DTYPE_FP8_E4M3) || gemm_uses(d, SL_DTYPE_FP8_E5M2)) {
    reason = "gemm: " + gemm_types_text(d) + ": oneDNN 2.6 has no fp8 matmul on CPUs";
  } else {
    reason = "gemm: " + gemm_types_text(d) + " is not offered by the CPU backend (offered:";
    for (const gemm_combo &combo : k_combos) {
      reason += std::string(" ") + combo.name +
                (&combo == &k_combos[std::size(k_combos) - 1] ? ")" : ";");
    }
  }
  return nullptr;
}

} // namespace suanli::cpu
