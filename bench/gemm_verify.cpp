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

// Rounding-error scales of a precision. Inputs are exact in their storage types (fill).
struct error_model {
  double u_out = 0; // unit roundoff of the output type
  double u_acc = 0; // unit roundoff of the accumulator
  double u_in = 0;  // rounding of inputs to a compute type narrower than their storage (tf32)
  bool exact = false;

  // Expected rounding noise of a dot product of length k with sqrt(sum (a b)^2) = p2 and a
  // result of magnitude c: output rounding plus accumulation (random-walk) plus input rounding.
  [[nodiscard]] double noise(double c, double k, double p2) const {
    return u_out * c + (u_acc * std::sqrt(k) + 2.0 * u_in) * p2;
  }
};

error_model model_of(const gemm_precision &p) {
  error_model e;
  e.exact = info(p.c).is_integer && info(p.compute).is_integer;
  if (!e.exact) {
    e.u_out = info(p.c).unit_roundoff;
    if (p.compute == SL_DTYPE_TF32) { // tf32 rounds the inputs, accumulates in fp32
      e.u_in = info(SL_DTYPE_TF32).unit_roundoff;
      e.u_acc = info(SL_DTYPE_FP32).unit_roundoff;
    } else {
      e.u_acc = info(p.compute).unit_roundoff;
    }
  }
  return e;
}

// Sums over all Freivalds rows for the whole-matrix scale test: C r = s A (B r) with s = 1.
struct scale_sums {
  double xy = 0;  // sum want * (got - want)
  double xx = 0;  // sum want^2
  double var = 0; // sum want^2 * noise^2
};

// Freivalds' check of one batch entry; updates v with rows checked and failed.
void freivalds(const sl_gemm_desc &d, const tensor_seeds &seeds, const void *c, int64_t bt,
               uint64_t check_seed, const gemm_verify_options &opt, const error_model &em,
               gemm_verification &v, scale_sums &scale) {
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
  double worst = 0, sxy = 0, sxx = 0, svar = 0;
  int64_t first_row = -1;
  double first_got = 0, first_want = 0, first_tol = 0;
#pragma omp parallel for schedule(static) reduction(+ : failed, sxy, sxx, svar) reduction(max : worst)
  for (int64_t i = 0; i < m; ++i) {
    double y[8] = {0, 0, 0, 0, 0, 0, 0, 0}, cr[8] = {0, 0, 0, 0, 0, 0, 0, 0};
    double z = 0, qn = 0;
    bool finite = true;
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
      finite = finite && std::isfinite(cv);
      qn += cv * cv;
      for (int q = 0; q < nv; ++q) {
        cr[q] += cv * r[static_cast<size_t>(q * n + j)];
      }
    }
    // Noise of a +-1 weighted row sum: sqrt(sum_j c^2) bounds the output rounding (capped by
    // the inputs' sqrt(k z) >= sqrt(sum_j c^2), so a wild output cannot widen its own
    // tolerance), sqrt(z) = sqrt(sum_j sum_k (a b)^2) the accumulation; plus fp64 evaluation.
    const double kd = static_cast<double>(k);
    const double in_norm = std::sqrt(kd * z);
    const double noise = em.noise(std::min(std::sqrt(qn), in_norm), kd, std::sqrt(z));
    const double tol =
        em.exact ? 0.0
                 : opt.row_safety * noise + 0x1p-46 * std::sqrt(static_cast<double>(n)) * in_norm;
    for (int q = 0; q < nv; ++q) {
      const double want = y[q] * d.alpha;
      const double err = std::fabs(cr[q] - want);
      if (!finite || !(err <= tol)) { // NaN and Inf fail too
        ++failed;
#pragma omp critical(suanli_first_failure)
        if (first_row < 0 || i < first_row) {
          first_row = i;
          first_got = cr[q];
          first_want = want;
          first_tol = tol;
        }
      } else {
        sxy += want * (cr[q] - want);
        sxx += want * want;
        svar += want * want * noise * noise;
      }
      if (tol > 0 && finite) {
        worst = std::max(worst, err / tol);
      }
    }
  }
  v.rows_checked += m * nv;
  v.rows_failed += failed;
  v.worst_ratio = std::max(v.worst_ratio, worst);
  scale.xy += sxy;
  scale.xx += sxx;
  scale.var += svar;
  if (failed > 0 && v.first_failure.empty()) {
    v.first_failure = "Freivalds row " + std::to_string(first_row) + " of batch entry " +
                      std::to_string(bt) + ": (C r) = " + significant(first_got, 10) +
                      ", A (B r) = " + significant(first_want, 10) + ", tolerance " +
                      significant(first_tol, 3);
  }
}

// Exact fp64 recomputation of sampled elements (independent draws of batch, row and column).
void sampled(const sl_gemm_desc &d, const tensor_seeds &seeds, const void *c, uint64_t check_seed,
             const gemm_verify_options &opt, const error_model &em, gemm_verification &v) {
  const ref::operand a{d.a_type, nullptr, seeds.a};
  const ref::operand b{d.b_type, nullptr, seeds.b};
  const uint64_t s = sl_mix64(check_seed ^ 0x5A3D1E0F00000000ull);
  const auto draw = [&](uint64_t stream, int t, int64_t bound) {
    return static_cast<int64_t>(sl_fill_bits(s + stream, static_cast<uint64_t>(t)) %
                                static_cast<uint64_t>(bound));
  };
  for (int t = 0; t < opt.sampled_elements; ++t) {
    const int64_t bt = draw(1, t, d.batch), i = draw(2, t, d.m), j = draw(3, t, d.n);
    const auto want = ref::gemm_element(d, a, b, bt, i, j);
    const double got = ref::load(c, d.c_type, ref::index_c(d, bt, i, j));
    const double tol = em.exact
                           ? 0.0
                           : opt.element_safety * em.noise(std::fabs(want.value),
                                                           static_cast<double>(d.k), want.sq_norm) +
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
    if (tol > 0 && std::isfinite(err)) {
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
  if (d.alpha != 1.0 || d.beta != 0.0) {
    fail_input("GEMM verification supports alpha = 1 and beta = 0 only");
  }
  const error_model em = model_of(*gemm.precision);
  gemm_verification v;
  v.method = "Freivalds (" + std::to_string(options.freivalds_vectors) +
             " random +-1 vectors per batch entry, and the scale of C r against A (B r) over all "
             "rows) + exact fp64 recomputation of " +
             std::to_string(options.sampled_elements) + " sampled elements; " +
             (em.exact ? "exact match required"
                       : "tolerance " + significant(options.row_safety, 3) +
                             " x (u_out |C| + (u_acc sqrt(K) + 2 u_in) |A.B|_2)");
  scale_sums scale;
  for (int64_t bt = 0; bt < d.batch; ++bt) {
    freivalds(d, seeds, c.data(), bt, check_seed, options, em, v, scale);
  }
  sampled(d, seeds, c.data(), check_seed, options, em, v);
  // A uniform scaling error hides inside every row's tolerance; the least-squares slope of
  // C r on A (B r) over all rows exposes it.
  if (!em.exact && scale.xx > 0) {
    v.scale_error = scale.xy / scale.xx;
    v.scale_tolerance = options.row_safety * std::sqrt(scale.var) / scale.xx + 0x1p-40;
  }
  const bool scale_ok = std::fabs(v.scale_error) <= v.scale_tolerance;
  if (!scale_ok && v.first_failure.empty()) {
    v.first_failure = "C is scaled by 1 + " + significant(v.scale_error, 3) +
                      " against A B (tolerance " + significant(v.scale_tolerance, 3) + ")";
  }
  v.passed = v.rows_failed == 0 && v.elements_failed == 0 && scale_ok;
  v.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return v;
}

} // namespace suanli::bench
