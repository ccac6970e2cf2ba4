#pragma once
// A prepared attention forward (cuDNN's fused attention through the backend graph API) and the
// per-context attention state: cuDNN handles per device and the live plans.

#include <kernels/cuda/attention_graph_desc.hpp>
#include <kernels/cuda/context.hpp>
#include <kernels/cuda/cudnn_graph.hpp>

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

/// An attention plan: the graph, its execution plan and the values bound by value.
struct sl_attention_plan {
  int32_t device = 0;                   ///< device the plan runs on
  sl_attention_desc desc{};             ///< validated copy of the caller's descriptor
  suanli::cuda::attention_graph graph;  ///< tensors and operations
  suanli::cuda::cudnn_program program;  ///< cuDNN descriptors and the chosen execution plan
  cudnnHandle_t handle = nullptr;       ///< the context's handle on device (not owned)
  float scale = 1;                      ///< attn_scale, bound by value
  float mask_value = 0;                 ///< masked score value, bound by value
  int32_t shift_add = 0, shift_sub = 0; ///< bottom-right causal: s_kv and s_q, by value
  std::string description;              ///< for attention_plan_describe
};

namespace suanli::cuda {

/// Attention state of one context (held type-erased in sl_context::attention): the plans are
/// destroyed before the handles they were built on.
struct attention_state {
  attention_state() = default;
  ~attention_state();
  attention_state(const attention_state &) = delete;
  attention_state &operator=(const attention_state &) = delete;

  std::map<int32_t, cudnnHandle_t> handles; ///< device -> cuDNN handle (created on first use)
  std::unordered_map<sl_attention_plan *, std::unique_ptr<sl_attention_plan>> plans; ///< live
};

/// The context's attention state, created on first use.
attention_state &attention_of(sl_context &ctx);

/// The cuDNN handle of device (created on first use; the device must be current).
sl_status cudnn_handle(sl_context *ctx, int32_t device, cudnnHandle_t *handle, const char *call);

/// Build plan's cuDNN program on its handle and its description: SL_UNSUPPORTED with cuDNN's
/// reason when cuDNN refuses the graph or no engine config finalizes.
sl_status build_attention_program(sl_context *ctx, sl_attention_plan &plan);

/// Bind plan's tensors (lse may be NULL when the plan does not want it) and enqueue it on
/// stream.
sl_status run_attention_program(sl_context *ctx, sl_attention_plan &plan, cudaStream_t stream,
                                const void *q, const void *k, const void *v, void *o, float *lse,
                                void *workspace);

} // namespace suanli::cuda
