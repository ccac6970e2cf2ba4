#pragma once
// The attention entry points of the CUDA backend (ABI 1.1): cuDNN's fused attention (SDPA
// forward) through the backend graph API, cuDNN loaded with dlopen at the first plan.

#include <kernels/abi/suanli_backend.h>

#include <cstddef>

namespace suanli::cuda {

/// Validate desc (SL_INVALID_ARGUMENT), refuse what cuDNN's fused attention does not offer
/// (SL_UNSUPPORTED: fp32/fp64, head dims, causal offsets, cuDNN absent or refusing the graph),
/// build the graph and choose an execution plan; *workspace_bytes is cuDNN's workspace.
sl_status attention_plan_create(sl_context *ctx, int32_t device, const sl_attention_desc *desc,
                                sl_attention_plan **plan, uint64_t *workspace_bytes);
/// Enqueue one forward pass on stream (NULL: the legacy default stream); lse may be NULL unless
/// the plan wants it; buffers are mem_alloc memory on the plan's device, 16-byte aligned.
sl_status attention_forward(sl_context *ctx, sl_attention_plan *plan, sl_stream *stream,
                            const void *q, const void *k, const void *v, void *o, float *lse,
                            void *workspace);
/// Destroy a plan.
sl_status attention_plan_destroy(sl_context *ctx, sl_attention_plan *plan);
/// "cudnn=9.19.0 engine=<global index> knobs=<type=value,...> workspace=<bytes> ...".
sl_status attention_plan_describe(sl_context *ctx, const sl_attention_plan *plan, char *buf,
                                  size_t buf_size);

} // namespace suanli::cuda
