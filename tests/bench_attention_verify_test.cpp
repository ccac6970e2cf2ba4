#include <bench/attention_verify.hpp>
#include <kernels/reference/attention.hpp>
#include <kernels/reference/element.hpp>

#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <limits>
#include <string>
#include <vector>

namespace suanli::bench {
namespace {

namespace ref = suanli::reference;

struct attn_case {
  std::string precision;
  int64_t batch, seq_q, seq_kv, heads_q, heads_kv, dim;
  bool causal;
  causal_alignment align;
  sl_attention_layout layout;
  bool lse;
};

attention_problem make(const attn_case &c) {
  attention_problem p;
  p.precision = find_attention_precision(c.precision);
  p.batch = c.batch;
  p.seq_q = c.seq_q;
  p.seq_kv = c.seq_kv;
  p.heads_q = c.heads_q;
  p.heads_kv = c.heads_kv;
  p.head_dim_qk = p.head_dim_v = c.dim;
  p.causal = c.causal;
  p.align = c.align;
  p.layout = c.layout;
  p.want_lse = c.lse;
  return p;
}

// The exact output rounded once to the output type (and LSE to fp32), as a correct kernel
// would produce up to its own rounding.
std::vector<std::byte> exact_output(const attention_problem &p, const tensor_seeds &s) {
  std::vector<std::byte> out(p.bytes_o() + p.bytes_lse());
  const auto d = p.to_desc();
  const ref::operand q{d.qkv_type, nullptr, s.a}, k{d.qkv_type, nullptr, s.b},
      v{d.qkv_type, nullptr, s.c};
  for (int64_t b = 0; b < p.batch; ++b) {
    for (int64_t h = 0; h < p.heads_q; ++h) {
      const auto kv = ref::load_kv(d, k, v, b, h / (p.heads_q / p.heads_kv));
      for (int64_t i = 0; i < p.seq_q; ++i) {
        const auto row = ref::attention_reference_row(d, q, kv, b, h, i);
        for (int64_t t = 0; t < p.head_dim_v; ++t) {
          ref::store(out.data(), d.o_type, p.index(b, h, i, t, p.heads_q, p.seq_q, p.head_dim_v),
                     row.o[static_cast<size_t>(t)]);
        }
        if (p.want_lse) {
          const auto lse = static_cast<float>(row.lse);
          std::memcpy(out.data() + p.bytes_o() +
                          static_cast<size_t>((b * p.heads_q + h) * p.seq_q + i) * sizeof(float),
                      &lse, sizeof lse);
        }
      }
    }
  }
  return out;
}

class verify_attention_test : public ::testing::TestWithParam<attn_case> {};

TEST_P(verify_attention_test, exact_output_passes_and_one_wrong_row_fails) {
  const auto p = make(GetParam());
  const tensor_seeds seeds{101, 202, 303};
  auto o = exact_output(p, seeds);
  const auto ok = verify_attention(p, seeds, o, 7);
  EXPECT_TRUE(ok.passed) << ok.first_failure;
  EXPECT_GE(ok.rows_checked, p.batch * p.heads_q * 4); // plus the edge rows of every head
  EXPECT_EQ(ok.elements_bounded,
            p.elems_o() + (p.want_lse ? p.batch * p.heads_q * p.seq_q : int64_t{0}));
  EXPECT_LT(ok.worst_ratio, 0.5);

  // One wrong row: its first element off by one unit of V's range.
  const auto d = p.to_desc();
  const int64_t h = p.heads_q - 1, i = p.seq_q / 2;
  const int64_t at = p.index(p.batch - 1, h, i, 0, p.heads_q, p.seq_q, p.head_dim_v);
  ref::store(o.data(), d.o_type, at, ref::load(o.data(), d.o_type, at) + 2.0);
  const auto bad = verify_attention(p, seeds, o, 7);
  EXPECT_FALSE(bad.passed);
  EXPECT_EQ(bad.elements_out_of_bounds, 1);
  EXPECT_NE(bad.first_failure.find("row " + std::to_string(i)), std::string::npos)
      << bad.first_failure;
}

INSTANTIATE_TEST_SUITE_P(
    shapes, verify_attention_test,
    ::testing::Values(attn_case{"fp32", 1, 37, 37, 4, 4, 64, false, causal_alignment::bottom_right,
                                SL_LAYOUT_BSHD, true},
                      attn_case{"bf16", 2, 33, 50, 8, 2, 64, true, causal_alignment::bottom_right,
                                SL_LAYOUT_BHSD, false},
                      attn_case{"fp32", 1, 50, 20, 2, 1, 128, true, causal_alignment::bottom_right,
                                SL_LAYOUT_BSHD, true}, // negative offset: rows that see no key
                      attn_case{"bf16", 1, 40, 64, 4, 1, 128, true, causal_alignment::top_left,
                                SL_LAYOUT_BSHD, true}),
    [](const auto &param_info) {
      const auto &c = param_info.param;
      return c.precision + "_" + make(c).shape_label();
    });

TEST(verify_attention, a_small_error_in_a_sampled_row_fails_the_exact_check) {
  // 1% off in every element of every row of one head: inside the V range, but every sampled
  // row of that head shows it.
  const auto p = make(
      {"fp32", 1, 64, 64, 2, 2, 64, false, causal_alignment::bottom_right, SL_LAYOUT_BSHD, false});
  const tensor_seeds seeds{1, 2, 3};
  auto o = exact_output(p, seeds);
  const auto d = p.to_desc();
  for (int64_t i = 0; i < p.seq_q; ++i) {
    for (int64_t t = 0; t < p.head_dim_v; ++t) {
      const int64_t at = p.index(0, 1, i, t, p.heads_q, p.seq_q, p.head_dim_v);
      ref::store(o.data(), d.o_type, at, ref::load(o.data(), d.o_type, at) * 1.01);
    }
  }
  const auto v = verify_attention(p, seeds, o, 9);
  EXPECT_FALSE(v.passed);
  EXPECT_GE(v.rows_failed, 4);
}

// An fp32 attention whose kernel silently rounds Q, K, V and P to a narrower type (tf32: 11
// significant bits, bf16: 8) and accumulates in fp32, as a cheaper fp32 path would: the fp64
// rows must notice.
std::vector<std::byte> downgraded_output(const attention_problem &p, const tensor_seeds &s,
                                         int bits) {
  const auto d = p.to_desc();
  const auto round = [bits](double x) {
    int e = 0;
    const double m = std::frexp(x, &e);
    return std::ldexp(std::nearbyint(std::ldexp(m, bits)), e - bits);
  };
  std::vector<double> qv(static_cast<size_t>(p.elems_q())), kv(static_cast<size_t>(p.elems_k())),
      vv(static_cast<size_t>(p.elems_v()));
  for (size_t i = 0; i < qv.size(); ++i) {
    qv[i] = round(sl_fill_value(s.a, i, d.qkv_type));
  }
  for (size_t i = 0; i < kv.size(); ++i) {
    kv[i] = round(sl_fill_value(s.b, i, d.qkv_type));
    vv[i] = round(sl_fill_value(s.c, i, d.qkv_type));
  }
  const ref::operand q{SL_DTYPE_FP64, qv.data(), 0}, k{SL_DTYPE_FP64, kv.data(), 0},
      v{SL_DTYPE_FP64, vv.data(), 0};
  std::vector<std::byte> out(p.bytes_o());
  const auto block = ref::load_kv(d, k, v, 0, 0);
  for (int64_t i = 0; i < p.seq_q; ++i) {
    const auto row = ref::attention_reference_row(d, q, block, 0, 0, i);
    for (int64_t t = 0; t < p.head_dim_v; ++t) {
      ref::store(out.data(), d.o_type, p.index(0, 0, i, t, 1, p.seq_q, p.head_dim_v),
                 row.o[static_cast<size_t>(t)]);
    }
  }
  return out;
}

TEST(verify_attention, fp32_computed_in_tf32_or_bf16_is_caught) {
  for (const int64_t seq : {512, 2048}) {
    const auto p = make({"fp32", 1, seq, seq, 1, 1, 128, false, causal_alignment::bottom_right,
                         SL_LAYOUT_BSHD, false});
    const tensor_seeds seeds{31, 32, 33};
    EXPECT_TRUE(verify_attention(p, seeds, exact_output(p, seeds), 5).passed);
    for (const int bits : {11, 8}) {
      const auto v = verify_attention(p, seeds, downgraded_output(p, seeds, bits), 5);
      EXPECT_FALSE(v.passed) << "S " << seq << ", " << bits << " significant bits";
    }
  }
}

TEST(verify_attention, nan_anywhere_fails) {
  const auto p = make(
      {"bf16", 1, 16, 16, 2, 2, 64, true, causal_alignment::bottom_right, SL_LAYOUT_BSHD, false});
  const tensor_seeds seeds{4, 5, 6};
  auto o = exact_output(p, seeds);
  ref::store(o.data(), SL_DTYPE_BF16, 3, std::nan(""));
  EXPECT_FALSE(verify_attention(p, seeds, o, 1).passed);
}

TEST(attention_problem, unmasked_pairs_equals_the_sum_of_visible_keys) {
  for (const int64_t sq : {1, 7, 64, 100}) {
    for (const int64_t skv : {1, 7, 64, 130}) {
      for (const auto align : {causal_alignment::top_left, causal_alignment::bottom_right}) {
        auto p = make({"fp32", 1, sq, skv, 1, 1, 64, true, align, SL_LAYOUT_BSHD, false});
        double sum = 0;
        for (int64_t i = 0; i < sq; ++i) {
          sum += static_cast<double>(p.visible_keys(i));
        }
        EXPECT_EQ(p.unmasked_pairs(), sum) << p.shape_label();
      }
    }
  }
}

} // namespace
} // namespace suanli::bench
