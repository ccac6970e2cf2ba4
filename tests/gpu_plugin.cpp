#include "gpu_plugin.hpp"

#include <dlfcn.h>

#include <cmath>
#include <cstring>
#include <stdexcept>

namespace suanli::gpu_test {

namespace {

constexpr uint64_t k_seed_a = 11, k_seed_b = 22, k_seed_c = 33;

// Relative precision of a stored output element (half an ulp at 1).
double output_eps(sl_dtype t) {
  switch (t) {
  case SL_DTYPE_FP64: return 0x1p-53;
  case SL_DTYPE_FP32: return 0x1p-24;
  case SL_DTYPE_BF16: return 0x1p-8;
  case SL_DTYPE_FP16: return 0x1p-11;
  default: return 0;
  }
}

// Relative error of one product: inputs rounded to TF32 (10 stored mantissa bits) for TF32.
double input_eps(const gemm_case &c) {
  return c.compute == SL_DTYPE_TF32 ? 2 * 0x1p-11 : 0;
}

double accumulate_eps(sl_dtype compute) {
  switch (compute) {
  case SL_DTYPE_FP64: return 0x1p-52;
  case SL_DTYPE_FP32:
  case SL_DTYPE_TF32: return 0x1p-23;
  default: return 0;
  }
}

int64_t span(int64_t rows, int64_t cols, int64_t ld) {
  return (rows - 1) * ld + cols;
}

// A minifloat with exp_bits / man_bits and IEEE-style bias, decoded (finite values only).
double decode_minifloat(uint32_t bits, int exp_bits, int man_bits) {
  const int bias = (1 << (exp_bits - 1)) - 1;
  const int exp = static_cast<int>(bits >> man_bits) & ((1 << exp_bits) - 1);
  const int man = static_cast<int>(bits) & ((1 << man_bits) - 1);
  const double sign = ((bits >> (exp_bits + man_bits)) & 1) != 0 ? -1.0 : 1.0;
  return sign * (exp == 0 ? std::ldexp(man, 1 - bias - man_bits)
                          : std::ldexp((1 << man_bits) + man, exp - bias - man_bits));
}

} // namespace

const sl_backend_api &api() {
  static const sl_backend_api *table = [] {
    void *handle = dlopen(SUANLI_CUDA_PLUGIN, RTLD_NOW | RTLD_LOCAL);
    if (handle == nullptr) {
      throw std::runtime_error(std::string("dlopen ") + SUANLI_CUDA_PLUGIN + ": " + dlerror());
    }
    auto entry = reinterpret_cast<sl_entry_fn>(dlsym(handle, SL_ENTRY_SYMBOL));
    if (entry == nullptr) {
      throw std::runtime_error(std::string("no ") + SL_ENTRY_SYMBOL + " in " + SUANLI_CUDA_PLUGIN);
    }
    return entry();
  }();
  return *table;
}

std::optional<std::string> unavailable() {
  static const std::optional<std::string> why = []() -> std::optional<std::string> {
    sl_context *ctx = nullptr;
    const sl_init_options options{sizeof(sl_init_options), 0};
    if (api().init(&options, &ctx) != SL_OK) {
      return std::string(api().last_error(nullptr));
    }
    int32_t count = 0;
    const sl_status s = api().device_count(ctx, &count);
    api().finalize(ctx);
    if (s != SL_OK || count < 1) {
      return std::string("the plugin sees no CUDA device");
    }
    return std::nullopt;
  }();
  return why;
}

context::context() {
  const sl_init_options options{sizeof(sl_init_options), 0};
  EXPECT_EQ(api().init(&options, &ctx_), SL_OK) << api().last_error(nullptr);
}

context::~context() {
  if (ctx_ != nullptr) {
    api().finalize(ctx_);
  }
}

std::string context::error() const {
  return api().last_error(ctx_);
}

buffer::buffer(const context &ctx, uint64_t bytes) : ctx_(ctx), bytes_(bytes) {
  EXPECT_EQ(api().mem_alloc(ctx.get(), 0, bytes, &ptr_), SL_OK) << ctx.error();
}

buffer::~buffer() {
  api().mem_free(ctx_.get(), 0, ptr_);
}

std::vector<unsigned char> buffer::copy() const {
  std::vector<unsigned char> out(bytes_);
  EXPECT_EQ(api().memcpy_d2h(ctx_.get(), 0, out.data(), ptr_, bytes_), SL_OK) << ctx_.error();
  return out;
}

void buffer::upload(const std::vector<unsigned char> &bytes) const {
  EXPECT_EQ(api().memcpy_h2d(ctx_.get(), 0, ptr_, bytes.data(), bytes.size()), SL_OK)
      << ctx_.error();
}

double decode(const void *data, sl_dtype dtype, uint64_t i) {
  const auto *p = static_cast<const unsigned char *>(data);
  switch (dtype) {
  case SL_DTYPE_FP64: return static_cast<const double *>(data)[i];
  case SL_DTYPE_FP32:
  case SL_DTYPE_TF32: return static_cast<const float *>(data)[i];
  case SL_DTYPE_INT32: return static_cast<const int32_t *>(data)[i];
  case SL_DTYPE_INT8: return static_cast<const int8_t *>(data)[i];
  case SL_DTYPE_UINT8: return p[i];
  case SL_DTYPE_BF16: {
    const uint32_t bits = static_cast<uint32_t>(static_cast<const uint16_t *>(data)[i]) << 16;
    float f = 0;
    std::memcpy(&f, &bits, sizeof f);
    return f;
  }
  case SL_DTYPE_FP16: {
    const uint16_t h = static_cast<const uint16_t *>(data)[i];
    return ((h >> 10) & 0x1f) == 0x1f ? NAN : decode_minifloat(h, 5, 10);
  }
  case SL_DTYPE_FP8_E4M3: return (p[i] & 0x7f) == 0x7f ? NAN : decode_minifloat(p[i], 4, 3);
  case SL_DTYPE_FP8_E5M2: return ((p[i] >> 2) & 0x1f) == 0x1f ? NAN : decode_minifloat(p[i], 5, 2);
  default: return NAN;
  }
}

sl_gemm_desc make_desc(const gemm_case &c) {
  sl_gemm_desc d{};
  d.struct_size = sizeof d;
  d.a_type = c.a;
  d.b_type = c.b;
  d.c_type = c.c;
  d.compute_type = c.compute;
  d.trans_a = c.trans_a;
  d.trans_b = c.trans_b;
  d.m = c.m;
  d.n = c.n;
  d.k = c.k;
  d.lda = (c.trans_a != 0 ? c.m : c.k) + c.pad;
  d.ldb = (c.trans_b != 0 ? c.k : c.n) + c.pad;
  d.ldc = c.n + c.pad;
  d.batch = c.batch;
  d.stride_a = (c.trans_a != 0 ? span(c.k, c.m, d.lda) : span(c.m, c.k, d.lda)) + c.pad;
  d.stride_b = (c.trans_b != 0 ? span(c.n, c.k, d.ldb) : span(c.k, c.n, d.ldb)) + c.pad;
  d.stride_c = span(c.m, c.n, d.ldc) + c.pad;
  d.alpha = c.alpha;
  d.beta = c.beta;
  return d;
}

gemm_outcome run_gemm(const context &ctx, const gemm_case &c) {
  const sl_backend_api &plugin = api();
  const sl_gemm_desc d = make_desc(c);
  gemm_outcome out;
  sl_gemm_plan *plan = nullptr;
  uint64_t workspace_bytes = 0;
  out.status = plugin.gemm_plan_create(ctx.get(), 0, &d, &plan, &workspace_bytes);
  if (out.status != SL_OK) {
    out.reason = ctx.error();
    return out;
  }
  char text[1024] = {};
  EXPECT_EQ(plugin.gemm_plan_describe(ctx.get(), plan, text, sizeof text), SL_OK) << ctx.error();
  out.describe = text;
  const auto elems = [&](int64_t stride) { return static_cast<uint64_t>(stride * d.batch); };
  buffer a(ctx, elems(d.stride_a) * sl_dtype_size(c.a));
  buffer b(ctx, elems(d.stride_b) * sl_dtype_size(c.b));
  buffer cc(ctx, elems(d.stride_c) * sl_dtype_size(c.c));
  buffer ws(ctx, workspace_bytes > 0 ? workspace_bytes : 256);
  sl_stream *stream = nullptr;
  EXPECT_EQ(plugin.stream_create(ctx.get(), 0, &stream), SL_OK) << ctx.error();
  EXPECT_EQ(
      plugin.fill(ctx.get(), stream, a.data(), c.a, elems(d.stride_a), k_seed_a, SL_FILL_UNIFORM),
      SL_OK);
  EXPECT_EQ(
      plugin.fill(ctx.get(), stream, b.data(), c.b, elems(d.stride_b), k_seed_b, SL_FILL_UNIFORM),
      SL_OK);
  if (c.beta == 0) {
    cc.upload(std::vector<unsigned char>(cc.bytes(), 0xff)); // a read of C would show as NaN
  } else {
    EXPECT_EQ(plugin.fill(ctx.get(), stream, cc.data(), c.c, elems(d.stride_c), k_seed_c,
                          SL_FILL_UNIFORM),
              SL_OK);
  }
  EXPECT_EQ(plugin.stream_sync(ctx.get(), stream), SL_OK) << ctx.error();
  const std::vector<unsigned char> before = cc.copy();
  EXPECT_EQ(plugin.gemm_run(ctx.get(), plan, stream, a.data(), b.data(), cc.data(), ws.data()),
            SL_OK)
      << ctx.error();
  EXPECT_EQ(plugin.stream_sync(ctx.get(), stream), SL_OK) << ctx.error();
  EXPECT_EQ(plugin.stream_destroy(ctx.get(), stream), SL_OK);
  EXPECT_EQ(plugin.gemm_plan_destroy(ctx.get(), plan), SL_OK);
  const std::vector<unsigned char> after = cc.copy();

  const size_t c_size = sl_dtype_size(c.c);
  std::vector<bool> is_output(static_cast<size_t>(elems(d.stride_c)), false);
  const auto k = static_cast<double>(c.k);
  const double tol_rel = 2 * output_eps(c.c);
  // |a|, |b| <= 1: the sum of |a b| is at most k; alpha scales it.
  const double tol_abs =
      std::fabs(c.alpha) * (k * input_eps(c) + k * k * accumulate_eps(c.compute)) + tol_rel;
  for (int64_t e = 0; e < d.batch; ++e) {
    for (int64_t i = 0; i < d.m; ++i) {
      for (int64_t j = 0; j < d.n; ++j) {
        double sum = 0;
        for (int64_t p = 0; p < d.k; ++p) {
          const int64_t ia = e * d.stride_a + (c.trans_a != 0 ? p * d.lda + i : i * d.lda + p);
          const int64_t ib = e * d.stride_b + (c.trans_b != 0 ? j * d.ldb + p : p * d.ldb + j);
          sum += sl_fill_value(k_seed_a, static_cast<uint64_t>(ia), c.a) *
                 sl_fill_value(k_seed_b, static_cast<uint64_t>(ib), c.b);
        }
        const auto ic = static_cast<uint64_t>(e * d.stride_c + i * d.ldc + j);
        double ref = c.alpha * sum;
        if (c.beta != 0) {
          ref += c.beta * sl_fill_value(k_seed_c, ic, c.c);
        }
        const double got = decode(after.data(), c.c, ic);
        const double err = std::fabs(got - ref);
        ++out.checked;
        if (!(err <= tol_abs + tol_rel * std::fabs(ref))) {
          ++out.wrong;
        }
        out.max_error = std::isnan(err) ? INFINITY : std::max(out.max_error, err);
        is_output[ic] = true;
      }
    }
  }
  for (size_t i = 0; i < after.size(); ++i) {
    if (!is_output[i / c_size] && after[i] != before[i]) {
      ++out.padding_changed;
    }
  }
  return out;
}

} // namespace suanli::gpu_test
