// GEMM entry points: plan creation, run (with the optional fault injection), destroy, describe.

#include <kernels/cpu/api.hpp>
#include <kernels/cpu/gemm_plan.hpp>
#include <kernels/cpu/half.hpp>

namespace suanli::cpu {

namespace {

// SUANLI_CPU_FAULT=corrupt_gemm_output (see lifecycle.cpp): add 1024 (floating outputs) or
// 1 (int32 outputs) to element (m/2, n/2) of batch entry 0 of C.
void corrupt_output(const sl_gemm_desc &d, void *c) {
  const int64_t i = (d.m / 2) * d.ldc + d.n / 2;
  switch (d.c_type) {
  case SL_DTYPE_FP64: static_cast<double *>(c)[i] += 1024.0; break;
  case SL_DTYPE_FP32: static_cast<float *>(c)[i] += 1024.0f; break;
  case SL_DTYPE_BF16: {
    uint16_t &e = static_cast<uint16_t *>(c)[i];
    e = float_to_bf16(bf16_to_float(e) + 1024.0f);
    break;
  }
  case SL_DTYPE_FP16: {
    uint16_t &e = static_cast<uint16_t *>(c)[i];
    e = float_to_fp16(fp16_to_float(e) + 1024.0f);
    break;
  }
  case SL_DTYPE_INT32: static_cast<int32_t *>(c)[i] += 1; break;
  default: break;
  }
}

sl_status owned_plan(sl_context *ctx, const sl_gemm_plan *plan, const char *call) {
  if (ctx == nullptr) {
    return fail(nullptr, SL_INVALID_ARGUMENT, std::string(call) + ": context is NULL");
  }
  if (plan == nullptr || ctx->plans.count(const_cast<sl_gemm_plan *>(plan)) == 0) {
    return fail(ctx, SL_INVALID_ARGUMENT,
                std::string(call) + ": plan is NULL or not owned by this context");
  }
  return SL_OK;
}

} // namespace

sl_status gemm_plan_create(sl_context *ctx, int32_t device, const sl_gemm_desc *desc,
                           sl_gemm_plan **plan, uint64_t *workspace_bytes) {
  if (const sl_status s = check_device(ctx, device, "gemm_plan_create"); s != SL_OK) {
    return s;
  }
  if (plan == nullptr || workspace_bytes == nullptr) {
    return fail(ctx, SL_INVALID_ARGUMENT,
                "gemm_plan_create: plan or workspace_bytes output pointer is NULL");
  }
  *plan = nullptr;
  *workspace_bytes = 0;
  return guarded(ctx, "gemm_plan_create", [&] {
    std::string reason;
    if (const sl_status s = check_gemm_desc(desc, reason); s != SL_OK) {
      return fail(ctx, s, reason);
    }
    auto created = std::make_unique<sl_gemm_plan>();
    created->desc = *desc;
    created->desc.struct_size = sizeof(sl_gemm_desc);
    created->combo = find_gemm_combo(created->desc, reason);
    if (created->combo == nullptr) {
      return fail(ctx, SL_UNSUPPORTED, reason);
    }
    if (const sl_status s = created->combo->plan(*ctx, *created, reason); s != SL_OK) {
      return fail(ctx, s, reason);
    }
    *workspace_bytes = created->workspace_bytes;
    *plan = created.get();
    ctx->plans.emplace(created.get(), std::move(created));
    return SL_OK;
  });
}

sl_status gemm_run(sl_context *ctx, sl_gemm_plan *plan, sl_stream *, const void *a, const void *b,
                   void *c, void *workspace) {
  if (const sl_status s = owned_plan(ctx, plan, "gemm_run"); s != SL_OK) {
    return s;
  }
  if (a == nullptr || b == nullptr || c == nullptr) {
    return fail(ctx, SL_INVALID_ARGUMENT, "gemm_run: a, b or c is NULL");
  }
  if (plan->workspace_bytes > 0 && workspace == nullptr) {
    return fail(ctx, SL_INVALID_ARGUMENT,
                "gemm_run: the plan needs a workspace of " + std::to_string(plan->workspace_bytes) +
                    " bytes, got NULL");
  }
  return guarded(ctx, "gemm_run", [&] {
    plan->combo->run(*ctx, *plan, a, b, c, workspace);
    if (ctx->fault_corrupt_gemm) {
      corrupt_output(plan->desc, c);
    }
    return SL_OK;
  });
}

sl_status gemm_plan_destroy(sl_context *ctx, sl_gemm_plan *plan) {
  if (const sl_status s = owned_plan(ctx, plan, "gemm_plan_destroy"); s != SL_OK) {
    return s;
  }
  ctx->plans.erase(plan);
  return SL_OK;
}

sl_status gemm_plan_describe(sl_context *ctx, const sl_gemm_plan *plan, char *buf,
                             size_t buf_size) {
  if (const sl_status s = owned_plan(ctx, plan, "gemm_plan_describe"); s != SL_OK) {
    return s;
  }
  return copy_text(ctx, plan->description, buf, buf_size, "gemm_plan_describe");
}

} // namespace suanli::cpu
