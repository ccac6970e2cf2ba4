#pragma once

#include <kernels/abi/suanli_backend.h>

#include <cstdint>

namespace suanli::reference {

/// A GEMM operand: read from memory, or regenerated from the counter-based fill when data is
/// null (element i = sl_fill_value(seed, i, dtype)).
struct operand {
  sl_dtype dtype = SL_DTYPE_INVALID; ///< element type
  const void *data = nullptr;        ///< host memory, or null to regenerate
  uint64_t seed = 0;                 ///< fill seed when data is null

  /// Element at a linear storage index, as an exact double.
  [[nodiscard]] double at(int64_t index) const;
};

/// Linear storage index of op(A)(batch, i, kk) under the descriptor's layout.
[[nodiscard]] int64_t index_a(const sl_gemm_desc &d, int64_t batch, int64_t i, int64_t kk);
/// Linear storage index of op(B)(batch, kk, j).
[[nodiscard]] int64_t index_b(const sl_gemm_desc &d, int64_t batch, int64_t kk, int64_t j);
/// Linear storage index of C(batch, i, j).
[[nodiscard]] int64_t index_c(const sl_gemm_desc &d, int64_t batch, int64_t i, int64_t j);

/// sum_k op(A)(b,i,k) * op(B)(b,k,j) accumulated in fp64 (exact for the suite's fills), and
/// the magnitude sums sum |a*b| and sqrt(sum (a*b)^2) used by tolerances.
struct dot_result {
  double value = 0;     ///< the dot product
  double abs_sum = 0;   ///< sum of |a_k * b_k|
  double sq_norm = 0;   ///< sqrt of sum of (a_k * b_k)^2
};

/// One element of alpha * op(A) op(B) (without the beta term).
[[nodiscard]] dot_result gemm_element(const sl_gemm_desc &d, const operand &a, const operand &b,
                                      int64_t batch, int64_t i, int64_t j);

/// The whole GEMM: C = alpha op(A) op(B) + beta C, fp64 accumulation, stored in c_type.
/// Slow (O(batch m n k)) and exact; for tests and small problems.
void gemm(const sl_gemm_desc &d, const operand &a, const operand &b, void *c);

} // namespace suanli::reference
