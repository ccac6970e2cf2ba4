#include "cpu_attention.hpp"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <cstring>

namespace suanli::cpu_test {

namespace {

constexpr uint64_t k_seed_q = 101, k_seed_k = 202, k_seed_v = 303;

// |O - reference| allowed: inputs and outputs lie in [-1, 1]. fp32: rounding of scores, exp and
// sums (<= 1.7e-7 observed). bf16: P is rounded to bf16 (<= 2^-9 of max |V|) and so is O
// (2^-9 |O|): <= 2.9e-3 observed.
double o_tolerance(sl_dtype t, double ref) {
  return t == SL_DTYPE_FP32 ? 2e-6 * (1 + std::fabs(ref)) : 1e-2 * std::fabs(ref) + 4e-3;
}

// LSE is computed in fp32 from fp32 (or exact bf16) products either way.
double lse_tolerance(double ref) {
  return 1e-5 * (1 + std::fabs(ref));
}

} // namespace

scoped_env::scoped_env(const char *name, const char *value) : name_(name) {
  if (const char *old = std::getenv(name); old != nullptr) {
    had_ = true;
    old_ = old;
  }
  setenv(name, value, 1);
}

scoped_env::~scoped_env() {
  if (had_) {
    setenv(name_.c_str(), old_.c_str(), 1);
  } else {
    unsetenv(name_.c_str());
  }
}

int64_t attention_index(int32_t layout, int64_t b, int64_t s, int64_t h, int64_t x, int64_t seq,
                        int64_t heads, int64_t dim) {
  return layout == SL_LAYOUT_BSHD ? ((b * seq + s) * heads + h) * dim + x
                                  : ((b * heads + h) * seq + s) * dim + x;
}

void PrintTo(const attention_case &c, std::ostream *os) {
  *os << (c.name != nullptr && *c.name != '\0' ? c.name : "attention_case");
}

sl_attention_desc make_attention_desc(const attention_case &c) {
  sl_attention_desc d{};
  d.struct_size = sizeof d;
  d.qkv_type = c.dtype;
  d.o_type = c.dtype;
  d.compute_type = SL_DTYPE_FP32;
  d.layout = c.layout;
  d.causal = c.causal;
  d.batch = c.batch;
  d.seq_q = c.seq_q;
  d.seq_kv = c.seq_kv;
  d.heads_q = c.heads_q;
  d.heads_kv = c.heads_kv;
  d.head_dim_qk = c.d;
  d.head_dim_v = c.d_v != 0 ? c.d_v : c.d;
  d.causal_offset = c.causal_offset;
  d.softmax_scale = 1.0 / std::sqrt(static_cast<double>(c.d));
  d.want_lse = 1;
  return d;
}

attention_outcome run_attention(const context &ctx, const attention_case &c) {
  const sl_backend_api &plugin = api();
  const sl_attention_desc d = make_attention_desc(c);
  attention_outcome out;
  sl_attention_plan *plan = nullptr;
  out.status = plugin.attention_plan_create(ctx.get(), 0, &d, &plan, &out.workspace_bytes);
  if (out.status != SL_OK) {
    out.reason = ctx.error();
    return out;
  }
  char text[256] = {};
  EXPECT_EQ(plugin.attention_plan_describe(ctx.get(), plan, text, sizeof text), SL_OK);
  out.describe = text;
  const int64_t dv = d.head_dim_v;
  const auto nq = static_cast<uint64_t>(c.batch * c.seq_q * c.heads_q * c.d);
  const auto nk = static_cast<uint64_t>(c.batch * c.seq_kv * c.heads_kv * c.d);
  const auto nv = static_cast<uint64_t>(c.batch * c.seq_kv * c.heads_kv * dv);
  const auto no = static_cast<uint64_t>(c.batch * c.seq_q * c.heads_q * dv);
  const auto nl = static_cast<uint64_t>(c.batch * c.heads_q * c.seq_q);
  const size_t es = sl_dtype_size(c.dtype);
  buffer q(ctx, nq * es), k(ctx, nk * es), v(ctx, nv * es), o(ctx, no * es), lse(ctx, nl * 4);
  buffer ws(ctx, out.workspace_bytes);
  EXPECT_EQ(plugin.fill(ctx.get(), nullptr, q.data(), c.dtype, nq, k_seed_q, SL_FILL_UNIFORM),
            SL_OK);
  EXPECT_EQ(plugin.fill(ctx.get(), nullptr, k.data(), c.dtype, nk, k_seed_k, SL_FILL_UNIFORM),
            SL_OK);
  EXPECT_EQ(plugin.fill(ctx.get(), nullptr, v.data(), c.dtype, nv, k_seed_v, SL_FILL_UNIFORM),
            SL_OK);
  std::memset(o.data(), 0xff, o.bytes()); // NaN: an element never written shows
  std::memset(lse.data(), 0xff, lse.bytes());
  EXPECT_EQ(plugin.attention_forward(ctx.get(), plan, nullptr, q.data(), k.data(), v.data(),
                                     o.data(), static_cast<float *>(lse.data()), ws.data()),
            SL_OK)
      << ctx.error();
  EXPECT_EQ(plugin.attention_plan_destroy(ctx.get(), plan), SL_OK);
  for (uint64_t i = 0; i < no; ++i) {
    out.o.push_back(decode(o.data(), c.dtype, i));
  }
  out.lse.assign(static_cast<const float *>(lse.data()),
                 static_cast<const float *>(lse.data()) + nl);

  const auto decoded = [&](const buffer &buf, uint64_t n) {
    std::vector<double> values(n);
    for (uint64_t i = 0; i < n; ++i) {
      values[i] = decode(buf.data(), c.dtype, i);
    }
    return values;
  };
  const std::vector<double> qd = decoded(q, nq), kd = decoded(k, nk), vd = decoded(v, nv);
  const int64_t group = c.heads_q / c.heads_kv;
  std::vector<double> p(static_cast<size_t>(c.seq_kv)), ref(static_cast<size_t>(dv));
  for (int64_t b = 0; b < c.batch; ++b) {
    for (int64_t h = 0; h < c.heads_q; ++h) {
      for (int64_t i = 0; i < c.seq_q; ++i) {
        const int64_t keys =
            c.causal != 0 ? std::clamp<int64_t>(i + c.causal_offset + 1, 0, c.seq_kv) : c.seq_kv;
        double mx = -INFINITY;
        for (int64_t j = 0; j < keys; ++j) {
          double s = 0;
          for (int64_t x = 0; x < c.d; ++x) {
            s += qd[attention_index(c.layout, b, i, h, x, c.seq_q, c.heads_q, c.d)] *
                 kd[attention_index(c.layout, b, j, h / group, x, c.seq_kv, c.heads_kv, c.d)];
          }
          p[j] = s * d.softmax_scale;
          mx = std::max(mx, p[j]);
        }
        double l = 0;
        for (int64_t j = 0; j < keys; ++j) {
          p[j] = std::exp(p[j] - mx);
          l += p[j];
        }
        std::fill(ref.begin(), ref.end(), 0.0);
        for (int64_t j = 0; j < keys; ++j) {
          for (int64_t x = 0; x < dv; ++x) {
            ref[x] += p[j] / l *
                      vd[attention_index(c.layout, b, j, h / group, x, c.seq_kv, c.heads_kv, dv)];
          }
        }
        for (int64_t x = 0; x < dv; ++x) {
          const double got = out.o[attention_index(c.layout, b, i, h, x, c.seq_q, c.heads_q, dv)];
          const double err = std::fabs(got - ref[x]);
          ++out.checked;
          out.wrong += err <= o_tolerance(c.dtype, ref[x]) ? 0 : 1; // NaN counts as wrong
          out.max_error = std::isnan(err) ? INFINITY : std::max(out.max_error, err);
        }
        const float got_lse = out.lse[(b * c.heads_q + h) * c.seq_q + i];
        if (keys == 0) {
          ++out.empty_rows;
          out.wrong_lse += got_lse == -INFINITY ? 0 : 1;
          continue;
        }
        const double ref_lse = mx + std::log(l);
        const double lse_err = std::fabs(got_lse - ref_lse);
        out.wrong_lse += lse_err <= lse_tolerance(ref_lse) ? 0 : 1;
        out.max_lse_error = std::isnan(lse_err) ? INFINITY : std::max(out.max_lse_error, lse_err);
      }
    }
  }
  return out;
}

} // namespace suanli::cpu_test
