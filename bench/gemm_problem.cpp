#include <bench/gemm_problem.hpp>

#include <array>
#include <limits>
#include <tuple>
#include <utility>

namespace suanli::bench {
namespace {

constexpr std::array<gemm_precision, 6> precisions{{
    {"fp64", SL_DTYPE_FP64, SL_DTYPE_FP64, SL_DTYPE_FP64, SL_DTYPE_FP64,
     "fp64*fp64 -> fp64 accumulate -> fp64"},
    {"fp32", SL_DTYPE_FP32, SL_DTYPE_FP32, SL_DTYPE_FP32, SL_DTYPE_FP32,
     "fp32*fp32 -> fp32 accumulate -> fp32"},
    {"tf32", SL_DTYPE_FP32, SL_DTYPE_FP32, SL_DTYPE_TF32, SL_DTYPE_FP32,
     "fp32*fp32 (tf32 compute) -> fp32 accumulate -> fp32"},
    {"bf16", SL_DTYPE_BF16, SL_DTYPE_BF16, SL_DTYPE_FP32, SL_DTYPE_BF16,
     "bf16*bf16 -> fp32 accumulate -> bf16"},
    {"fp16", SL_DTYPE_FP16, SL_DTYPE_FP16, SL_DTYPE_FP32, SL_DTYPE_FP16,
     "fp16*fp16 -> fp32 accumulate -> fp16"},
    {"int8", SL_DTYPE_UINT8, SL_DTYPE_INT8, SL_DTYPE_INT32, SL_DTYPE_INT32,
     "uint8*int8 -> int32 accumulate -> int32"},
}};

// a*b without overflow, or nullopt.
std::optional<int64_t> mul(int64_t a, int64_t b) {
  int64_t r = 0;
  if (__builtin_mul_overflow(a, b, &r)) {
    return std::nullopt;
  }
  return r;
}

} // namespace

std::span<const gemm_precision> gemm_precisions() { return precisions; }

const gemm_precision *find_gemm_precision(std::string_view name) {
  for (const auto &p : precisions) {
    if (p.name == name) {
      return &p;
    }
  }
  return nullptr;
}

std::string gemm_precision_names() {
  std::string out;
  for (const auto &p : precisions) {
    out += (out.empty() ? "" : ", ") + std::string(p.name);
  }
  return out;
}

int64_t gemm_problem::lead_a() const { return lda != 0 ? lda : (trans_a ? m : k); }
int64_t gemm_problem::lead_b() const { return ldb != 0 ? ldb : (trans_b ? k : n); }
int64_t gemm_problem::lead_c() const { return ldc != 0 ? ldc : n; }
int64_t gemm_problem::elems_a() const { return (trans_a ? k : m) * lead_a(); }
int64_t gemm_problem::elems_b() const { return (trans_b ? n : k) * lead_b(); }
int64_t gemm_problem::elems_c() const { return m * lead_c(); }

uint64_t gemm_problem::bytes_a() const {
  return static_cast<uint64_t>(elems_a()) * static_cast<uint64_t>(batch) *
         sl_dtype_size(precision->a);
}
uint64_t gemm_problem::bytes_b() const {
  return static_cast<uint64_t>(elems_b()) * static_cast<uint64_t>(batch) *
         sl_dtype_size(precision->b);
}
uint64_t gemm_problem::bytes_c() const {
  return static_cast<uint64_t>(elems_c()) * static_cast<uint64_t>(batch) *
         sl_dtype_size(precision->c);
}
uint64_t gemm_problem::bytes_total() const { return bytes_a() + bytes_b() + bytes_c(); }

double gemm_problem::flops() const {
  return 2.0 * static_cast<double>(m) * static_cast<double>(n) * static_cast<double>(k) *
         static_cast<double>(batch);
}

std::string gemm_problem::shape_label() const {
  std::string s = std::to_string(m) + "x" + std::to_string(n) + "x" + std::to_string(k);
  if (batch != 1) {
    s += "b" + std::to_string(batch);
  }
  if (trans_a || trans_b) {
    s += std::string("_") + (trans_a ? "T" : "N") + (trans_b ? "T" : "N");
  }
  return s;
}

sl_gemm_desc gemm_problem::to_desc() const {
  sl_gemm_desc d{};
  d.struct_size = sizeof(sl_gemm_desc);
  d.a_type = precision->a;
  d.b_type = precision->b;
  d.c_type = precision->c;
  d.compute_type = precision->compute;
  d.trans_a = trans_a ? 1 : 0;
  d.trans_b = trans_b ? 1 : 0;
  d.m = m;
  d.n = n;
  d.k = k;
  d.lda = lead_a();
  d.ldb = lead_b();
  d.ldc = lead_c();
  d.batch = batch;
  d.stride_a = elems_a();
  d.stride_b = elems_b();
  d.stride_c = elems_c();
  d.alpha = 1.0;
  d.beta = 0.0;
  return d;
}

std::optional<std::string> gemm_problem::invalid_reason() const {
  if (precision == nullptr) {
    return "no precision";
  }
  const std::array<std::pair<const char *, int64_t>, 4> dims{
      {{"m", m}, {"n", n}, {"k", k}, {"batch", batch}}};
  for (const auto &[label, v] : dims) {
    if (v <= 0) {
      return std::string(label) + " = " + std::to_string(v) + " must be >= 1";
    }
    if (v > gemm_max_dim) {
      return std::string(label) + " = " + std::to_string(v) + " overflows: at most " +
             std::to_string(gemm_max_dim);
    }
  }
  const std::array<std::tuple<const char *, int64_t, int64_t>, 3> leads{
      {{"lda", lda, trans_a ? m : k}, {"ldb", ldb, trans_b ? k : n}, {"ldc", ldc, n}}};
  for (const auto &[label, v, minimum] : leads) {
    if (v != 0 && v < minimum) {
      return std::string(label) + " = " + std::to_string(v) + " is below the row length " +
             std::to_string(minimum);
    }
  }
  // Every operand's byte size must fit in 63 bits.
  const int64_t limit = std::numeric_limits<int64_t>::max() / 8;
  for (const auto &[rows, lead] : {std::pair{trans_a ? k : m, lead_a()},
                                   std::pair{trans_b ? n : k, lead_b()}, std::pair{m, lead_c()}}) {
    const auto e = mul(rows, lead);
    if (!e || !mul(*e, batch) || *mul(*e, batch) > limit) {
      return "operand size overflows 64-bit byte counts";
    }
  }
  return std::nullopt;
}

} // namespace suanli::bench
