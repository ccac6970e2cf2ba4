// Attention entry points: plan creation (checks, cuDNN loading, graph, engine), forward,
// destroy, describe.

#include <kernels/cuda/attention.hpp>
#include <kernels/cuda/attention_plan.hpp>

#include <tuple>

namespace suanli::cuda {

namespace {

// cudnn_frontend refuses fp16/bf16 SDPA forward on these releases for known bugs.
bool known_bad_release(int code) {
  return code == 91000 || code == 91001;
}

sl_status owned_plan(sl_context *ctx, const sl_attention_plan *plan, const char *call) {
  if (const sl_status s = need_ctx(ctx, call); s != SL_OK) {
    return s;
  }
  const auto *state = static_cast<const attention_state *>(ctx->attention.get());
  if (plan == nullptr || state == nullptr ||
      state->plans.count(const_cast<sl_attention_plan *>(plan)) == 0) {
    return fail(ctx, SL_INVALID_ARGUMENT,
                std::string(call) + ": plan is NULL or not owned by this context");
  }
  return SL_OK;
}

// ptr must lie with bytes inside a block of the plan's device.
sl_status check_buffer(sl_context *ctx, const sl_attention_plan &plan, const void *ptr,
                       uint64_t bytes, const char *what) {
  const allocation *block = find_range(ctx, ptr, bytes, "attention_forward", what);
  if (block == nullptr) {
    return SL_INVALID_ARGUMENT;
  }
  if (block->device != plan.device) {
    return fail(ctx, SL_INVALID_ARGUMENT,
                std::string("attention_forward: ") + what + " is on device " +
                    std::to_string(block->device) + ", the plan on " + std::to_string(plan.device));
  }
  return SL_OK;
}

} // namespace

sl_status attention_plan_create(sl_context *ctx, int32_t device, const sl_attention_desc *desc,
                                sl_attention_plan **plan, uint64_t *workspace_bytes) {
  if (const sl_status s = use_device(ctx, device, "attention_plan_create"); s != SL_OK) {
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
    if (const sl_status s = check_attention_offered(*desc, reason); s != SL_OK) {
      return fail(ctx, s, reason);
    }
    const cudnn_library &lib = cudnn();
    if (!lib.available) {
      return fail(ctx, SL_UNSUPPORTED, "attention_plan_create: " + lib.note);
    }
    if (known_bad_release(lib.version_code)) {
      return fail(ctx, SL_UNSUPPORTED,
                  "attention_plan_create: cuDNN " + lib.version +
                      " has known bugs in fp16/bf16 fused attention forward (use 9.10.2 or newer)");
    }
    auto created = std::make_unique<sl_attention_plan>();
    created->device = device;
    created->desc = *desc;
    created->desc.struct_size = sizeof(sl_attention_desc);
    if (const sl_status s =
            build_attention_graph(&created->desc, lib.version_code, created->graph, reason);
        s != SL_OK) {
      return fail(ctx, s, reason);
    }
    if (const sl_status s = cudnn_handle(ctx, device, &created->handle, "attention_plan_create");
        s != SL_OK) {
      return s;
    }
    if (const sl_status s = build_attention_program(ctx, *created); s != SL_OK) {
      return s;
    }
    *workspace_bytes = static_cast<uint64_t>(created->program.workspace_bytes);
    *plan = created.get();
    attention_of(*ctx).plans.emplace(created.get(), std::move(created));
    return SL_OK;
  });
}

sl_status attention_forward(sl_context *ctx, sl_attention_plan *plan, sl_stream *stream,
                            const void *q, const void *k, const void *v, void *o, float *lse,
                            void *workspace) {
  if (const sl_status s = owned_plan(ctx, plan, "attention_forward"); s != SL_OK) {
    return s;
  }
  return guarded(ctx, "attention_forward", [&] {
    const attention_graph &g = plan->graph;
    for (const auto &[ptr, bytes, what] :
         {std::tuple{q, g.bytes_q, "q"}, std::tuple{k, g.bytes_k, "k"},
          std::tuple{v, g.bytes_v, "v"},
          std::tuple{static_cast<const void *>(o), g.bytes_o, "o"}}) {
      if (const sl_status s = check_buffer(ctx, *plan, ptr, bytes, what); s != SL_OK) {
        return s;
      }
    }
    if (!g.stats_virtual) {
      if (lse == nullptr) {
        return fail(ctx, SL_INVALID_ARGUMENT,
                    "attention_forward: the plan wants LSE (want_lse = 1), lse is NULL");
      }
      if (const sl_status s = check_buffer(ctx, *plan, lse, g.bytes_lse, "lse"); s != SL_OK) {
        return s;
      }
    }
    const auto ws_bytes = static_cast<uint64_t>(plan->program.workspace_bytes);
    if (ws_bytes > 0) {
      if (workspace == nullptr) {
        return fail(ctx, SL_INVALID_ARGUMENT,
                    "attention_forward: the plan needs a workspace of " + std::to_string(ws_bytes) +
                        " bytes, got NULL");
      }
      if (const sl_status s = check_buffer(ctx, *plan, workspace, ws_bytes, "workspace");
          s != SL_OK) {
        return s;
      }
    }
    cudaStream_t raw = nullptr;
    if (const sl_status s = stream_of(ctx, stream, plan->device, &raw, "attention_forward");
        s != SL_OK) {
      return s;
    }
    return run_attention_program(ctx, *plan, raw, q, k, v, o, lse,
                                 ws_bytes > 0 ? workspace : nullptr);
  });
}

sl_status attention_plan_destroy(sl_context *ctx, sl_attention_plan *plan) {
  if (const sl_status s = owned_plan(ctx, plan, "attention_plan_destroy"); s != SL_OK) {
    return s;
  }
  attention_of(*ctx).plans.erase(plan);
  return SL_OK;
}

sl_status attention_plan_describe(sl_context *ctx, const sl_attention_plan *plan, char *buf,
                                  size_t buf_size) {
  if (const sl_status s = owned_plan(ctx, plan, "attention_plan_describe"); s != SL_OK) {
    return s;
  }
  return copy_text(ctx, plan->description, buf, buf_size, "attention_plan_describe");
}

} // namespace suanli::cuda
