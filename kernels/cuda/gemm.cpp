// GEMM entry points: plan creation, run, destroy, describe.

#include <kernels/cuda/api.hpp>
#include <kernels/cuda/gemm_plan.hpp>

namespace suanli::cuda {

namespace {

constexpr uintptr_t k_operand_alignment = 256; // cuBLASLt's default alignment assumption

sl_status owned_plan(sl_context *ctx, const sl_gemm_plan *plan, const char *call) {
  if (const sl_status s = need_ctx(ctx, call); s != SL_OK) {
    return s;
  }
  if (plan == nullptr || ctx->plans.count(const_cast<sl_gemm_plan *>(plan)) == 0) {
    return fail(ctx, SL_INVALID_ARGUMENT,
                std::string(call) + ": plan is NULL or not owned by this context");
  }
  return SL_OK;
}

// ptr must lie with bytes inside a block of plan's device, 256-byte aligned.
sl_status check_operand(sl_context *ctx, const sl_gemm_plan &plan, const void *ptr, uint64_t bytes,
                        const char *what) {
  const allocation *block = find_range(ctx, ptr, bytes, "gemm_run", what);
  if (block == nullptr) {
    return SL_INVALID_ARGUMENT;
  }
  if (block->device != plan.device) {
    return fail(ctx, SL_INVALID_ARGUMENT,
                std::string("gemm_run: ") + what + " is on device " +
                    std::to_string(block->device) + ", the plan on " + std::to_string(plan.device));
  }
  if (reinterpret_cast<uintptr_t>(ptr) % k_operand_alignment != 0) {
    return fail(ctx, SL_INVALID_ARGUMENT,
                std::string("gemm_run: ") + what +
                    " is not 256-byte aligned (mem_alloc blocks are; the plan assumes it)");
  }
  return SL_OK;
}

} // namespace

void plan_deleter::operator()(sl_gemm_plan *p) const noexcept {
  if (p->layout_a != nullptr) {
    cublasLtMatrixLayoutDestroy(p->layout_a);
  }
  if (p->layout_b != nullptr) {
    cublasLtMatrixLayoutDestroy(p->layout_b);
  }
  if (p->layout_c != nullptr) {
    cublasLtMatrixLayoutDestroy(p->layout_c);
  }
  if (p->op != nullptr) {
    cublasLtMatmulDescDestroy(p->op);
  }
  delete p;
}

sl_status gemm_plan_create(sl_context *ctx, int32_t device, const sl_gemm_desc *desc,
                           sl_gemm_plan **plan, uint64_t *workspace_bytes) {
  if (const sl_status s = use_device(ctx, device, "gemm_plan_create"); s != SL_OK) {
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
    std::unique_ptr<sl_gemm_plan, plan_deleter> created(new sl_gemm_plan);
    created->device = device;
    created->desc = *desc;
    created->desc.struct_size = sizeof(sl_gemm_desc);
    created->combo = find_gemm_combo(created->desc, reason);
    if (created->combo == nullptr) {
      return fail(ctx, SL_UNSUPPORTED, reason);
    }
    const gemm_combo &combo = *created->combo;
    if (!encode_scale(desc->alpha, combo.scale_cuda, created->alpha, reason) ||
        !encode_scale(desc->beta, combo.scale_cuda, created->beta, reason)) {
      return fail(ctx, SL_UNSUPPORTED, reason);
    }
    created->problem = to_column_major(created->desc);
    const auto bytes = [&](char which, sl_dtype t) {
      return static_cast<uint64_t>(operand_elements(created->desc, which)) * sl_dtype_size(t);
    };
    created->bytes_a = bytes('a', desc->a_type);
    created->bytes_b = bytes('b', desc->b_type);
    created->bytes_c = bytes('c', desc->c_type);
    cublasLtHandle_t handle = nullptr;
    if (const sl_status s = lt_handle(ctx, device, &handle, "gemm_plan_create"); s != SL_OK) {
      return s;
    }
    if (const sl_status s = lt_build(*ctx, *created); s != SL_OK) {
      return s;
    }
    if (const sl_status s = lt_choose(*ctx, *created, handle); s != SL_OK) {
      return s;
    }
    *workspace_bytes = created->workspace_bytes;
    *plan = created.get();
    ctx->plans.emplace(created.get(), std::move(created));
    return SL_OK;
  });
}

sl_status gemm_run(sl_context *ctx, sl_gemm_plan *plan, sl_stream *stream, const void *a,
                   const void *b, void *c, void *workspace) {
  if (const sl_status s = owned_plan(ctx, plan, "gemm_run"); s != SL_OK) {
    return s;
  }
  for (const auto &[ptr, bytes, what] :
       {std::tuple{a, plan->bytes_a, "a"}, std::tuple{b, plan->bytes_b, "b"},
        std::tuple{static_cast<const void *>(c), plan->bytes_c, "c"}}) {
    if (const sl_status s = check_operand(ctx, *plan, ptr, bytes, what); s != SL_OK) {
      return s;
    }
  }
  if (plan->workspace_bytes > 0) {
    if (workspace == nullptr) {
      return fail(ctx, SL_INVALID_ARGUMENT,
                  "gemm_run: the plan needs a workspace of " +
                      std::to_string(plan->workspace_bytes) + " bytes, got NULL");
    }
    if (const sl_status s =
            check_operand(ctx, *plan, workspace, plan->workspace_bytes, "workspace");
        s != SL_OK) {
      return s;
    }
  }
  cudaStream_t raw = nullptr;
  if (const sl_status s = stream_of(ctx, stream, plan->device, &raw, "gemm_run"); s != SL_OK) {
    return s;
  }
  cublasLtHandle_t handle = nullptr;
  if (const sl_status s = lt_handle(ctx, plan->device, &handle, "gemm_run"); s != SL_OK) {
    return s;
  }
  if (const cublasStatus_t st =
          lt_run(handle, *plan, plan->algo, plan->workspace_bytes, a, b, c, workspace, raw);
      st != CUBLAS_STATUS_SUCCESS) {
    return lt_fail(ctx, st, "gemm_run", "cublasLtMatmul");
  }
  return SL_OK;
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

} // namespace suanli::cuda
