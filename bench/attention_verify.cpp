#include <bench/attention_verify.hpp>

#include <bench/dtype.hpp>
#include <bench/error.hpp>
#include <bench/text.hpp>
#include <kernels/reference/attention.hpp>
#include <kernels/reference/element.hpp>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstring>
#include <limits>
#include <vector>

namespace suanli::bench {
namespace {

namespace ref = suanli::reference;

// Rounding scales: output type, fp32 accumulation, and P rounded to the input type for the
// P.V product (as FlashAttention kernels do); plus the error of a fast exp.
struct error_model {
  double u_out, u_acc, u_p;
  static constexpr double exp_rel = 4e-7;
};

// Per (batch, kv head): prefix minimum and maximum of every V column over keys 0..j.
struct v_ranges {
  std::vector<double> lo, hi; // seq_kv x head_dim_v
};

v_ranges prefix_ranges(const sl_attention_desc &d, const ref::kv_block &kv) {
  const auto dv = static_cast<size_t>(d.head_dim_v);
  v_ranges r{kv.v, kv.v};
  for (size_t j = 1; j < static_cast<size_t>(d.seq_kv); ++j) {
    for (size_t t = 0; t < dv; ++t) {
      r.lo[j * dv + t] = std::min(r.lo[j * dv + t], r.lo[(j - 1) * dv + t]);
      r.hi[j * dv + t] = std::max(r.hi[j * dv + t], r.hi[(j - 1) * dv + t]);
    }
  }
  return r;
}

// Every element of head h inside the range of the V columns its query sees.
void check_bounds(const attention_problem &p, const sl_attention_desc &d, const void *o,
                  const v_ranges &vr, const error_model &em, int64_t b, int64_t h,
                  attention_verification &v) {
  const int64_t dv = d.head_dim_v;
  int64_t bad = 0, first_i = -1, first_t = 0;
  double first_x = 0;
#pragma omp parallel for schedule(static) reduction(+ : bad)
  for (int64_t i = 0; i < d.seq_q; ++i) {
    const int64_t keys = p.visible_keys(i);
    for (int64_t t = 0; t < dv; ++t) {
      const double x = ref::load(o, d.o_type, p.index(b, h, i, t, d.heads_q, d.seq_q, dv));
      bool ok = false;
      if (keys == 0) {
        ok = x == 0.0;
      } else {
        const size_t at = static_cast<size_t>((keys - 1) * dv + t);
        const double lo = vr.lo[at], hi = vr.hi[at];
        const double slack = 8.0 * (em.u_out + em.u_p) * std::max(std::fabs(lo), std::fabs(hi));
        ok = x >= lo - slack && x <= hi + slack; // false for NaN
      }
      if (!ok) {
        ++bad;
#pragma omp critical(suanli_attention_bounds)
        if (first_i < 0 || i < first_i) {
          first_i = i;
          first_t = t;
          first_x = x;
        }
      }
    }
  }
  v.elements_bounded += d.seq_q * dv;
  v.elements_out_of_bounds += bad;
  if (bad > 0 && v.first_failure.empty()) {
    v.first_failure = "O[batch " + std::to_string(b) + ", head " + std::to_string(h) + ", row " +
                      std::to_string(first_i) + ", dim " + std::to_string(first_t) +
                      "] = " + significant(first_x, 8) +
                      " lies outside the range of the V values its query sees";
  }
}

// Sampled rows of head h recomputed in fp64.
void check_rows(const attention_problem &p, const sl_attention_desc &d, const void *o,
                const float *lse, const ref::operand &q, const ref::kv_block &kv,
                const v_ranges &vr, const error_model &em, int64_t b, int64_t h, uint64_t seed,
                const attention_verify_options &opt, attention_verification &v) {
  const int64_t dv = d.head_dim_v;
  for (int r = 0; r < opt.rows_per_head; ++r) {
    const uint64_t bits = sl_fill_bits(seed, static_cast<uint64_t>((b * d.heads_q + h) * 64 + r));
    const auto i = static_cast<int64_t>(bits % static_cast<uint64_t>(d.seq_q));
    const auto want = ref::attention_reference_row(d, q, kv, b, h, i);
    // Score error: fp32 dot products plus the fast exp; |do/ds_j| sums to <= 2 max|v|.
    const double ds =
        em.u_acc * (std::sqrt(static_cast<double>(d.head_dim_qk)) + 4.0) * want.score_scale +
        error_model::exp_rel * (1.0 + want.max_abs_score);
    bool row_ok = true;
    for (int64_t t = 0; t < dv && want.keys > 0; ++t) {
      const size_t at = static_cast<size_t>((want.keys - 1) * dv + t);
      const double vmax = std::max(std::fabs(vr.lo[at]), std::fabs(vr.hi[at]));
      const double got = ref::load(o, d.o_type, p.index(b, h, i, t, d.heads_q, d.seq_q, dv));
      const double tol =
          opt.safety * (em.u_out * std::fabs(want.o[static_cast<size_t>(t)]) + 2.0 * ds * vmax +
                        (em.u_acc * std::sqrt(static_cast<double>(want.keys)) + em.u_p) *
                            want.pv_norm[static_cast<size_t>(t)]) +
          1e-30;
      const double err = std::fabs(got - want.o[static_cast<size_t>(t)]);
      if (!(err <= tol)) {
        if (row_ok && v.first_failure.empty()) {
          v.first_failure = "O[batch " + std::to_string(b) + ", head " + std::to_string(h) +
                            ", row " + std::to_string(i) + ", dim " + std::to_string(t) +
                            "] = " + significant(got, 8) + ", exact " +
                            significant(want.o[static_cast<size_t>(t)], 8) + ", tolerance " +
                            significant(tol, 3);
        }
        row_ok = false;
      }
      v.worst_ratio = std::max(v.worst_ratio, std::isfinite(err) ? err / tol : 0.0);
    }
    if (lse != nullptr) {
      float got = 0;
      std::memcpy(&got, lse + (b * d.heads_q + h) * d.seq_q + i, sizeof got);
      const double tol = opt.safety * (ds + 1e-6 * std::fabs(want.lse)) + 1e-30;
      const bool ok = want.keys == 0 ? std::isinf(got) && got < 0
                                     : std::fabs(static_cast<double>(got) - want.lse) <= tol;
      ++v.lse_checked;
      if (!ok && row_ok && v.first_failure.empty()) {
        v.first_failure = "LSE[batch " + std::to_string(b) + ", head " + std::to_string(h) +
                          ", row " + std::to_string(i) + "] = " + significant(got, 8) + ", exact " +
                          significant(want.lse, 8);
      }
      row_ok = row_ok && ok;
    }
    ++v.rows_checked;
    v.rows_failed += row_ok ? 0 : 1;
  }
}

} // namespace

attention_verification verify_attention(const attention_problem &attn, const tensor_seeds &seeds,
                                        std::span<const std::byte> o, uint64_t check_seed,
                                        const attention_verify_options &options) {
  const auto start = std::chrono::steady_clock::now();
  if (o.size() < attn.bytes_o() + attn.bytes_lse()) {
    fail_environment("attention output has " + std::to_string(o.size()) + " bytes; expected " +
                     std::to_string(attn.bytes_o() + attn.bytes_lse()));
  }
  const sl_attention_desc d = attn.to_desc();
  const error_model em{info(d.o_type).unit_roundoff, info(SL_DTYPE_FP32).unit_roundoff,
                       info(d.qkv_type).unit_roundoff};
  const ref::operand q{d.qkv_type, nullptr, seeds.a}, k{d.qkv_type, nullptr, seeds.b},
      vv{d.qkv_type, nullptr, seeds.c};
  const auto *lse =
      attn.want_lse ? reinterpret_cast<const float *>(o.data() + attn.bytes_o()) : nullptr;
  attention_verification v;
  v.method = "every output element inside the range of the V values its query sees; " +
             std::to_string(options.rows_per_head) +
             " random query rows per head recomputed exactly in fp64" +
             (attn.want_lse ? " (with LSE)" : "") + "; tolerance " +
             significant(options.safety, 3) +
             " x (u_out |o| + 2 ds max|v| + (u_acc sqrt(keys) + u_p) |p.v|_2)";
  const uint64_t seed = sl_mix64(check_seed);
  const int64_t group = d.heads_q / d.heads_kv;
  for (int64_t b = 0; b < d.batch; ++b) {
    for (int64_t g = 0; g < d.heads_kv; ++g) {
      const auto kv = ref::load_kv(d, k, vv, b, g);
      const auto vr = prefix_ranges(d, kv);
      for (int64_t h = g * group; h < (g + 1) * group; ++h) {
        check_bounds(attn, d, o.data(), vr, em, b, h, v);
        check_rows(attn, d, o.data(), lse, q, kv, vr, em, b, h, seed, options, v);
      }
    }
  }
  v.passed = v.elements_out_of_bounds == 0 && v.rows_failed == 0;
  v.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return v;
}

} // namespace suanli::bench
