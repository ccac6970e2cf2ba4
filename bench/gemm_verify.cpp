#include <bench/gemm_verify.hpp>

#include <bench/dtype.hpp>
#include <bench/error.hpp>
#include <bench/text.hpp>
#include <kernels/reference/element.hpp>
#include <kernels/reference/gemm.hpp>

#include <chrono>
#include <cmath>
#include <vector>

namespace suanli::bench {
namespace {

namespace ref = suanli::reference;

// Random sign of position j of vector v.
double sign_of(uint64_t seed, int v, int64_t j) {
  const uint64_t bits = sl_fill_bits(seed + static_cast<uint64_t>(v), static_cast<uint64_t>(j));
  return (bits >> 63) != 0 ? 1.0 : -1.0;
}

// Rounding-error scales of a precision: output rounding and accumulation.
struct error_model {
  double u_out = 0; // unit roundoff of the output type
  double u_acc = 0; // unit roundoff of the accumulator / compute type
  bool exact = false;
};

error_model model_of(const gemm_precision &p) {
  error_model e;
  e.exact = info(p.c).is_integer && info(p.compute).is_integer;
  if (!e.exact) {
    e.u_out = info(p.c).unit_roundoff;
    // Inputs are exact in their types by construction of the fill; a compute type coarser than
    // fp32 (tf32) rounds the products, which its unit roundoff covers.
    e.u_acc = info(p.compute).unit_roundoff;
  }
  return e;
}

// Freivalds' check of one batch entry; updates v with rows checked and failed.
void freivalds(const sl_gemm_desc &d, const tensor_seeds &seeds, const void *c, int64_t bt,
               uint64_t check_seed, const gemm_verify_options &opt, const error_model &em,
               gemm_verification &v) {
  const int nv = opt.freivalds_vectors;
  const int64_t m = d.m, n = d.n, k = d.k;
  std::vector<double> r(static_cast<size_t>(nv * n));
  for (int q = 0; q < nv; ++q) {
    for (int64_t j = 0; j < n; ++j) {
      r[static_cast<size_t>(q * n + j)] = sign_of(check_seed, q, j);
    }
  }
  // x = B r (k x nv) and w = (B o B) 1 (k).
  std::vector<double> x(static_cast<size_t>(k * nv)), w(static_cast<size_t>(k));
#pragma omp parallel for schedule(static)
  for (int64_t kk = 0; kk < k; ++kk) {
    double acc[8] = {0, 0, 0, 0, 0, 0, 0, 0};
    double sq = 0;
    for (int64_t j = 0; j < n; ++j) {
      const auto idx = static_cast<uint64_t>(ref::index_b(d, bt, kk, j));
      const double bv = sl_fill_value(seeds.b, idx, d.b_type);
      sq += bv * bv;
      for (int q = 0; q < nv; ++q) {
        acc[q] += bv * r[static_cast<size_t>(q * n + j)];
      }
    }
    for (int q = 0; q < nv; ++q) {
      x[static_cast<size_t>(kk * nv + q)] = acc[q];
    }
    w[static_cast<size_t>(kk)] = sq;
  }
  int64_t failed = 0;
  double worst = 0;
  int64_t first_row = -1;
  double first_got = 0, first_want = 0, first_tol = 0;
#pragma omp parallel for schedule(static) reduction(+ : failed) reduction(max : worst)
  for (int64_t i = 0; i < m; ++i) {
    double y[8] = {0, 0, 0, 0, 0, 0, 0, 0}, cr[8] = {0, 0, 0, 0, 0, 0, 0, 0};
    double z = 0, qn = 0;
    for (int64_t kk = 0; kk < k; ++kk) {
      const auto idx = static_cast<uint64_t>(ref::index_a(d, bt, i, kk));
      const double av = sl_fill_value(seeds.a, idx, d.a_type);
      z += av * av * w[static_cast<size_t>(kk)];
      for (int q = 0; q < nv; ++q) {
        y[q] += av * x[static_cast<size_t>(kk * nv + q)];
      }
    }
    for (int64_t j = 0; j < n; ++j) {
      const double cv = ref::load(c, d.c_type, ref::index_c(d, bt, i, j));
      qn += cv * cv;
      for (int q = 0; q < nv; ++q) {
        cr[q] += cv * r[static_cast<size_t>(q * n + j)];
      }
    }
    // Rounding noise of a +-1 weighted row sum: output rounding sqrt(sum c^2) u_out plus
    // accumulation sqrt(k) u_acc sqrt(sum_j sum_k (a b)^2); plus fp64 evaluation error.
    const double sqrt_n = std::sqrt(static_cast<double>(n));
    const double tol =
        em.exact ? 0.0
                 : opt.row_safety * (em.u_out * std::sqrt(qn) +
                                     em.u_acc * std::sqrt(static_cast<double>(k) * z)) +
                       0x1p-46 * sqrt_n * (std::sqrt(qn) + std::sqrt(static_cast<double>(k) * z));
    for (int q = 0; q < nv; ++q) {
      const double want = y[q] * d.alpha;
      const double err = std::fabs(cr[q] - want);
      if (!(err <= tol)) { // NaN fails too
        ++failed;
#pragma omp critical(suanli_first_failure)
        if (first_row < 0 || i < first_row) {
          first_row = i;
          first_got = cr[q];
          first_want = want;
          first_tol = tol;
        }
      }
      if (tol > 0) {
        worst = std::max(worst, err / tol);
      }
    }
  }
  v.rows_checked += m * nv;
  v.rows_failed += failed;
  v.worst_ratio = std::max(v.worst_ratio, worst);
  if (failed > 0 && v.first_failure.empty()) {
    v.first_failure = "Freivalds row " + std::to_string(first_row) + " of batch entry " +
                      std::to_string(bt) + ": (C r) = " + significant(first_got, 10) +
                      ", A (B r) = " + significant(first_want, 10) + ", tolerance " +
                      significant(first_tol, 3);
  }
}

// Exact fp64 recomputation of sampled elements.
void sampled(const sl_gemm_desc &d, const tensor_seeds &seeds, const void *c, uint64_t check_seed,
             const gemm_verify_options &opt, const error_model &em, gemm_verification &v) {
  const ref::operand a{d.a_type, nullptr, seeds.a};
  const ref::operand b{d.b_type, nullptr, seeds.b};
  const uint64_t s = sl_mix64(check_seed ^ 0x5A3D1E0F00000000ull);
  for (int t = 0; t < opt.sampled_elements; ++t) {
    const uint64_t bits = sl_fill_bits(s, static_cast<uint64_t>(t));
    const auto bt = static_cast<int64_t>(bits % static_cast<uint64_t>(d.batch));
    const auto i = static_cast<int64_t>((bits >> 16) % static_cast<uint64_t>(d.m));
    const auto j = static_cast<int64_t>((bits >> 40) % static_cast<uint64_t>(d.n));
    const auto want = ref::gemm_element(d, a, b, bt, i, j);
    const double got = ref::load(c, d.c_type, ref::index_c(d, bt, i, j));
    const double tol =
        em.exact ? 0.0
                 : opt.element_safety * (em.u_out * std::fabs(want.value) +
                                         em.u_acc * std::sqrt(static_cast<double>(d.k)) *
                                             want.sq_norm) +
                       0x1p-46 * want.abs_sum;
    const double err = std::fabs(got - want.value);
    ++v.elements_checked;
    if (!(err <= tol)) {
      ++v.elements_failed;
      if (v.first_failure.empty()) {
        v.first_failure = "C[batch " + std::to_string(bt) + ", row " + std::to_string(i) +
                          ", col " + std::to_string(j) + "] = " + significant(got, 10) +
                          ", exact " + significant(want.value, 10) + ", tolerance " +
                          significant(tol, 3);
      }
    }
    if (tol > 0) {
      v.worst_ratio = std::max(v.worst_ratio, err / tol);
    }
  }
}

} // namespace

gemm_verification verify_gemm(const gemm_problem &gemm, const tensor_seeds &seeds,
                              std::span<const std::byte> c, uint64_t check_seed,
                              const gemm_verify_options &options) {
  const auto start = std::chrono::steady_clock::now();
  if (options.freivalds_vectors < 1 || options.freivalds_vectors > 8) {
    fail_input("freivalds_vectors must be 1..8");
  }
  if (c.size() < gemm.bytes_c()) {
    fail_environment("GEMM output has " + std::to_string(c.size()) + " bytes; expected " +
                     std::to_string(gemm.bytes_c()));
  }
  const sl_gemm_desc d = gemm.to_desc();
  const error_model em = model_of(*gemm.precision);
  gemm_verification v;
  v.method = "Freivalds (" + std::to_string(options.freivalds_vectors) +
             " random +-1 vectors per batch entry) + exact fp64 recomputation of " +
             std::to_string(options.sampled_elements) + " sampled elements; " +
             (em.exact ? "exact match required"
                       : "tolerance " + significant(options.row_safety, 3) +
                             " x (u_out |C| + u_acc sqrt(K) |A.B|_2)");
  for (int64_t bt = 0; bt < d.batch; ++bt) {
    freivalds(d, seeds, c.data(), bt, check_seed, options, em, v);
  }
  sampled(d, seeds, c.data(), check_seed, options, em, v);
  v.passed = v.rows_failed == 0 && v.elements_failed == 0;
  v.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return v;
}

} // namespace suanli::bench
