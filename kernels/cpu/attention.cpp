// Attention entry points: plan creation (validation, kernel choice, workspace size), the forward
// pass (with the optional fault injection), destroy, describe.

#include <kernels/cpu/api.hpp>
#include <kernels/cpu/attention_plan.hpp>
#include <kernels/cpu/gemm_plan.hpp>
#include <kernels/cpu/half.hpp>

#include <algorithm>

namespace suanli::cpu {

namespace {

// SUANLI_CPU_FAULT=corrupt_attention_output (see lifecycle.cpp): add 1024 to O[0, heads_q - 1,
// seq_q / 2, 0].
void corrupt_output(const sl_attention_desc &d, void *o) {
  const int64_t b = 0, h = d.heads_q - 1, i = d.seq_q / 2;
  const int64_t at = d.layout == SL_LAYOUT_BSHD
                         ? ((b * d.seq_q + i) * d.heads_q + h) * d.head_dim_v
                         : ((b * d.heads_q + h) * d.seq_q + i) * d.head_dim_v;
  if (d.o_type == SL_DTYPE_FP32) {
    static_cast<float *>(o)[at] += 1024.0f;
  } else {
    uint16_t &e = static_cast<uint16_t *>(o)[at];
    e = float_to_bf16(bf16_to_float(e) + 1024.0f);
  }
}

sl_status owned_plan(sl_context *ctx, const sl_attention_plan *plan, const char *call) {
  if (ctx == nullptr) {
    return fail(nullptr, SL_INVALID_ARGUMENT, std::string(call) + ": context is NULL");
  }
  if (plan == nullptr || ctx->attention_plans.count(const_cast<sl_attention_plan *>(plan)) == 0) {
    return fail(ctx, SL_INVALID_ARGUMENT,
                std::string(call) + ": plan is NULL or not owned by this context");
  }
  return SL_OK;
}

std::string describe(const sl_attention_plan &p) {
  const sl_attention_desc &d = p.desc;
  const char *math = d.qkv_type == SL_DTYPE_FP32 ? "fp32"
                     : p.kernels->bf16_pairs     ? "bf16 dot products"
                                                 : "bf16 widened to fp32";
  return std::string("suanli flash-attention fwd, ") + p.kernels->isa + ", " + math +
         " (fp32 accumulate), q-tile " + std::to_string(k_attention_q_tile) + ", kv-tile " +
         std::to_string(k_attention_kv_tile) + ", d " + std::to_string(d.head_dim_qk) + ", " +
         std::to_string(p.threads) + (p.threads == 1 ? " thread" : " threads");
}

} // namespace

sl_status attention_plan_create(sl_context *ctx, int32_t device, const sl_attention_desc *desc,
                                sl_attention_plan **plan, uint64_t *workspace_bytes) {
  if (const sl_status s = check_device(ctx, device, "attention_plan_create"); s != SL_OK) {
    return s;
  }
  if (plan == nullptr || workspace_bytes == nullptr) {
    return fail(ctx, SL_INVALID_ARGUMENT,
                "attention_plan_create: plan or workspace_bytes output pointer is NULL");
  }
  *plan = nullptr;
  *workspace_bytes = 0;
  return guarded(ctx, "attention_plan_create", [&] {
    std::string reason;
    if (const sl_status s = check_attention_desc(desc, reason); s != SL_OK) {
      return fail(ctx, s, reason);
    }
    auto created = std::make_unique<sl_attention_plan>();
    sl_attention_desc &d = created->desc;
    d = *desc;
    d.struct_size = sizeof(sl_attention_desc);
    created->causal_offset = std::clamp<int64_t>(d.causal_offset, -d.seq_q, d.seq_kv);
    created->kernels = &select_attention_kernels(ctx->cpu, ctx->attention_isa, d.qkv_type);
    const int index = head_dim_index(d.head_dim_qk);
    created->step =
        d.qkv_type == SL_DTYPE_BF16 ? created->kernels->bf16[index] : created->kernels->fp32[index];
    created->threads = std::max(ctx->threads, 1);
    created->thread_bytes = attention_thread_bytes(d);
    created->workspace_bytes = static_cast<uint64_t>(created->threads) * created->thread_bytes + 64;
    created->description = describe(*created);
    *workspace_bytes = created->workspace_bytes;
    *plan = created.get();
    ctx->attention_plans.emplace(created.get(), std::move(created));
    return SL_OK;
  });
}

sl_status attention_forward(sl_context *ctx, sl_attention_plan *plan, sl_stream *, const void *q,
                            const void *k, const void *v, void *o, float *lse, void *workspace) {
  if (const sl_status s = owned_plan(ctx, plan, "attention_forward"); s != SL_OK) {
    return s;
  }
  if (q == nullptr || k == nullptr || v == nullptr || o == nullptr) {
    return fail(ctx, SL_INVALID_ARGUMENT, "attention_forward: q, k, v or o is NULL");
  }
  if (plan->desc.want_lse != 0 && lse == nullptr) {
    return fail(ctx, SL_INVALID_ARGUMENT, "attention_forward: the plan wants LSE, lse is NULL");
  }
  if (workspace == nullptr) {
    return fail(ctx, SL_INVALID_ARGUMENT,
                "attention_forward: the plan needs a workspace of " +
                    std::to_string(plan->workspace_bytes) + " bytes, got NULL");
  }
  return guarded(ctx, "attention_forward", [&] {
    attention_run(*plan, q, k, v, o, lse, workspace);
    if (ctx->fault_corrupt_attention) {
      corrupt_output(plan->desc, o);
    }
    return SL_OK;
  });
}

sl_status attention_plan_destroy(sl_context *ctx, sl_attention_plan *plan) {
  if (const sl_status s = owned_plan(ctx, plan, "attention_plan_destroy"); s != SL_OK) {
    return s;
  }
  ctx->attention_plans.erase(plan);
  return SL_OK;
}

sl_status attention_plan_describe(sl_context *ctx, const sl_attention_plan *plan, char *buf,
                                  size_t buf_size) {
  if (const sl_status s = owned_plan(ctx, plan, "attention_plan_describe"); s != SL_OK) {
    return s;
  }
  return copy_text(ctx, plan->description, buf, buf_size, "attention_plan_describe");
}

} // namespace suanli::cpu
