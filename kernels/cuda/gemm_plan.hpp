#pragma once
// A prepared GEMM: the validated descriptor, its cuBLASLt statement and the chosen algorithm.

#include <kernels/cuda/context.hpp>
#include <kernels/cuda/gemm_desc.hpp>

#include <string>

/// A GEMM plan: created once, run many times without allocation.
struct sl_gemm_plan {
  int32_t device = 0;                              ///< device the plan runs on
  sl_gemm_desc desc{};                             ///< validated copy of the caller's descriptor
  const suanli::cuda::gemm_combo *combo = nullptr; ///< dtypes and their cuBLASLt types
  suanli::cuda::lt_problem problem;                ///< the column-major statement
  cublasLtMatmulDesc_t op = nullptr;               ///< owned
  cublasLtMatrixLayout_t layout_a = nullptr;       ///< cuBLASLt's A (the ABI's B), owned
  cublasLtMatrixLayout_t layout_b = nullptr;       ///< cuBLASLt's B (the ABI's A), owned
  cublasLtMatrixLayout_t layout_c = nullptr;       ///< C and D, owned
  cublasLtMatmulAlgo_t algo{};                     ///< the chosen algorithm
  uint64_t workspace_bytes = 0;                    ///< workspace the algorithm needs [bytes]
  unsigned char alpha[8] = {}, beta[8] = {};       ///< scales in the combo's scale type
  uint64_t bytes_a = 0, bytes_b = 0, bytes_c = 0;  ///< bytes each ABI operand spans
  std::string description;                         ///< for gemm_plan_describe
};

namespace suanli::cuda {

/// Create the cuBLASLt descriptors and layouts of plan (desc, combo, problem set).
sl_status lt_build(sl_context &ctx, sl_gemm_plan &plan);

/// Ask the heuristic for its top candidates, time them on scratch buffers, keep the fastest;
/// sets algo, workspace_bytes and description.
sl_status lt_choose(sl_context &ctx, sl_gemm_plan &plan, cublasLtHandle_t handle);

/// Enqueue the plan's matmul with algo: a, b, c in the ABI's roles.
cublasStatus_t lt_run(cublasLtHandle_t handle, const sl_gemm_plan &plan,
                      const cublasLtMatmulAlgo_t &algo, uint64_t workspace_bytes, const void *a,
                      const void *b, void *c, void *workspace, cudaStream_t stream);

} // namespace suanli::cuda
