#pragma once
// A prepared attention forward: the validated descriptor, the kernels chosen for it and the
// workspace it needs; plus the validation and the driver that runs it.

#include <kernels/cpu/attention_kernels.hpp>
#include <kernels/cpu/context.hpp>

#include <string>

/// An attention plan: created once, run many times without allocation on the plugin's side.
struct sl_attention_plan {
  sl_attention_desc desc{};                                ///< validated copy of the descriptor
  const suanli::cpu::attention_kernels *kernels = nullptr; ///< the ISA level chosen
  suanli::cpu::attention_step_fn step = nullptr;           ///< its tile kernel for dtype and d
  int64_t causal_offset = 0;    ///< desc.causal_offset clamped to [-seq_q, seq_kv] (same mask)
  int32_t threads = 1;          ///< OpenMP threads of the forward pass
  uint64_t thread_bytes = 0;    ///< workspace of one thread [bytes]
  uint64_t workspace_bytes = 0; ///< host-provided workspace: threads x thread_bytes + 64 [bytes]
  std::string description;      ///< for attention_plan_describe
};

namespace suanli::cpu {

/// Check desc: pointer, struct_size, dtypes, layout, flags, dims, heads, scale and sizes.
/// SL_OK, or SL_INVALID_ARGUMENT / SL_UNSUPPORTED with reason.
sl_status check_attention_desc(const sl_attention_desc *desc, std::string &reason);

/// Workspace of one thread for desc: packed Q, O accumulator, m, l, alpha, scores, K/V pack.
uint64_t attention_thread_bytes(const sl_attention_desc &desc);

/// The forward pass, synchronous, on plan.threads OpenMP threads. lse may be NULL.
void attention_run(const sl_attention_plan &plan, const void *q, const void *k, const void *v,
                   void *o, float *lse, void *workspace);

} // namespace suanli::cpu
