#pragma once
// A prepared GEMM: the validated descriptor, the chosen implementation and its state.

#include <kernels/cpu/context.hpp>
#include <kernels/plugin_kit/gemm_desc_check.hpp>

#include <string>
#include <unordered_map>

namespace suanli::cpu {
struct gemm_combo;
} // namespace suanli::cpu

/// A GEMM plan: created once, run many times without allocation on the plugin's side.
struct sl_gemm_plan {
  sl_gemm_desc desc{};                            ///< validated copy of the caller's descriptor
  const suanli::cpu::gemm_combo *combo = nullptr; ///< dtype combination and its implementation
  uint64_t workspace_bytes = 0;                   ///< host-provided scratch the run needs [bytes]
  std::string description;                        ///< implementation name for gemm_plan_describe
  dnnl::matmul primitive;                         ///< oneDNN plans: the matmul primitive
  dnnl::memory mem_a, mem_b, mem_c, mem_scratch;  ///< oneDNN plans: handles set at each run
  std::unordered_map<int, dnnl::memory> args;     ///< oneDNN plans: execute() arguments
};

namespace suanli::cpu {

/// Fill in plan for its combo; SL_OK, or SL_UNSUPPORTED with reason.
using gemm_plan_fn = sl_status (*)(sl_context &ctx, sl_gemm_plan &plan, std::string &reason);
/// Compute C for every batch entry, synchronously.
using gemm_run_fn = void (*)(sl_context &ctx, sl_gemm_plan &plan, const void *a, const void *b,
                             void *c, void *workspace);

/// A dtype combination the plugin offers and the library that computes it.
struct gemm_combo {
  const char *name; ///< e.g. "bf16 x bf16 -> bf16 (fp32 accumulate)"
  sl_dtype a, b, c, compute;
  gemm_plan_fn plan; ///< prepares the plan
  gemm_run_fn run;   ///< runs it
};

/// The offered combination matching desc's dtypes; NULL with reason when none does.
const gemm_combo *find_gemm_combo(const sl_gemm_desc &desc, std::string &reason);

// Descriptor checks and names shared by every plugin.
using plugin_kit::check_gemm_desc;
using plugin_kit::dtype_name;
using plugin_kit::gemm_types_text;
using plugin_kit::gemm_uses;
using plugin_kit::matrix_span;

/// oneDNN matmul (fp32, bf16, fp16, int8).
sl_status onednn_plan(sl_context &ctx, sl_gemm_plan &plan, std::string &reason);
/// Runs a oneDNN plan.
void onednn_run(sl_context &ctx, sl_gemm_plan &plan, const void *a, const void *b, void *c,
                void *workspace);
/// OpenBLAS cblas_dgemm (fp64).
sl_status openblas_plan(sl_context &ctx, sl_gemm_plan &plan, std::string &reason);
/// Runs an OpenBLAS plan, one cblas_dgemm per batch entry.
void openblas_run(sl_context &ctx, sl_gemm_plan &plan, const void *a, const void *b, void *c,
                  void *workspace);

} // namespace suanli::cpu
