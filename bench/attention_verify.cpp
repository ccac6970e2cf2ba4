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
// Every LSE of head h: -inf where no key is visible, else finite within the bound that
// |s_j| <= scale * d_qk (inputs in [-1, 1)) gives: |lse| <= scale * d_qk + ln(keys).
void check_bounds(const attention_problem &p, const sl_attention_desc &d, const void *o,
                  const float *lse, const v_ranges &vr, const error_model &em, int64_t b, int64_t h,
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
    if (lse != nullptr) {
      float l = 0;
      std::memcpy(&l, lse + (b * d.heads_q + h) * d.seq_q + i, sizeof l);
      const double bound = d.softmax_scale * static_cast<double>(d.head_dim_qk) +
                           std::log(static_cast<double>(std::max<int64_t>(keys, 1))) + 1.0;
      const bool ok = keys == 0 ? std::isinf(l) && l < 0 : std::fabs(l) <= bound; // NaN fails
      if (!ok) {
        ++bad;
#pragma omp critical(suanli_attention_bounds)
        if (first_i < 0 || i < first_i) {
          first_i = i;
          first_t = -1;
          first_x = l;
        }
      }
    }
  }
  v.elements_bounded += d.seq_q * (dv + (lse != nullptr ? 1 : 0));
  v.elements_out_of_bounds += bad;
  if (bad > 0 && v.first_failure.empty()) {
    v.first_failure = first_t < 0 ? "LSE[batch " + std::to_string(b) + ", head " +
                                        std::to_string(h) + ", row " + std::to_string(first_i) +
                                        "] = " + significant(first_x, 8) +
                                        " is impossible for the keys its query sees"
                                  : "O[batch " + std::to_string(b) + ", head " + std::to_string(h) +
                                        ", row " + std::to_string(first_i) + ", dim " +
                                        std::to_string(first_t) + "] = " + significant(first_x, 8) +
                                        " lies outside the range of the V values its query sees";
  }
}

// Rows of head h recomputed in fp64: the edges where tiled kernels go wrong (first and last
// row, the first row that sees a key, a tile boundary at 63/64) and random ones.
std::vector<int64_t> rows_to_check(const attention_problem &p, int64_t b, int64_t h, uint64_t seed,
                                   int random_rows) {
  const int64_t first_visible =
      p.causal ? std::clamp<int64_t>(-p.causal_offset(), 0, p.seq_q - 1) : 0;
  std::vector<int64_t> rows{0, p.seq_q - 1, first_visible, std::min<int64_t>(63, p.seq_q - 1),
                            std::min<int64_t>(64, p.seq_q - 1)};
  for (int r = 0; r < random_rows; ++r) {
    const uint64_t stream = static_cast<uint64_t>(b * p.heads_q + h) << 20;
    const uint64_t bits = sl_fill_bits(seed, stream + static_cast<uint64_t>(r));
    rows.push_back(static_cast<int64_t>(bits % static_cast<uint64_t>(p.seq_q)));
  }
  std::sort(rows.begin(), rows.end());
  rows.erase(std::unique(rows.begin(), rows.end()), rows.end());
  return rows;
}

void check_rows(const attention_problem &p, const sl_attention_desc &d, const void *o,
                const float *lse, const ref::operand &q, const ref::kv_block &kv,
                const v_ranges &vr, const error_model &em, int64_t b, int64_t h, uint64_t seed,
                const attention_verify_options &opt, attention_verification &v) {
  const int64_t dv = d.head_dim_v;
  for (const int64_t i : rows_to_check(p, b, h, seed, opt.rows_per_head)) {
    const auto want = ref::attention_reference_row(d, q, kv, b, h, i);
    // Score error per key: fp32 dot products plus the fast exp. Independent across keys, so o_t
    // moves by about ds * spread_t; with few keys use the worst case, 2 ds max|v|.
    const double ds =
        em.u_acc * (std::sqrt(static_cast<double>(d.head_dim_qk)) + 4.0) * want.score_scale +
        error_model::exp_rel * (1.0 + want.max_abs_score);
    const double keys = static_cast<double>(want.keys);
    bool row_ok = true;
    for (int64_t t = 0; t < dv && want.keys > 0; ++t) {
      const auto ut = static_cast<size_t>(t);
      const size_t at = static_cast<size_t>((want.keys - 1) * dv + t);
      const double vmax = std::max(std::fabs(vr.lo[at]), std::fabs(vr.hi[at]));
      const double score_term = want.keys <= 64 ? 2.0 * ds * vmax : ds * want.spread[ut];
      const double got = ref::load(o, d.o_type, p.index(b, h, i, t, d.heads_q, d.seq_q, dv));
      // Output rounding and the normalisation sum's rounding scale o; P rounding and the
      // accumulation of P.V scale sqrt(sum (p v)^2).
      const double tol =
          opt.safety * ((em.u_out + em.u_acc * std::sqrt(keys)) * std::fabs(want.o[ut]) +
                        score_term + (em.u_acc * std::sqrt(keys) + em.u_p) * want.pv_norm[ut]) +
          1e-30;
      const double err = std::fabs(got - want.o[ut]);
      if (!(err <= tol)) {
        if (row_ok && v.first_failure.empty()) {
          v.first_failure = "O[batch " + std::to_string(b) + ", head " + std::to_string(h) +
                            ", row " + std::to_string(i) + ", dim " + std::to_string(t) +
                            "] = " + significant(got, 8) + ", exact " + significant(want.o[ut], 8) +
                            ", tolerance " + significant(tol, 3);
        }
        row_ok = false;
      }
      v.worst_ratio = std::max(v.worst_ratio,
                               std::isfinite(err) ? err / tol : std::numeric_limits<double>::max());
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
        check_bounds(attn, d, o.data(), lse, vr, em, b, h, v);
        check_rows(attn, d, o.data(), lse, q, kv, vr, em, b, h, seed, options, v);
      }
    }
  }
  v.passed = v.elements_out_of_bounds == 0 && v.rows_failed == 0;
  v.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return v;
}

} // namespace suanli::bench
