// cuBLASLt: descriptors, the heuristic's candidates timed on scratch buffers, the matmul call.

#include <kernels/cuda/fill_kernel.hpp>
#include <kernels/cuda/gemm_describe.hpp>
#include <kernels/cuda/gemm_plan.hpp>
#include <kernels/cuda/inventory_text.hpp>

#include <algorithm>
#include <vector>

namespace suanli::cuda {

namespace {

constexpr int k_candidates = 8;                         // heuristic results timed
constexpr uint64_t k_max_workspace_bytes = 32ull << 20; // NVIDIA's advice for Hopper
constexpr double k_timing_target_ms = 5;                // per candidate, after one warm-up
constexpr int k_min_reps = 2, k_max_reps = 10;

// RAII for the scratch resources of the timing.
struct scratch_memory {
  void *ptr = nullptr;
  scratch_memory() = default;
  scratch_memory(const scratch_memory &) = delete;
  scratch_memory &operator=(const scratch_memory &) = delete;
  ~scratch_memory() { cudaFree(ptr); }
};
struct scratch_stream {
  cudaStream_t stream = nullptr;
  cudaEvent_t start = nullptr, stop = nullptr;
  scratch_stream() = default;
  scratch_stream(const scratch_stream &) = delete;
  scratch_stream &operator=(const scratch_stream &) = delete;
  ~scratch_stream() {
    cudaEventDestroy(start);
    cudaEventDestroy(stop);
    cudaStreamDestroy(stream);
  }
};

sl_status layout(sl_context &ctx, cublasLtMatrixLayout_t *out, cudaDataType_t type,
                 const lt_matrix &m, int64_t batch, const char *what) {
  cublasStatus_t st = cublasLtMatrixLayoutCreate(out, type, m.rows, m.cols, m.ld);
  const auto batch32 = static_cast<int32_t>(batch);
  if (st == CUBLAS_STATUS_SUCCESS) {
    st = cublasLtMatrixLayoutSetAttribute(*out, CUBLASLT_MATRIX_LAYOUT_BATCH_COUNT, &batch32,
                                          sizeof batch32);
  }
  if (st == CUBLAS_STATUS_SUCCESS) {
    st = cublasLtMatrixLayoutSetAttribute(*out, CUBLASLT_MATRIX_LAYOUT_STRIDED_BATCH_OFFSET,
                                          &m.stride, sizeof m.stride);
  }
  return st == CUBLAS_STATUS_SUCCESS ? SL_OK : lt_fail(&ctx, st, "gemm_plan_create", what);
}

algo_config read_config(const cublasLtMatmulAlgo_t &algo, uint64_t workspace) {
  algo_config c;
  c.workspace_bytes = workspace;
  const auto get = [&](cublasLtMatmulAlgoConfigAttributes_t attr, auto &value) {
    size_t written = 0;
    cublasLtMatmulAlgoConfigGetAttribute(&algo, attr, &value, sizeof value, &written);
  };
  get(CUBLASLT_ALGO_CONFIG_ID, c.id);
  get(CUBLASLT_ALGO_CONFIG_TILE_ID, c.tile);
  get(CUBLASLT_ALGO_CONFIG_STAGES_ID, c.stages);
  get(CUBLASLT_ALGO_CONFIG_SPLITK_NUM, c.splitk);
  get(CUBLASLT_ALGO_CONFIG_REDUCTION_SCHEME, c.reduction);
  get(CUBLASLT_ALGO_CONFIG_CTA_SWIZZLING, c.swizzle);
  get(CUBLASLT_ALGO_CONFIG_CUSTOM_OPTION, c.custom);
  get(CUBLASLT_ALGO_CONFIG_CLUSTER_SHAPE_ID, c.cluster);
  return c;
}

// Time every candidate on scratch buffers; the per-run time [ms] of each (negative: failed).
// Returns an empty vector with why set when timing is impossible.
std::vector<double> time_candidates(const sl_gemm_plan &plan, cublasLtHandle_t handle,
                                    const std::vector<cublasLtMatmulHeuristicResult_t> &found,
                                    std::string &why) {
  uint64_t workspace = 0;
  for (const auto &r : found) {
    workspace = std::max<uint64_t>(workspace, r.workspaceSize);
  }
  scratch_memory a, b, c, ws;
  const uint64_t sizes[] = {plan.bytes_a, plan.bytes_b, plan.bytes_c, workspace};
  scratch_memory *blocks[] = {&a, &b, &c, &ws};
  for (int i = 0; i < 4; ++i) {
    if (sizes[i] > 0 && cudaMalloc(&blocks[i]->ptr, sizes[i]) != cudaSuccess) {
      cudaGetLastError();
      why = "no memory for scratch operands of " + std::to_string(sizes[i]) + " bytes";
      return {};
    }
  }
  scratch_stream s;
  if (cudaStreamCreate(&s.stream) != cudaSuccess || cudaEventCreate(&s.start) != cudaSuccess ||
      cudaEventCreate(&s.stop) != cudaSuccess) {
    cudaGetLastError();
    why = "cannot create a stream and events for timing";
    return {};
  }
  int sms = 1;
  cudaDeviceGetAttribute(&sms, cudaDevAttrMultiProcessorCount, plan.device);
  const sl_gemm_desc &d = plan.desc;
  const std::pair<void *, sl_dtype> fills[] = {
      {a.ptr, d.a_type}, {b.ptr, d.b_type}, {c.ptr, d.c_type}};
  const uint64_t bytes[] = {plan.bytes_a, plan.bytes_b, plan.bytes_c};
  for (int i = 0; i < 3; ++i) {
    launch_fill(fills[i].first, fills[i].second, bytes[i] / sl_dtype_size(fills[i].second),
                0x5eed0000u + static_cast<uint64_t>(i), s.stream, sms * 8);
  }
  const auto elapsed_ms = [&](const cublasLtMatmulHeuristicResult_t &r, int reps) {
    cudaEventRecord(s.start, s.stream);
    for (int i = 0; i < reps; ++i) {
      if (lt_run(handle, plan, r.algo, r.workspaceSize, a.ptr, b.ptr, c.ptr, ws.ptr, s.stream) !=
          CUBLAS_STATUS_SUCCESS) {
        return -1.0;
      }
    }
    cudaEventRecord(s.stop, s.stream);
    float ms = 0;
    if (cudaEventSynchronize(s.stop) != cudaSuccess ||
        cudaEventElapsedTime(&ms, s.start, s.stop) != cudaSuccess) {
      cudaGetLastError();
      return -1.0;
    }
    return static_cast<double>(ms) / reps;
  };
  std::vector<double> times;
  for (const auto &r : found) {
    const double warm = elapsed_ms(r, 1);
    double best = warm;
    if (warm > 0) {
      const int reps =
          std::clamp(static_cast<int>(k_timing_target_ms / warm), k_min_reps, k_max_reps);
      best = elapsed_ms(r, reps);
    }
    times.push_back(best);
  }
  cudaStreamSynchronize(s.stream);
  cudaGetLastError();
  return times;
}

} // namespace

sl_status lt_build(sl_context &ctx, sl_gemm_plan &plan) {
  const gemm_combo &combo = *plan.combo;
  if (const cublasStatus_t st =
          cublasLtMatmulDescCreate(&plan.op, combo.compute_cuda, combo.scale_cuda);
      st != CUBLAS_STATUS_SUCCESS) {
    plan.op = nullptr;
    return lt_fail(&ctx, st, "gemm_plan_create", "cublasLtMatmulDescCreate");
  }
  const lt_problem &p = plan.problem;
  for (const auto &[attr, op] : {std::pair{CUBLASLT_MATMUL_DESC_TRANSA, p.op_a},
                                 std::pair{CUBLASLT_MATMUL_DESC_TRANSB, p.op_b}}) {
    const auto value = static_cast<int32_t>(op);
    if (const cublasStatus_t st =
            cublasLtMatmulDescSetAttribute(plan.op, attr, &value, sizeof value);
        st != CUBLAS_STATUS_SUCCESS) {
      return lt_fail(&ctx, st, "gemm_plan_create", "cublasLtMatmulDescSetAttribute");
    }
  }
  if (const sl_status s = layout(ctx, &plan.layout_a, combo.b_cuda, p.a, p.batch, "layout of B");
      s != SL_OK) {
    return s;
  }
  if (const sl_status s = layout(ctx, &plan.layout_b, combo.a_cuda, p.b, p.batch, "layout of A");
      s != SL_OK) {
    return s;
  }
  return layout(ctx, &plan.layout_c, combo.c_cuda, p.c, p.batch, "layout of C");
}

sl_status lt_choose(sl_context &ctx, sl_gemm_plan &plan, cublasLtHandle_t handle) {
  cublasLtMatmulPreference_t pref = nullptr;
  if (const cublasStatus_t st = cublasLtMatmulPreferenceCreate(&pref);
      st != CUBLAS_STATUS_SUCCESS) {
    return lt_fail(&ctx, st, "gemm_plan_create", "cublasLtMatmulPreferenceCreate");
  }
  cublasLtMatmulPreferenceSetAttribute(pref, CUBLASLT_MATMUL_PREF_MAX_WORKSPACE_BYTES,
                                       &k_max_workspace_bytes, sizeof k_max_workspace_bytes);
  std::vector<cublasLtMatmulHeuristicResult_t> found(k_candidates);
  int count = 0;
  const cublasStatus_t st =
      cublasLtMatmulAlgoGetHeuristic(handle, plan.op, plan.layout_a, plan.layout_b, plan.layout_c,
                                     plan.layout_c, pref, k_candidates, found.data(), &count);
  cublasLtMatmulPreferenceDestroy(pref);
  std::string combo = plan.combo->name;
  if (st != CUBLAS_STATUS_SUCCESS || count == 0) {
    std::string hint;
    if (plan.combo->tn_layout && !(plan.desc.trans_a == 0 && plan.desc.trans_b != 0)) {
      hint = "; cuBLASLt runs int8 and fp8 GEMMs in its \"TN\" layout only: A not transposed "
             "and B transposed (stored n x k) in the ABI's row-major terms";
    }
    return fail(&ctx,
                st == CUBLAS_STATUS_SUCCESS || st == CUBLAS_STATUS_NOT_SUPPORTED ? SL_UNSUPPORTED
                                                                                 : SL_DEVICE_ERROR,
                "gemm_plan_create: cuBLASLt found no algorithm for " + combo + " (" +
                    cublasLtGetStatusName(st) + ")" + hint);
  }
  found.resize(static_cast<size_t>(count));
  algo_choice choice;
  choice.candidates = count;
  std::vector<double> times = time_candidates(plan, handle, found, choice.untimed_reason);
  size_t best = 0;
  if (!times.empty()) {
    for (size_t i = 0; i < times.size(); ++i) {
      if (times[i] > 0 && (times[best] <= 0 || times[i] < times[best])) {
        best = i;
      }
    }
    if (times[best] <= 0) {
      return fail(&ctx, SL_UNSUPPORTED,
                  "gemm_plan_create: every cuBLASLt candidate for " + combo + " failed to run");
    }
    choice.timed = true;
    choice.rank = static_cast<int>(best);
    choice.first_ms = times[0];
    choice.chosen_ms = times[best];
  }
  plan.algo = found[best].algo;
  plan.workspace_bytes = found[best].workspaceSize;
  plan.description = describe_algo("cuBLASLt " + cublas_version_text(cublasLtGetVersion()), combo,
                                   compute_type_name(plan.combo->compute_cuda),
                                   read_config(plan.algo, plan.workspace_bytes), choice);
  return SL_OK;
}

cublasStatus_t lt_run(cublasLtHandle_t handle, const sl_gemm_plan &plan,
                      const cublasLtMatmulAlgo_t &algo, uint64_t workspace_bytes, const void *a,
                      const void *b, void *c, void *workspace, cudaStream_t stream) {
  // C^T = op(B)^T op(A)^T: cuBLASLt's A is the ABI's B and its B the ABI's A.
  return cublasLtMatmul(handle, plan.op, plan.alpha, b, plan.layout_a, a, plan.layout_b, plan.beta,
                        c, plan.layout_c, c, plan.layout_c, &algo, workspace, workspace_bytes,
                        stream);
}

} // namespace suanli::cuda
