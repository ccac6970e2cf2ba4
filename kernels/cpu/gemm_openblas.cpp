// fp64 GEMM through OpenBLAS cblas_dgemm, one call per batch entry.

#include <kernels/cpu/gemm_plan.hpp>

#include <cblas.h>

#include <climits>

namespace suanli::cpu {

sl_status openblas_plan(sl_context &ctx, sl_gemm_plan &plan, std::string &reason) {
  const sl_gemm_desc &d = plan.desc;
  for (const int64_t v : {d.m, d.n, d.k, d.lda, d.ldb, d.ldc}) {
    if (v > INT_MAX) {
      reason = "gemm: OpenBLAS (32-bit integer interface) cannot take a dimension or leading "
               "dimension of " +
               std::to_string(v);
      return SL_UNSUPPORTED;
    }
  }
  plan.workspace_bytes = 0;
  plan.description = std::string("OpenBLAS cblas_dgemm (core ") + openblas_get_corename() + ", " +
                     std::to_string(ctx.threads) + (ctx.threads == 1 ? " thread)" : " threads)");
  return SL_OK;
}

void openblas_run(sl_context &ctx, sl_gemm_plan &plan, const void *a, const void *b, void *c,
                  void *) {
  apply_threads(ctx);
  const sl_gemm_desc &d = plan.desc;
  const auto *pa = static_cast<const double *>(a);
  const auto *pb = static_cast<const double *>(b);
  auto *pc = static_cast<double *>(c);
  for (int64_t i = 0; i < d.batch; ++i) {
    // OpenBLAS with beta = 0 overwrites C without reading it
    cblas_dgemm(CblasRowMajor, d.trans_a != 0 ? CblasTrans : CblasNoTrans,
                d.trans_b != 0 ? CblasTrans : CblasNoTrans, static_cast<blasint>(d.m),
                static_cast<blasint>(d.n), static_cast<blasint>(d.k), d.alpha, pa + i * d.stride_a,
                static_cast<blasint>(d.lda), pb + i * d.stride_b, static_cast<blasint>(d.ldb),
                d.beta, pc + i * d.stride_c, static_cast<blasint>(d.ldc));
  }
}

} // namespace suanli::cpu
