#include <kernels/reference/gemm.hpp>

#include <kernels/reference/element.hpp>

#include <cmath>

namespace suanli::reference {

double operand::at(int64_t index) const {
  return data != nullptr ? load(data, dtype, index)
                         : sl_fill_value(seed, static_cast<uint64_t>(index), dtype);
}

int64_t index_a(const sl_gemm_desc &d, int64_t batch, int64_t i, int64_t kk) {
  return batch * d.stride_a + (d.trans_a != 0 ? kk * d.lda + i : i * d.lda + kk);
}

int64_t index_b(const sl_gemm_desc &d, int64_t batch, int64_t kk, int64_t j) {
  return batch * d.stride_b + (d.trans_b != 0 ? j * d.ldb + kk : kk * d.ldb + j);
}

int64_t index_c(const sl_gemm_desc &d, int64_t batch, int64_t i, int64_t j) {
  return batch * d.stride_c + i * d.ldc + j;
}

dot_result gemm_element(const sl_gemm_desc &d, const operand &a, const operand &b,
                        int64_t batch, int64_t i, int64_t j) {
  dot_result r;
  double sq = 0;
  for (int64_t kk = 0; kk < d.k; ++kk) {
    const double p = a.at(index_a(d, batch, i, kk)) * b.at(index_b(d, batch, kk, j));
    r.value += p;
    r.abs_sum += std::fabs(p);
    sq += p * p;
  }
  r.value *= d.alpha;
  r.abs_sum *= std::fabs(d.alpha);
  r.sq_norm = std::sqrt(sq) * std::fabs(d.alpha);
  return r;
}

void gemm(const sl_gemm_desc &d, const operand &a, const operand &b, void *c) {
  for (int64_t bt = 0; bt < d.batch; ++bt) {
    for (int64_t i = 0; i < d.m; ++i) {
      for (int64_t j = 0; j < d.n; ++j) {
        const int64_t ic = index_c(d, bt, i, j);
        double v = gemm_element(d, a, b, bt, i, j).value;
        if (d.beta != 0.0) {
          v += d.beta * load(c, d.c_type, ic);
        }
        store(c, d.c_type, ic, v);
      }
    }
  }
}

} // namespace suanli::reference
