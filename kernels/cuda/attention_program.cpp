// cuDNN handles, program building and execution for attention plans.

#include <kernels/cuda/attention_plan.hpp>

#include <limits>

namespace suanli::cuda {

namespace {

constexpr uintptr_t k_alignment = 16; // CUDNN_ATTR_TENSOR_BYTE_ALIGNMENT of every tensor

// SL_UNSUPPORTED where cuDNN refused (bad parameter, not supported, no engine config); out of
// memory where it could not allocate.
sl_status refusal_status(cudnnStatus_t st) {
  if (st == CUDNN_STATUS_INTERNAL_ERROR_HOST_ALLOCATION_FAILED ||
      st == CUDNN_STATUS_INTERNAL_ERROR_DEVICE_ALLOCATION_FAILED) {
    return SL_OUT_OF_MEMORY;
  }
  return SL_UNSUPPORTED;
}

std::string causal_text(const attention_graph &g) {
  return !g.causal ? "none" : g.bottom_right ? "bottom-right" : "top-left";
}

} // namespace

attention_state::~attention_state() {
  plans.clear(); // their descriptors before the handles
  for (const auto &[device, handle] : handles) {
    cudaSetDevice(device);
    if (cudnn().fn.destroy != nullptr) {
      cudnn().fn.destroy(handle);
    }
  }
}

attention_state &attention_of(sl_context &ctx) {
  if (!ctx.attention) {
    ctx.attention = std::make_shared<attention_state>();
  }
  return *static_cast<attention_state *>(ctx.attention.get());
}

sl_status cudnn_handle(sl_context *ctx, int32_t device, cudnnHandle_t *handle, const char *call) {
  attention_state &state = attention_of(*ctx);
  if (const auto it = state.handles.find(device); it != state.handles.end()) {
    *handle = it->second;
    return SL_OK;
  }
  cudnnHandle_t created = nullptr;
  if (const cudnnStatus_t st = cudnn().fn.create(&created); st != CUDNN_STATUS_SUCCESS) {
    cudaGetLastError();
    const bool not_supported = static_cast<int>(st) / 1000 == CUDNN_STATUS_NOT_SUPPORTED / 1000;
    const sl_status status = not_supported                            ? SL_UNSUPPORTED
                             : refusal_status(st) == SL_OUT_OF_MEMORY ? SL_OUT_OF_MEMORY
                                                                      : SL_DEVICE_ERROR;
    return fail(ctx, status,
                std::string(call) + ": cudnnCreate on device " + std::to_string(device) + ": " +
                    cudnn_error_text(st));
  }
  state.handles.emplace(device, created);
  *handle = created;
  return SL_OK;
}

sl_status build_attention_program(sl_context *ctx, sl_attention_plan &plan) {
  const attention_graph &g = plan.graph;
  if (const cudnn_failure f = build_program(g, plan.handle, plan.program)) {
    cudaGetLastError();
    return fail(ctx, refusal_status(f.status),
                "attention_plan_create: cuDNN " + cudnn().version +
                    " refuses the graph: " + f.what);
  }
  if (plan.program.workspace_bytes < 0) {
    return fail(ctx, SL_INTERNAL_ERROR,
                "attention_plan_create: cuDNN reports a negative workspace");
  }
  if (const graph_tensor *t = g.find(k_uid_scale)) {
    plan.scale = static_cast<float>(t->value);
  }
  if (const graph_tensor *t = g.find(k_uid_mask_value)) {
    plan.mask_value = static_cast<float>(t->value);
  }
  if (const graph_tensor *t = g.find(k_uid_shift_add)) {
    plan.shift_add = static_cast<int32_t>(t->value);
  }
  if (const graph_tensor *t = g.find(k_uid_shift_sub)) {
    plan.shift_sub = static_cast<int32_t>(t->value);
  }
  const cudnn_program &p = plan.program;
  plan.description =
      "cudnn=" + cudnn().version + " engine=" + std::to_string(p.engine_index) +
      " knobs=" + (p.knobs.empty() ? "none" : p.knobs) +
      " workspace=" + std::to_string(p.workspace_bytes) + " heuristic=" + p.heuristic +
      " configs_tried=" + std::to_string(p.configs_tried) + " causal=" + causal_text(g) +
      " stats=" + (g.stats_virtual ? "virtual" : "lse");
  return SL_OK;
}

sl_status run_attention_program(sl_context *ctx, sl_attention_plan &plan, cudaStream_t stream,
                                const void *q, const void *k, const void *v, void *o, float *lse,
                                void *workspace) {
  std::vector<int64_t> uids = {k_uid_q, k_uid_k, k_uid_v, k_uid_o};
  std::vector<void *> pointers = {const_cast<void *>(q), const_cast<void *>(k),
                                  const_cast<void *>(v), o};
  if (!plan.graph.stats_virtual) {
    uids.push_back(k_uid_stats);
    pointers.push_back(lse);
  }
  for (const void *ptr : pointers) {
    if (reinterpret_cast<uintptr_t>(ptr) % k_alignment != 0) {
      return fail(ctx, SL_INVALID_ARGUMENT,
                  "attention_forward: q, k, v, o and lse must be 16-byte aligned (the plan "
                  "declares it to cuDNN)");
    }
  }
  const std::pair<int64_t, void *> scalars[] = {{k_uid_scale, &plan.scale},
                                                {k_uid_mask_value, &plan.mask_value},
                                                {k_uid_shift_add, &plan.shift_add},
                                                {k_uid_shift_sub, &plan.shift_sub}};
  for (const auto &[uid, ptr] : scalars) {
    if (plan.graph.find(uid) != nullptr) {
      uids.push_back(uid);
      pointers.push_back(ptr);
    }
  }
  const cudnn_api &fn = cudnn().fn;
  if (const cudnnStatus_t st = fn.set_stream(plan.handle, stream); st != CUDNN_STATUS_SUCCESS) {
    return fail(ctx, SL_DEVICE_ERROR, "attention_forward: cudnnSetStream: " + cudnn_error_text(st));
  }
  const cudnn_failure f = execute_program(plan.program, plan.handle, uids, pointers, workspace);
  fn.set_stream(plan.handle, nullptr); // never keep a stream the host may destroy
  if (f) {
    cudaGetLastError();
    return fail(ctx, SL_DEVICE_ERROR, "attention_forward: " + f.what);
  }
  return SL_OK;
}

} // namespace suanli::cuda
