// GEMM through oneDNN matmul: memory descriptors carry batch, strides, leading dimensions and
// transposes; the primitive is created once per plan; the scratchpad is user-provided.

#include <kernels/cpu/gemm_plan.hpp>

namespace suanli::cpu {

namespace {

using dt = dnnl::memory::data_type;

dt dnnl_type(sl_dtype t) {
  switch (t) {
  case SL_DTYPE_FP32: return dt::f32;
  case SL_DTYPE_BF16: return dt::bf16;
  case SL_DTYPE_FP16: return dt::f16;
  case SL_DTYPE_INT8: return dt::s8;
  case SL_DTYPE_UINT8: return dt::u8;
  case SL_DTYPE_INT32: return dt::s32;
  default: return dt::undef;
  }
}

// Descriptor of batch x rows x cols (logical, i.e. after op()) for a matrix stored with leading
// dimension ld, transposed or not, batch entries stride apart.
dnnl::memory::desc matrix_desc(sl_dtype type, int64_t batch, int64_t rows, int64_t cols, int64_t ld,
                               bool transposed, int64_t stride) {
  const int64_t span = transposed ? matrix_span(cols, rows, ld) : matrix_span(rows, cols, ld);
  const int64_t batch_stride = batch == 1 ? span : stride;
  const dnnl::memory::dims strides = transposed ? dnnl::memory::dims{batch_stride, 1, ld}
                                                : dnnl::memory::dims{batch_stride, ld, 1};
  return dnnl::memory::desc({batch, rows, cols}, dnnl_type(type), strides);
}

std::string no_impl_reason(const sl_context &ctx, const sl_gemm_plan &plan) {
  if (plan.desc.a_type == SL_DTYPE_FP16 && !ctx.cpu.has("avx512_fp16")) {
    return "gemm: oneDNN 2.6 has no fp16 matmul for this ISA (needs avx512_fp16)";
  }
  return std::string("gemm: oneDNN 2.6 has no matmul implementation for ") + plan.combo->name +
         " with these shapes and strides on this CPU";
}

} // namespace

sl_status onednn_plan(sl_context &ctx, sl_gemm_plan &plan, std::string &reason) {
  const sl_gemm_desc &d = plan.desc;
  const auto a_md = matrix_desc(d.a_type, d.batch, d.m, d.k, d.lda, d.trans_a != 0, d.stride_a);
  const auto b_md = matrix_desc(d.b_type, d.batch, d.k, d.n, d.ldb, d.trans_b != 0, d.stride_b);
  const auto c_md = matrix_desc(d.c_type, d.batch, d.m, d.n, d.ldc, false, d.stride_c);

  // Integer GEMMs without VNNI or AMX go through an int16 intermediate that saturates for u8*s8
  // (oneDNN "Nuances of int8 computations"): refuse rather than report wrong sums.
  if (d.a_type == SL_DTYPE_UINT8 && !ctx.cpu.has("avx512_vnni") && !ctx.cpu.has("avx_vnni") &&
      !ctx.cpu.has("amx_int8")) {
    reason = "gemm: uint8 x int8 needs avx512_vnni, avx_vnni or amx_int8 on this CPU; without "
             "them oneDNN 2.6 saturates u8*s8 pairs in int16";
    return SL_UNSUPPORTED;
  }
  dnnl::primitive_attr attr;
  attr.set_scratchpad_mode(dnnl::scratchpad_mode::user);
  // "fp32" means true fp32: forbid implicit bf16/tf32 down-conversion, whatever
  // ONEDNN_DEFAULT_FPMATH_MODE says.
  attr.set_fpmath_mode(dnnl::fpmath_mode::strict);
  if (d.alpha != 1.0) {
    attr.set_output_scales(0, {static_cast<float>(d.alpha)});
  }
  if (d.beta != 0.0) { // with beta = 0 there is no sum post-op, so C is never read
    dnnl::post_ops ops;
    ops.append_sum(static_cast<float>(d.beta));
    attr.set_post_ops(ops);
  }
  apply_threads(ctx);
  const dnnl::matmul::primitive_desc pd(dnnl::matmul::desc(a_md, b_md, c_md), attr, ctx.engine,
                                        true);
  if (!pd) {
    reason = no_impl_reason(ctx, plan);
    return SL_UNSUPPORTED;
  }
  const std::string impl = pd.impl_info_str();
  if (impl.rfind("ref", 0) == 0) {
    reason = std::string("gemm: for ") + plan.combo->name +
             " oneDNN 2.6 offers only its reference implementation (" + impl +
             ") on this CPU, which is not a meaningful benchmark";
    return SL_UNSUPPORTED;
  }
  plan.primitive = dnnl::matmul(pd);
  plan.mem_a = dnnl::memory(a_md, ctx.engine, DNNL_MEMORY_NONE);
  plan.mem_b = dnnl::memory(b_md, ctx.engine, DNNL_MEMORY_NONE);
  plan.mem_c = dnnl::memory(c_md, ctx.engine, DNNL_MEMORY_NONE);
  plan.args = {
      {DNNL_ARG_SRC, plan.mem_a}, {DNNL_ARG_WEIGHTS, plan.mem_b}, {DNNL_ARG_DST, plan.mem_c}};
  plan.workspace_bytes = pd.scratchpad_desc().get_size();
  if (plan.workspace_bytes > 0) {
    plan.mem_scratch = dnnl::memory(pd.scratchpad_desc(), ctx.engine, DNNL_MEMORY_NONE);
    plan.args.emplace(DNNL_ARG_SCRATCHPAD, plan.mem_scratch);
  }
  plan.description = "oneDNN matmul " + impl;
  return SL_OK;
}

void onednn_run(sl_context &ctx, sl_gemm_plan &plan, const void *a, const void *b, void *c,
                void *workspace) {
  apply_threads(ctx);
  plan.mem_a.set_data_handle(const_cast<void *>(a));
  plan.mem_b.set_data_handle(const_cast<void *>(b));
  plan.mem_c.set_data_handle(c);
  if (plan.workspace_bytes > 0) {
    plan.mem_scratch.set_data_handle(workspace);
  }
  plan.primitive.execute(ctx.stream, plan.args);
  ctx.stream.wait();
}

} // namespace suanli::cpu
