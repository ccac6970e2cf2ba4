#include "cpu_plugin.hpp"

#include <dlfcn.h>

#include <cmath>
#include <cstring>

namespace suanli::cpu_test {

namespace {

constexpr uint64_t k_seed_a = 11, k_seed_b = 22, k_seed_c = 33;

// Relative precision of a stored output element.
double output_eps(sl_dtype t) {
  switch (t) {
  case SL_DTYPE_FP64: return 0x1p-52;
  case SL_DTYPE_FP32: return 0x1p-23;
  case SL_DTYPE_BF16: return 0x1p-8;
  case SL_DTYPE_FP16: return 0x1p-11;
  default: return 0;
  }
}

double accumulate_eps(sl_dtype compute) {
  switch (compute) {
  case SL_DTYPE_FP64: return 0x1p-52;
  case SL_DTYPE_FP32: return 0x1p-23;
  default: return 0;
  }
}

int64_t span(int64_t rows, int64_t cols, int64_t ld) {
  return (rows - 1) * ld + cols;
}

} // namespace

const sl_backend_api &api() {
  static const sl_backend_api *table = [] {
    void *handle = dlopen(SUANLI_CPU_PLUGIN, RTLD_NOW | RTLD_LOCAL);
    if (handle == nullptr) {
      throw std::runtime_error(std::string("dlopen ") + SUANLI_CPU_PLUGIN + ": " + dlerror());
    }
    auto entry = reinterpret_cast<sl_entry_fn>(dlsym(handle, SL_ENTRY_SYMBOL));
    if (entry == nullptr) {
      throw std::runtime_error(std::string("no ") + SL_ENTRY_SYMBOL + " in " + SUANLI_CPU_PLUGIN);
    }
    return entry();
  }();
  return *table;
}

context::context(int32_t threads) {
  const sl_init_options options{sizeof(sl_init_options), threads};
  const sl_status s = api().init(&options, &ctx_);
  EXPECT_EQ(s, SL_OK) << api().last_error(nullptr);
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
  std::memcpy(out.data(), ptr_, bytes_);
  return out;
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
    uint32_t bits = static_cast<uint32_t>(static_cast<const uint16_t *>(data)[i]) << 16;
    float f = 0;
    std::memcpy(&f, &bits, sizeof f);
    return f;
  }
  case SL_DTYPE_FP16: {
    const uint16_t h = static_cast<const uint16_t *>(data)[i];
    const int exp = (h >> 10) & 0x1f;
    const int man = h & 0x3ff;
    const double sign = (h & 0x8000) != 0 ? -1.0 : 1.0;
    if (exp == 0x1f) {
      return man == 0 ? sign * INFINITY : NAN;
    }
    return sign * (exp == 0 ? std::ldexp(man, -24) : std::ldexp(1024 + man, exp - 25));
  }
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
  char text[256] = {};
  EXPECT_EQ(plugin.gemm_plan_describe(ctx.get(), plan, text, sizeof text), SL_OK);
  out.describe = text;
  const auto elems = [&](int64_t stride) { return static_cast<uint64_t>(stride * d.batch); };
  buffer a(ctx, elems(d.stride_a) * sl_dtype_size(c.a));
  buffer b(ctx, elems(d.stride_b) * sl_dtype_size(c.b));
  buffer cc(ctx, elems(d.stride_c) * sl_dtype_size(c.c));
  buffer ws(ctx, workspace_bytes > 0 ? workspace_bytes : 64);
  EXPECT_EQ(
      plugin.fill(ctx.get(), nullptr, a.data(), c.a, elems(d.stride_a), k_seed_a, SL_FILL_UNIFORM),
      SL_OK);
  EXPECT_EQ(
      plugin.fill(ctx.get(), nullptr, b.data(), c.b, elems(d.stride_b), k_seed_b, SL_FILL_UNIFORM),
      SL_OK);
  if (c.beta == 0) {
    std::memset(cc.data(), 0xff, cc.bytes()); // NaN in every float type: reading C would show
  } else {
    EXPECT_EQ(plugin.fill(ctx.get(), nullptr, cc.data(), c.c, elems(d.stride_c), k_seed_c,
                          SL_FILL_UNIFORM),
              SL_OK);
  }
  const std::vector<unsigned char> before = cc.copy();
  EXPECT_EQ(plugin.gemm_run(ctx.get(), plan, nullptr, a.data(), b.data(), cc.data(), ws.data()),
            SL_OK)
      << ctx.error();
  EXPECT_EQ(plugin.gemm_plan_destroy(ctx.get(), plan), SL_OK);

  const size_t c_size = sl_dtype_size(c.c);
  std::vector<bool> is_output(static_cast<size_t>(elems(d.stride_c)), false);
  const double tol_rel = 2 * output_eps(c.c);
  const double tol_abs = static_cast<double>(c.k * c.k) * accumulate_eps(c.compute) + tol_rel;
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
        const double got = decode(cc.data(), c.c, ic);
        const double err = std::fabs(got - ref);
        ++out.checked;
        if (!(err <= tol_abs + tol_rel * std::fabs(ref))) {
          ++out.wrong;
        }
        out.max_error = std::isnan(err) ? INFINITY : std::max(out.max_error, err);
        if (e == 0) {
          out.output.push_back(got);
        }
        is_output[ic] = true;
      }
    }
  }
  const std::vector<unsigned char> after = cc.copy();
  for (size_t i = 0; i < after.size(); ++i) {
    if (!is_output[i / c_size] && after[i] != before[i]) {
      ++out.padding_changed;
    }
  }
  return out;
}

} // namespace suanli::cpu_test
