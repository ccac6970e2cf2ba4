// The example plugin (kernels/example, a simulated accelerator in C11), loaded through dlopen
// like the host loads it: table and versions, lifecycle, device identity, memory round trips
// and range checks, fill against sl_fill_value, queue semantics and event timing, GEMM and
// attention against naive fp64 references, single-rank collectives, reasons on every
// "unsupported", errors (never crashes) on invalid arguments.

#include <kernels/abi/suanli_backend.h>

#include <gtest/gtest.h>

#include <dlfcn.h>

#include <algorithm>
#include <bit>
#include <chrono>
#include <cmath>
#include <cstddef>
#include <cstring>
#include <limits>
#include <ostream>
#include <stdexcept>
#include <string>
#include <thread>
#include <tuple>
#include <utility>
#include <vector>

namespace suanli::example_test {
namespace {

using bytes = std::vector<unsigned char>;

/// The plugin's table, loaded once per process with dlopen + SL_ENTRY_SYMBOL.
const sl_backend_api &api() {
  static const sl_backend_api *table = [] {
    void *handle = dlopen(SUANLI_EXAMPLE_PLUGIN, RTLD_NOW | RTLD_LOCAL);
    if (handle == nullptr) {
      throw std::runtime_error(std::string("dlopen ") + SUANLI_EXAMPLE_PLUGIN + ": " + dlerror());
    }
    auto entry = reinterpret_cast<sl_entry_fn>(dlsym(handle, SL_ENTRY_SYMBOL));
    if (entry == nullptr) {
      throw std::runtime_error(std::string("no ") + SL_ENTRY_SYMBOL + " in " SUANLI_EXAMPLE_PLUGIN);
    }
    return entry();
  }();
  return *table;
}

/// An sl_dtype variable holding a value outside the enum (as a broken host could pass).
sl_dtype not_a_dtype(int value) {
  sl_dtype out{};
  std::memcpy(&out, &value, sizeof out);
  return out;
}

/// A context for a test's lifetime.
class context {
public:
  context() {
    const sl_init_options options{sizeof(sl_init_options), 0};
    EXPECT_EQ(api().init(&options, &ctx_), SL_OK) << api().last_error(nullptr);
  }
  ~context() { api().finalize(ctx_); }
  context(const context &) = delete;
  context &operator=(const context &) = delete;
  sl_context *get() const { return ctx_; }                     ///< the handle
  std::string error() const { return api().last_error(ctx_); } ///< last_error(ctx)

private:
  sl_context *ctx_ = nullptr;
};

/// Device memory from mem_alloc, reached only through memcpy_h2d / memcpy_d2h.
class device_buffer {
public:
  device_buffer(const context &ctx, uint64_t size) : ctx_(ctx), size_(size) {
    EXPECT_EQ(api().mem_alloc(ctx.get(), 0, size, &ptr_), SL_OK) << ctx.error();
  }
  ~device_buffer() { EXPECT_EQ(api().mem_free(ctx_.get(), 0, ptr_), SL_OK) << ctx_.error(); }
  device_buffer(const device_buffer &) = delete;
  device_buffer &operator=(const device_buffer &) = delete;
  void *get() const { return ptr_; }      ///< device pointer (never dereferenced here)
  uint64_t size() const { return size_; } ///< [bytes]
  void upload(const bytes &data) const {  ///< host -> device, whole buffer
    ASSERT_EQ(data.size(), size_);
    ASSERT_EQ(api().memcpy_h2d(ctx_.get(), 0, ptr_, data.data(), size_), SL_OK) << ctx_.error();
  }
  bytes download() const { ///< device -> host, whole buffer
    bytes out(size_);
    EXPECT_EQ(api().memcpy_d2h(ctx_.get(), 0, out.data(), ptr_, size_), SL_OK) << ctx_.error();
    return out;
  }

private:
  const context &ctx_;
  void *ptr_ = nullptr;
  uint64_t size_;
};

/// Value of a binary float with exp_bits/man_bits and the IEEE bias (fp16, bf16, fp8).
double decode_minifloat(uint32_t bits, int exp_bits, int man_bits) {
  const uint32_t man = bits & ((1u << man_bits) - 1);
  const int e = static_cast<int>((bits >> man_bits) & ((1u << exp_bits) - 1));
  const int bias = (1 << (exp_bits - 1)) - 1;
  const double sign = (bits >> (exp_bits + man_bits)) & 1u ? -1.0 : 1.0;
  return e == 0 ? sign * std::ldexp(man, 1 - bias - man_bits)
                : sign * std::ldexp(double((1u << man_bits) | man), e - bias - man_bits);
}

/// Element i of a host copy of a dtype buffer, as a double.
double decode(const bytes &data, sl_dtype dtype, uint64_t i) {
  const size_t size = sl_dtype_size(dtype);
  uint64_t raw = 0;
  std::memcpy(&raw, data.data() + i * size, size);
  switch (dtype) {
  case SL_DTYPE_FP64: return std::bit_cast<double>(raw);
  case SL_DTYPE_FP32:
  case SL_DTYPE_TF32: return std::bit_cast<float>(static_cast<uint32_t>(raw));
  case SL_DTYPE_FP16: return decode_minifloat(static_cast<uint32_t>(raw), 5, 10);
  case SL_DTYPE_BF16: return decode_minifloat(static_cast<uint32_t>(raw), 8, 7);
  case SL_DTYPE_FP8_E4M3: return decode_minifloat(static_cast<uint32_t>(raw), 4, 3);
  case SL_DTYPE_FP8_E5M2: return decode_minifloat(static_cast<uint32_t>(raw), 5, 2);
  case SL_DTYPE_INT8: return static_cast<int8_t>(raw);
  case SL_DTYPE_UINT8: return static_cast<uint8_t>(raw);
  case SL_DTYPE_INT32: return static_cast<int32_t>(static_cast<uint32_t>(raw));
  default: return NAN;
  }
}

/// fp32 or fp64 values of a host copy.
std::vector<double> decode_all(const bytes &data, sl_dtype dtype) {
  std::vector<double> out(data.size() / sl_dtype_size(dtype));
  for (size_t i = 0; i < out.size(); ++i) {
    out[i] = decode(data, dtype, i);
  }
  return out;
}

/// A stream for a test's lifetime.
class stream {
public:
  explicit stream(const context &ctx) : ctx_(ctx) {
    EXPECT_EQ(api().stream_create(ctx.get(), 0, &s_), SL_OK) << ctx.error();
  }
  ~stream() { EXPECT_EQ(api().stream_destroy(ctx_.get(), s_), SL_OK); }
  stream(const stream &) = delete;
  stream &operator=(const stream &) = delete;
  sl_stream *get() const { return s_; } ///< the handle
  void sync() const { ASSERT_EQ(api().stream_sync(ctx_.get(), s_), SL_OK) << ctx_.error(); }

private:
  const context &ctx_;
  sl_stream *s_ = nullptr;
};

// ---- Table, lifecycle, identity -------------------------------------------------------------

TEST(example_api, table_names_the_example_and_fills_every_function) {
  const sl_backend_api &t = api();
  EXPECT_EQ(t.struct_size, sizeof(sl_backend_api));
  EXPECT_EQ(t.abi_major, SL_ABI_MAJOR);
  EXPECT_EQ(t.abi_minor, SL_ABI_MINOR);
  EXPECT_STREQ(t.name, "example");
  EXPECT_GT(std::strlen(t.version), 0u);
  const auto *first = reinterpret_cast<const unsigned char *>(&t.init);
  const auto *end = reinterpret_cast<const unsigned char *>(&t) + sizeof t;
  for (const unsigned char *p = first; p < end; p += sizeof(void *)) {
    void *fn = nullptr;
    std::memcpy(&fn, p, sizeof fn);
    EXPECT_NE(fn, nullptr) << "function pointer at offset " << (p - first);
  }
}

TEST(example_api, init_and_finalize_three_times_each_freeing_what_it_owns) {
  for (int round = 0; round < 3; ++round) {
    sl_context *ctx = nullptr;
    ASSERT_EQ(api().init(nullptr, &ctx), SL_OK) << api().last_error(nullptr);
    ASSERT_NE(ctx, nullptr);
    void *block = nullptr;
    sl_stream *s = nullptr;
    sl_event *e = nullptr;
    ASSERT_EQ(api().mem_alloc(ctx, 0, 4096, &block), SL_OK);
    ASSERT_EQ(api().stream_create(ctx, 0, &s), SL_OK);
    ASSERT_EQ(api().event_create(ctx, 0, &e), SL_OK);
    // queued, never synchronised: finalize must discard it
    ASSERT_EQ(api().fill(ctx, s, block, SL_DTYPE_FP32, 1024, 7, SL_FILL_UNIFORM), SL_OK);
    ASSERT_EQ(api().event_record(ctx, e, s), SL_OK);
    sl_gemm_desc d{};
    d.struct_size = sizeof d;
    d.a_type = d.b_type = d.c_type = d.compute_type = SL_DTYPE_FP32;
    d.m = d.n = d.k = d.lda = d.ldb = d.ldc = d.batch = 1;
    d.stride_a = d.stride_b = d.stride_c = 1;
    d.alpha = 1;
    sl_gemm_plan *plan = nullptr;
    uint64_t ws = 0;
    ASSERT_EQ(api().gemm_plan_create(ctx, 0, &d, &plan, &ws), SL_OK);
    uint64_t id_bytes = 0;
    ASSERT_EQ(api().comm_unique_id_size(ctx, &id_bytes), SL_OK);
    std::vector<unsigned char> id(id_bytes);
    ASSERT_EQ(api().comm_unique_id(ctx, id.data(), id_bytes), SL_OK);
    sl_comm *comm = nullptr;
    ASSERT_EQ(api().comm_init(ctx, 0, 0, 1, id.data(), id_bytes, &comm), SL_OK);
    api().finalize(ctx); // under ASan/valgrind a leak would show; here: no crash
  }
  api().finalize(nullptr); // a no-op
}

TEST(example_api, init_rejects_bad_arguments_with_a_thread_local_reason) {
  EXPECT_EQ(api().init(nullptr, nullptr), SL_INVALID_ARGUMENT);
  EXPECT_NE(std::string(api().last_error(nullptr)).find("NULL"), std::string::npos);
  const sl_init_options options{sizeof(sl_init_options), -2};
  sl_context *ctx = reinterpret_cast<sl_context *>(&ctx); // must be reset to NULL
  EXPECT_EQ(api().init(&options, &ctx), SL_INVALID_ARGUMENT);
  EXPECT_EQ(ctx, nullptr);
  EXPECT_NE(std::string(api().last_error(nullptr)).find("threads"), std::string::npos);
}

TEST(example_api, one_device_with_a_sane_deterministic_identity) {
  context ctx;
  int32_t count = 0;
  ASSERT_EQ(api().device_count(ctx.get(), &count), SL_OK);
  EXPECT_EQ(count, 1);
  sl_device_props props{};
  props.struct_size = sizeof props;
  ASSERT_EQ(api().device_props(ctx.get(), 0, &props), SL_OK) << ctx.error();
  EXPECT_EQ(props.struct_size, sizeof props);
  EXPECT_EQ(props.flags, 0u); // device timers; memory reachable only through the copies
  EXPECT_STREQ(props.vendor, "Suanli");
  EXPECT_STREQ(props.model, "example simulated accelerator");
  const std::string uuid = props.uuid;
  EXPECT_EQ(uuid.rfind("EXAMPLE-", 0), 0u) << uuid;
  EXPECT_EQ(uuid.size(), 8u + 36u) << uuid; // the prefix and 8-4-4-4-12 hex digits
  EXPECT_GT(std::strlen(props.serial), 0u);
  EXPECT_GT(std::strlen(props.driver_version), 0u);
  EXPECT_GT(std::strlen(props.arch), 0u);
  EXPECT_EQ(props.memory_bytes, uint64_t{4} << 30);
  EXPECT_GE(props.compute_units, 1u);
  // the same identity from another context (a real UUID is stable too)
  context other;
  sl_device_props again{};
  again.struct_size = sizeof again;
  ASSERT_EQ(api().device_props(other.get(), 0, &again), SL_OK);
  EXPECT_EQ(uuid, again.uuid);
  EXPECT_EQ(api().device_props(ctx.get(), 1, &props), SL_INVALID_ARGUMENT);
  EXPECT_NE(ctx.error().find("device 1"), std::string::npos) << ctx.error();
  EXPECT_EQ(api().device_props(ctx.get(), -1, &props), SL_INVALID_ARGUMENT);
  EXPECT_EQ(api().device_props(ctx.get(), 0, nullptr), SL_INVALID_ARGUMENT);
  EXPECT_EQ(api().device_count(ctx.get(), nullptr), SL_INVALID_ARGUMENT);
}

TEST(example_api, device_props_writes_no_more_than_struct_size) {
  context ctx;
  unsigned char raw[sizeof(sl_device_props)];
  std::memset(raw, 0xab, sizeof raw);
  const uint32_t small = offsetof(sl_device_props, model); // size, flags and vendor only
  std::memcpy(raw, &small, sizeof small);
  ASSERT_EQ(api().device_props(ctx.get(), 0, reinterpret_cast<sl_device_props *>(raw)), SL_OK);
  sl_device_props seen{};
  std::memcpy(&seen, raw, sizeof seen);
  EXPECT_EQ(seen.struct_size, small);
  EXPECT_STREQ(seen.vendor, "Suanli");
  for (size_t i = small; i < sizeof raw; ++i) {
    ASSERT_EQ(raw[i], 0xab) << "byte " << i << " beyond struct_size was written";
  }
}

TEST(example_api, device_link_is_self_for_its_one_device_and_refuses_other_indices) {
  context ctx;
  sl_device_link l{};
  l.struct_size = sizeof l;
  ASSERT_EQ(api().device_link(ctx.get(), 0, 0, &l), SL_OK) << ctx.error();
  EXPECT_EQ(l.kind, SL_LINK_SELF);
  EXPECT_STREQ(l.name, "X");
  EXPECT_EQ(l.links, 0u);
  EXPECT_EQ(l.struct_size, sizeof l);
  for (const auto &[a, b] : {std::pair{0, 1}, std::pair{-1, 0}, std::pair{1, 1}}) {
    EXPECT_EQ(api().device_link(ctx.get(), a, b, &l), SL_INVALID_ARGUMENT) << a << "," << b;
    EXPECT_NE(ctx.error().find("does not exist"), std::string::npos) << ctx.error();
  }
  EXPECT_EQ(api().device_link(ctx.get(), 0, 0, nullptr), SL_INVALID_ARGUMENT);
  EXPECT_EQ(api().device_link(nullptr, 0, 0, &l), SL_INVALID_ARGUMENT);
  l.struct_size = 8; // too small for the struct: refused, nothing written
  EXPECT_EQ(api().device_link(ctx.get(), 0, 0, &l), SL_INVALID_ARGUMENT);
}

TEST(example_api, library_versions_are_name_value_pairs_and_short_buffers_fail) {
  context ctx;
  char buf[256] = {};
  ASSERT_EQ(api().library_versions(ctx.get(), buf, sizeof buf), SL_OK) << ctx.error();
  EXPECT_EQ(std::string(buf).rfind("example-simulator=", 0), 0u) << buf;
  char small[8] = {};
  EXPECT_EQ(api().library_versions(ctx.get(), small, sizeof small), SL_INVALID_ARGUMENT);
  EXPECT_EQ(std::strlen(small), sizeof small - 1);
  EXPECT_NE(ctx.error().find("too small"), std::string::npos) << ctx.error();
}

// ---- Memory ----------------------------------------------------------------------------------

TEST(example_memory, round_trips_through_the_copies_and_checks_every_range) {
  context ctx;
  device_buffer buf(ctx, 1000);
  bytes data(1000);
  for (size_t i = 0; i < data.size(); ++i) {
    data[i] = static_cast<unsigned char>(i * 7 + 3);
  }
  buf.upload(data);
  EXPECT_EQ(buf.download(), data);
  // an interior range, as the host's chunked poisoning writes
  const unsigned char marks[3] = {1, 2, 3};
  auto *inside = static_cast<unsigned char *>(buf.get()) + 997;
  ASSERT_EQ(api().memcpy_h2d(ctx.get(), 0, inside, marks, 3), SL_OK);
  EXPECT_EQ(buf.download()[999], 3);
  // past the end, before the start, foreign memory, NULL host pointer, wrong device
  EXPECT_EQ(api().memcpy_h2d(ctx.get(), 0, inside, data.data(), 4), SL_INVALID_ARGUMENT);
  EXPECT_NE(ctx.error().find("needs 4 bytes at offset 997"), std::string::npos) << ctx.error();
  EXPECT_EQ(api().memcpy_d2h(ctx.get(), 0, data.data(), static_cast<char *>(buf.get()) - 1, 1),
            SL_INVALID_ARGUMENT);
  EXPECT_EQ(api().memcpy_d2h(ctx.get(), 0, data.data(), data.data() + 1, 1), SL_INVALID_ARGUMENT);
  EXPECT_NE(ctx.error().find("not memory from mem_alloc"), std::string::npos) << ctx.error();
  EXPECT_EQ(api().memcpy_h2d(ctx.get(), 0, buf.get(), nullptr, 1), SL_INVALID_ARGUMENT);
  EXPECT_EQ(api().memcpy_h2d(ctx.get(), 1, buf.get(), data.data(), 1), SL_INVALID_ARGUMENT);
  EXPECT_EQ(api().memcpy_h2d(ctx.get(), 0, nullptr, nullptr, 0), SL_OK); // nothing to copy
  // memory of another context is foreign too
  context other;
  EXPECT_EQ(api().memcpy_h2d(other.get(), 0, buf.get(), data.data(), 1), SL_INVALID_ARGUMENT);
  EXPECT_EQ(api().mem_free(other.get(), 0, buf.get()), SL_INVALID_ARGUMENT);
}

TEST(example_memory, frees_are_checked_and_capacity_is_enforced) {
  context ctx;
  void *p = nullptr;
  ASSERT_EQ(api().mem_alloc(ctx.get(), 0, 100, &p), SL_OK);
  EXPECT_EQ(reinterpret_cast<uintptr_t>(p) % 256, 0u);
  EXPECT_EQ(api().mem_free(ctx.get(), 0, static_cast<char *>(p) + 1), SL_INVALID_ARGUMENT);
  EXPECT_EQ(api().mem_free(ctx.get(), 0, p), SL_OK);
  EXPECT_EQ(api().mem_free(ctx.get(), 0, p), SL_INVALID_ARGUMENT); // double free
  EXPECT_NE(ctx.error().find("already freed"), std::string::npos) << ctx.error();
  EXPECT_EQ(api().mem_free(ctx.get(), 0, nullptr), SL_OK);
  void *zero = nullptr;
  ASSERT_EQ(api().mem_alloc(ctx.get(), 0, 0, &zero), SL_OK); // a distinct, empty block
  EXPECT_NE(zero, nullptr);
  EXPECT_EQ(api().mem_free(ctx.get(), 0, zero), SL_OK);
  void *huge = reinterpret_cast<void *>(&huge);
  EXPECT_EQ(api().mem_alloc(ctx.get(), 0, (uint64_t{4} << 30) + 1, &huge), SL_OUT_OF_MEMORY);
  EXPECT_EQ(huge, nullptr);
  EXPECT_NE(ctx.error().find("cannot allocate"), std::string::npos) << ctx.error();
  EXPECT_EQ(api().mem_alloc(ctx.get(), 0, 16, nullptr), SL_INVALID_ARGUMENT);
  EXPECT_EQ(api().mem_alloc(ctx.get(), 3, 16, &p), SL_INVALID_ARGUMENT);
}

// ---- Fill ------------------------------------------------------------------------------------

class example_fill : public ::testing::TestWithParam<sl_dtype> {};

TEST_P(example_fill, equals_sl_fill_value_on_a_stream_and_on_the_default_stream) {
  const sl_dtype dtype = GetParam();
  context ctx;
  constexpr uint64_t count = 10007;
  constexpr uint64_t seed = 0x5eedu;
  device_buffer queued(ctx, count * sl_dtype_size(dtype));
  device_buffer direct(ctx, count * sl_dtype_size(dtype));
  stream s(ctx);
  ASSERT_EQ(api().fill(ctx.get(), s.get(), queued.get(), dtype, count, seed, SL_FILL_UNIFORM),
            SL_OK)
      << ctx.error();
  s.sync();
  ASSERT_EQ(api().fill(ctx.get(), nullptr, direct.get(), dtype, count, seed, SL_FILL_UNIFORM),
            SL_OK);
  const bytes a = queued.download();
  EXPECT_EQ(a, direct.download());
  uint64_t wrong = 0;
  for (uint64_t i = 0; i < count; ++i) {
    wrong += decode(a, dtype, i) != sl_fill_value(seed, i, dtype) ? 1 : 0;
  }
  EXPECT_EQ(wrong, 0u);
}

INSTANTIATE_TEST_SUITE_P(every_dtype, example_fill,
                         ::testing::Values(SL_DTYPE_FP64, SL_DTYPE_FP32, SL_DTYPE_TF32,
                                           SL_DTYPE_FP16, SL_DTYPE_BF16, SL_DTYPE_FP8_E4M3,
                                           SL_DTYPE_FP8_E5M2, SL_DTYPE_INT8, SL_DTYPE_UINT8,
                                           SL_DTYPE_INT32));

TEST(example_fill_errors, unknown_kind_is_unsupported_and_bad_arguments_are_errors) {
  context ctx;
  device_buffer out(ctx, 64);
  EXPECT_EQ(
      api().fill(ctx.get(), nullptr, out.get(), SL_DTYPE_FP32, 16, 1, static_cast<sl_fill_kind>(1)),
      SL_UNSUPPORTED);
  EXPECT_NE(ctx.error().find("SL_FILL_UNIFORM"), std::string::npos) << ctx.error();
  EXPECT_EQ(api().fill(ctx.get(), nullptr, nullptr, SL_DTYPE_FP32, 16, 1, SL_FILL_UNIFORM),
            SL_INVALID_ARGUMENT);
  EXPECT_EQ(api().fill(ctx.get(), nullptr, out.get(), SL_DTYPE_FP32, 17, 1, SL_FILL_UNIFORM),
            SL_INVALID_ARGUMENT); // 68 bytes into a 64-byte block
  EXPECT_EQ(api().fill(ctx.get(), nullptr, out.get(), not_a_dtype(42), 1, 1, SL_FILL_UNIFORM),
            SL_INVALID_ARGUMENT);
  EXPECT_EQ(api().fill(ctx.get(), reinterpret_cast<sl_stream *>(out.get()), out.get(),
                       SL_DTYPE_FP32, 1, 1, SL_FILL_UNIFORM),
            SL_INVALID_ARGUMENT); // not a stream: compared, never dereferenced
  EXPECT_EQ(api().fill(ctx.get(), nullptr, out.get(), SL_DTYPE_FP32, 0, 1, SL_FILL_UNIFORM), SL_OK);
}

// ---- Streams and events ----------------------------------------------------------------------

TEST(example_stream, enqueued_work_waits_in_the_queue_until_a_sync) {
  context ctx;
  stream s(ctx);
  sl_event *e = nullptr;
  ASSERT_EQ(api().event_create(ctx.get(), 0, &e), SL_OK);
  device_buffer buf(ctx, 4 * 256);
  ASSERT_EQ(api().fill(ctx.get(), s.get(), buf.get(), SL_DTYPE_FP32, 256, 3, SL_FILL_UNIFORM),
            SL_OK);
  ASSERT_EQ(api().event_record(ctx.get(), e, s.get()), SL_OK);
  uint64_t ns = 0;
  // the marker is queued: the event has not completed (enqueue is asynchronous)
  EXPECT_EQ(api().event_elapsed_ns(ctx.get(), e, e, &ns), SL_INVALID_ARGUMENT);
  EXPECT_NE(ctx.error().find("has not completed"), std::string::npos) << ctx.error();
  s.sync();
  EXPECT_EQ(api().event_elapsed_ns(ctx.get(), e, e, &ns), SL_OK) << ctx.error();
  EXPECT_EQ(ns, 0u);
  // a copy is ordered after queued work: the fill is visible without a sync of our own
  ASSERT_EQ(api().fill(ctx.get(), s.get(), buf.get(), SL_DTYPE_FP32, 256, 4, SL_FILL_UNIFORM),
            SL_OK);
  const bytes got = buf.download();
  EXPECT_EQ(decode(got, SL_DTYPE_FP32, 255), sl_fill_value(4, 255, SL_DTYPE_FP32));
  EXPECT_EQ(api().event_destroy(ctx.get(), e), SL_OK);
}

TEST(example_stream, events_are_monotonic_and_agree_with_the_host_clock) {
  context ctx;
  stream s(ctx);
  sl_event *start = nullptr, *mid = nullptr, *end = nullptr;
  for (sl_event **e : {&start, &mid, &end}) {
    ASSERT_EQ(api().event_create(ctx.get(), 0, e), SL_OK);
  }
  uint64_t ns = 0;
  EXPECT_EQ(api().event_elapsed_ns(ctx.get(), start, end, &ns), SL_INVALID_ARGUMENT);
  EXPECT_NE(ctx.error().find("never recorded"), std::string::npos) << ctx.error();

  const auto host0 = std::chrono::steady_clock::now();
  ASSERT_EQ(api().event_record(ctx.get(), start, s.get()), SL_OK);
  s.sync();
  std::this_thread::sleep_for(std::chrono::milliseconds(30));
  ASSERT_EQ(api().event_record(ctx.get(), mid, s.get()), SL_OK);
  device_buffer buf(ctx, 8 << 20);
  ASSERT_EQ(api().fill(ctx.get(), s.get(), buf.get(), SL_DTYPE_FP64, 1 << 20, 1, SL_FILL_UNIFORM),
            SL_OK);
  ASSERT_EQ(api().event_record(ctx.get(), end, s.get()), SL_OK);
  s.sync();
  const auto host_ns = static_cast<uint64_t>(
      std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now() - host0)
          .count());
  uint64_t to_mid = 0, to_end = 0, mid_to_end = 0;
  ASSERT_EQ(api().event_elapsed_ns(ctx.get(), start, mid, &to_mid), SL_OK) << ctx.error();
  ASSERT_EQ(api().event_elapsed_ns(ctx.get(), start, end, &to_end), SL_OK);
  ASSERT_EQ(api().event_elapsed_ns(ctx.get(), mid, end, &mid_to_end), SL_OK);
  EXPECT_GE(to_mid, 30'000'000u); // the sleep lies between the two markers
  EXPECT_GT(mid_to_end, 0u);      // a million-element fill ran between them
  EXPECT_EQ(to_end, to_mid + mid_to_end);
  EXPECT_LE(to_end, host_ns); // inside the host's interval around the whole sequence
  EXPECT_EQ(api().event_elapsed_ns(ctx.get(), end, start, &ns), SL_INVALID_ARGUMENT);
  EXPECT_NE(ctx.error().find("before the start"), std::string::npos) << ctx.error();
  // re-recording replaces the timestamp
  ASSERT_EQ(api().event_record(ctx.get(), start, nullptr), SL_OK); // default stream: done at once
  EXPECT_EQ(api().event_elapsed_ns(ctx.get(), end, start, &ns), SL_OK);
  for (sl_event *e : {start, mid, end}) {
    EXPECT_EQ(api().event_destroy(ctx.get(), e), SL_OK);
  }
  EXPECT_EQ(api().event_destroy(ctx.get(), start), SL_INVALID_ARGUMENT);
}

TEST(example_stream, handles_are_checked_and_destroying_a_queued_event_is_safe) {
  context ctx;
  sl_stream *s = nullptr;
  sl_event *e = nullptr;
  ASSERT_EQ(api().stream_create(ctx.get(), 0, &s), SL_OK);
  ASSERT_EQ(api().event_create(ctx.get(), 0, &e), SL_OK);
  ASSERT_EQ(api().event_record(ctx.get(), e, s), SL_OK);
  EXPECT_EQ(api().event_destroy(ctx.get(), e), SL_OK); // its marker is still queued
  EXPECT_EQ(api().stream_sync(ctx.get(), s), SL_OK);   // and becomes a no-op
  EXPECT_EQ(api().stream_sync(ctx.get(), nullptr), SL_OK);
  EXPECT_EQ(api().stream_destroy(ctx.get(), s), SL_OK);
  EXPECT_EQ(api().stream_destroy(ctx.get(), s), SL_INVALID_ARGUMENT);
  EXPECT_EQ(api().stream_sync(ctx.get(), s), SL_INVALID_ARGUMENT);
  EXPECT_EQ(api().stream_destroy(ctx.get(), nullptr), SL_INVALID_ARGUMENT);
  EXPECT_EQ(api().stream_create(ctx.get(), 1, &s), SL_INVALID_ARGUMENT);
  EXPECT_EQ(api().stream_create(ctx.get(), 0, nullptr), SL_INVALID_ARGUMENT);
  EXPECT_EQ(api().event_create(ctx.get(), 0, nullptr), SL_INVALID_ARGUMENT);
  EXPECT_EQ(api().event_record(ctx.get(), e, nullptr), SL_INVALID_ARGUMENT); // destroyed
  EXPECT_EQ(api().event_record(ctx.get(), nullptr, nullptr), SL_INVALID_ARGUMENT);
}

// ---- GEMM ------------------------------------------------------------------------------------

/// A GEMM case: dtype (a = b = c = compute), shape, transposes, padding of leading dimensions
/// and batch strides, batch, scalars.
struct gemm_case {
  const char *name;
  sl_dtype dtype;
  int64_t m, n, k;
  int32_t trans_a, trans_b;
  int64_t pad, batch;
  double alpha, beta;
};

/// Prints a case by name (gtest would dump its bytes, padding included).
void PrintTo(const gemm_case &c, std::ostream *os) {
  *os << c.name;
}

/// Elements spanned by a row-major matrix: (rows - 1) * ld + cols.
int64_t span(int64_t rows, int64_t cols, int64_t ld) {
  return (rows - 1) * ld + cols;
}

/// The descriptor of a case: leading dims = natural + pad, batch strides = span + pad.
sl_gemm_desc make_desc(const gemm_case &c) {
  sl_gemm_desc d{};
  d.struct_size = sizeof d;
  d.a_type = d.b_type = d.c_type = d.compute_type = c.dtype;
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

class example_gemm : public ::testing::TestWithParam<gemm_case> {};

TEST_P(example_gemm, matches_a_naive_fp64_reference_and_leaves_padding_alone) {
  const gemm_case &c = GetParam();
  const sl_gemm_desc d = make_desc(c);
  context ctx;
  sl_gemm_plan *plan = nullptr;
  uint64_t ws = 1;
  ASSERT_EQ(api().gemm_plan_create(ctx.get(), 0, &d, &plan, &ws), SL_OK) << ctx.error();
  EXPECT_EQ(ws, 0u);
  char text[256] = {};
  ASSERT_EQ(api().gemm_plan_describe(ctx.get(), plan, text, sizeof text), SL_OK);
  EXPECT_NE(std::string(text).find("example"), std::string::npos) << text;
  const size_t size = sl_dtype_size(c.dtype);
  const auto elems = [&](int64_t stride) { return static_cast<uint64_t>(stride * d.batch); };
  device_buffer a(ctx, elems(d.stride_a) * size), b(ctx, elems(d.stride_b) * size);
  device_buffer cc(ctx, elems(d.stride_c) * size);
  stream s(ctx);
  constexpr uint64_t seed_a = 11, seed_b = 22, seed_c = 33;
  ASSERT_EQ(
      api().fill(ctx.get(), s.get(), a.get(), c.dtype, elems(d.stride_a), seed_a, SL_FILL_UNIFORM),
      SL_OK);
  ASSERT_EQ(
      api().fill(ctx.get(), s.get(), b.get(), c.dtype, elems(d.stride_b), seed_b, SL_FILL_UNIFORM),
      SL_OK);
  if (c.beta == 0) {
    cc.upload(bytes(cc.size(), 0xff)); // NaN everywhere: reading C would show
  } else {
    ASSERT_EQ(api().fill(ctx.get(), s.get(), cc.get(), c.dtype, elems(d.stride_c), seed_c,
                         SL_FILL_UNIFORM),
              SL_OK);
  }
  const bytes before = cc.download();
  ASSERT_EQ(api().gemm_run(ctx.get(), plan, s.get(), a.get(), b.get(), cc.get(), nullptr), SL_OK)
      << ctx.error();
  ASSERT_EQ(api().gemm_plan_destroy(ctx.get(), plan), SL_OK); // queued work keeps its copy
  s.sync();
  const bytes after = cc.download();
  const double eps = c.dtype == SL_DTYPE_FP64 ? 0x1p-52 : 0x1p-23;
  std::vector<bool> is_output(static_cast<size_t>(elems(d.stride_c)), false);
  int64_t wrong = 0;
  double max_error = 0;
  for (int64_t e = 0; e < d.batch; ++e) {
    for (int64_t i = 0; i < d.m; ++i) {
      for (int64_t j = 0; j < d.n; ++j) {
        double sum = 0, magnitude = 0;
        for (int64_t p = 0; p < d.k; ++p) {
          const int64_t ia = e * d.stride_a + (c.trans_a != 0 ? p * d.lda + i : i * d.lda + p);
          const int64_t ib = e * d.stride_b + (c.trans_b != 0 ? j * d.ldb + p : p * d.ldb + j);
          const double x = sl_fill_value(seed_a, static_cast<uint64_t>(ia), c.dtype) *
                           sl_fill_value(seed_b, static_cast<uint64_t>(ib), c.dtype);
          sum += x;
          magnitude += std::fabs(x);
        }
        const auto ic = static_cast<uint64_t>(e * d.stride_c + i * d.ldc + j);
        const double old = c.beta != 0 ? sl_fill_value(seed_c, ic, c.dtype) : 0.0;
        const double ref = c.alpha * sum + c.beta * old;
        const double tol = 2 * eps *
                           (static_cast<double>(d.k) * std::fabs(c.alpha) * magnitude +
                            std::fabs(c.beta * old) + std::fabs(ref));
        const double err = std::fabs(decode(after, c.dtype, ic) - ref);
        wrong += !(err <= tol) ? 1 : 0;
        max_error = std::isnan(err) ? INFINITY : std::max(max_error, err);
        is_output[ic] = true;
      }
    }
  }
  EXPECT_EQ(wrong, 0) << "max error " << max_error;
  int64_t padding_changed = 0;
  for (size_t i = 0; i < after.size(); ++i) {
    padding_changed += !is_output[i / size] && after[i] != before[i] ? 1 : 0;
  }
  EXPECT_EQ(padding_changed, 0);
}

/// gtest name of a GEMM case.
std::string gemm_name(const ::testing::TestParamInfo<gemm_case> &info) {
  return info.param.name;
}

INSTANTIATE_TEST_SUITE_P(
    shapes, example_gemm,
    ::testing::Values(
        // name, dtype, m, n, k, trans_a, trans_b, pad, batch, alpha, beta
        gemm_case{"fp32_nn", SL_DTYPE_FP32, 37, 53, 29, 0, 0, 0, 1, 1.0, 0.0},
        gemm_case{"fp32_nt", SL_DTYPE_FP32, 37, 70, 29, 0, 1, 0, 1, 1.0, 0.0},
        gemm_case{"fp32_tn", SL_DTYPE_FP32, 37, 53, 29, 1, 0, 0, 1, 1.0, 0.0},
        gemm_case{"fp32_tt_padded_batch", SL_DTYPE_FP32, 37, 130, 29, 1, 1, 3, 3, 1.5, -0.75},
        gemm_case{"fp32_1x1x1", SL_DTYPE_FP32, 1, 1, 1, 0, 0, 0, 1, 1.0, 0.0},
        gemm_case{"fp64_nn", SL_DTYPE_FP64, 41, 67, 33, 0, 0, 0, 1, 1.0, 0.0},
        gemm_case{"fp64_nt_padded_batch", SL_DTYPE_FP64, 41, 67, 33, 0, 1, 5, 2, -2.0, 0.5},
        gemm_case{"fp64_tt", SL_DTYPE_FP64, 9, 129, 65, 1, 1, 0, 1, 0.25, 0.0}),
    gemm_name);

TEST(example_gemm_errors, unsupported_descriptors_come_with_reasons) {
  context ctx;
  sl_gemm_plan *plan = nullptr;
  uint64_t ws = 0;
  gemm_case base{"", SL_DTYPE_FP32, 16, 16, 16, 0, 0, 0, 1, 1.0, 0.0};
  const struct {
    sl_dtype a, b, c, compute;
    const char *reason;
  } combos[] = {
      {SL_DTYPE_BF16, SL_DTYPE_BF16, SL_DTYPE_BF16, SL_DTYPE_FP32, "not offered"},
      {SL_DTYPE_FP16, SL_DTYPE_FP16, SL_DTYPE_FP16, SL_DTYPE_FP32, "not offered"},
      {SL_DTYPE_UINT8, SL_DTYPE_INT8, SL_DTYPE_INT32, SL_DTYPE_INT32, "not offered"},
      {SL_DTYPE_FP32, SL_DTYPE_FP32, SL_DTYPE_FP32, SL_DTYPE_TF32, "TF32"},
      {SL_DTYPE_FP8_E4M3, SL_DTYPE_FP8_E4M3, SL_DTYPE_FP32, SL_DTYPE_FP32, "fp8"},
      {SL_DTYPE_FP32, SL_DTYPE_FP32, SL_DTYPE_FP64, SL_DTYPE_FP64, "not offered"},
  };
  for (const auto &combo : combos) {
    sl_gemm_desc d = make_desc(base);
    d.a_type = combo.a;
    d.b_type = combo.b;
    d.c_type = combo.c;
    d.compute_type = combo.compute;
    EXPECT_EQ(api().gemm_plan_create(ctx.get(), 0, &d, &plan, &ws), SL_UNSUPPORTED);
    EXPECT_EQ(plan, nullptr);
    EXPECT_NE(ctx.error().find(combo.reason), std::string::npos) << ctx.error();
  }
  base.batch = 2;
  sl_gemm_desc overlapping_a = make_desc(base);
  overlapping_a.stride_a = 0; // every batch entry reads the same A: legal, but no benchmark
  EXPECT_EQ(api().gemm_plan_create(ctx.get(), 0, &overlapping_a, &plan, &ws), SL_UNSUPPORTED);
  EXPECT_NE(ctx.error().find("overlap"), std::string::npos) << ctx.error();
}

TEST(example_gemm_errors, invalid_descriptors_and_arguments_are_errors) {
  context ctx;
  sl_gemm_plan *plan = nullptr;
  uint64_t ws = 0;
  const sl_gemm_desc good = make_desc({"", SL_DTYPE_FP32, 8, 8, 8, 0, 0, 0, 2, 1.0, 0.0});
  std::vector<std::pair<sl_gemm_desc, std::string>> bad;
  auto add = [&](const char *reason, auto change) {
    sl_gemm_desc d = good;
    change(d);
    bad.emplace_back(d, reason);
  };
  add("m, n, k and batch", [](sl_gemm_desc &d) { d.m = 0; });
  add("m, n, k and batch", [](sl_gemm_desc &d) { d.batch = -1; });
  add("trans_a", [](sl_gemm_desc &d) { d.trans_a = 2; });
  add("finite", [](sl_gemm_desc &d) { d.alpha = NAN; });
  add("lda", [](sl_gemm_desc &d) { d.lda = 7; });
  add("stride_c", [](sl_gemm_desc &d) { d.stride_c = 8; }); // overlapping outputs
  add("struct_size", [](sl_gemm_desc &d) { d.struct_size = 8; });
  add("not an sl_dtype", [](sl_gemm_desc &d) { d.a_type = not_a_dtype(99); });
  add("too many", [](sl_gemm_desc &d) { d.ldc = int64_t{1} << 51; });
  for (const auto &[d, reason] : bad) {
    EXPECT_EQ(api().gemm_plan_create(ctx.get(), 0, &d, &plan, &ws), SL_INVALID_ARGUMENT) << reason;
    EXPECT_NE(ctx.error().find(reason), std::string::npos) << ctx.error();
  }
  EXPECT_EQ(api().gemm_plan_create(ctx.get(), 0, nullptr, &plan, &ws), SL_INVALID_ARGUMENT);
  EXPECT_EQ(api().gemm_plan_create(ctx.get(), 0, &good, nullptr, &ws), SL_INVALID_ARGUMENT);
  EXPECT_EQ(api().gemm_plan_create(ctx.get(), 2, &good, &plan, &ws), SL_INVALID_ARGUMENT);
  ASSERT_EQ(api().gemm_plan_create(ctx.get(), 0, &good, &plan, &ws), SL_OK);
  device_buffer a(ctx, 2 * 64 * 4), small(ctx, 64 * 4), c(ctx, 2 * 64 * 4);
  EXPECT_EQ(api().gemm_run(ctx.get(), plan, nullptr, a.get(), small.get(), c.get(), nullptr),
            SL_INVALID_ARGUMENT); // B holds one batch entry of two
  EXPECT_NE(ctx.error().find("B needs"), std::string::npos) << ctx.error();
  EXPECT_EQ(api().gemm_run(ctx.get(), plan, nullptr, a.get(), a.get(), a.get(), nullptr),
            SL_INVALID_ARGUMENT); // C overlaps A
  EXPECT_EQ(api().gemm_run(ctx.get(), plan, nullptr, nullptr, a.get(), c.get(), nullptr),
            SL_INVALID_ARGUMENT);
  bytes host(512);
  EXPECT_EQ(api().gemm_run(ctx.get(), plan, nullptr, host.data(), a.get(), c.get(), nullptr),
            SL_INVALID_ARGUMENT); // host memory is not device memory
  char text[4] = {};
  EXPECT_EQ(api().gemm_plan_describe(ctx.get(), plan, text, sizeof text), SL_INVALID_ARGUMENT);
  EXPECT_EQ(api().gemm_plan_destroy(ctx.get(), plan), SL_OK);
  EXPECT_EQ(api().gemm_plan_destroy(ctx.get(), plan), SL_INVALID_ARGUMENT);
  EXPECT_EQ(api().gemm_run(ctx.get(), plan, nullptr, a.get(), a.get(), c.get(), nullptr),
            SL_INVALID_ARGUMENT); // a destroyed plan is an unknown handle
  EXPECT_NE(ctx.error().find("not a live GEMM plan"), std::string::npos) << ctx.error();
}

// ---- Attention -------------------------------------------------------------------------------

/// An attention case (fp32 throughout).
struct attention_case {
  const char *name;
  int32_t layout, causal;
  int64_t batch, seq_q, seq_kv, heads_q, heads_kv, d_qk, d_v, causal_offset;
  int32_t want_lse;
};

/// Prints a case by name.
void PrintTo(const attention_case &c, std::ostream *os) {
  *os << c.name;
}

/// The descriptor of a case (scale 1/sqrt(d_qk)).
sl_attention_desc make_attention_desc(const attention_case &c) {
  sl_attention_desc d{};
  d.struct_size = sizeof d;
  d.qkv_type = d.o_type = d.compute_type = SL_DTYPE_FP32;
  d.layout = c.layout;
  d.causal = c.causal;
  d.batch = c.batch;
  d.seq_q = c.seq_q;
  d.seq_kv = c.seq_kv;
  d.heads_q = c.heads_q;
  d.heads_kv = c.heads_kv;
  d.head_dim_qk = c.d_qk;
  d.head_dim_v = c.d_v;
  d.causal_offset = c.causal_offset;
  d.softmax_scale = 1.0 / std::sqrt(static_cast<double>(c.d_qk));
  d.want_lse = c.want_lse;
  return d;
}

/// Index of element (b, h, s, t) of a tensor with `heads` heads, `seq` tokens, head dim `dim`.
int64_t attention_index(int32_t layout, int64_t b, int64_t h, int64_t s, int64_t t, int64_t heads,
                        int64_t seq, int64_t dim) {
  return layout == SL_LAYOUT_BSHD ? ((b * seq + s) * heads + h) * dim + t
                                  : ((b * heads + h) * seq + s) * dim + t;
}

class example_attention : public ::testing::TestWithParam<attention_case> {};

TEST_P(example_attention, matches_a_naive_fp64_reference) {
  const attention_case &c = GetParam();
  const sl_attention_desc d = make_attention_desc(c);
  context ctx;
  sl_attention_plan *plan = nullptr;
  uint64_t ws = 0;
  ASSERT_EQ(api().attention_plan_create(ctx.get(), 0, &d, &plan, &ws), SL_OK) << ctx.error();
  char text[256] = {};
  ASSERT_EQ(api().attention_plan_describe(ctx.get(), plan, text, sizeof text), SL_OK);
  EXPECT_NE(std::string(text).find("attention"), std::string::npos) << text;
  const uint64_t nq = c.batch * c.seq_q * c.heads_q * c.d_qk;
  const uint64_t nk = c.batch * c.seq_kv * c.heads_kv * c.d_qk;
  const uint64_t nv = c.batch * c.seq_kv * c.heads_kv * c.d_v;
  const uint64_t no = c.batch * c.seq_q * c.heads_q * c.d_v;
  const uint64_t nl = c.batch * c.heads_q * c.seq_q;
  device_buffer q(ctx, nq * 4), k(ctx, nk * 4), v(ctx, nv * 4), o(ctx, no * 4), lse(ctx, nl * 4);
  device_buffer workspace(ctx, ws);
  stream s(ctx);
  for (const auto &[buf, n, seed] : {std::tuple{&q, nq, 1u}, {&k, nk, 2u}, {&v, nv, 3u}}) {
    ASSERT_EQ(api().fill(ctx.get(), s.get(), buf->get(), SL_DTYPE_FP32, n, seed, SL_FILL_UNIFORM),
              SL_OK);
  }
  o.upload(bytes(o.size(), 0xff));
  lse.upload(bytes(lse.size(), 0xff));
  ASSERT_EQ(api().attention_forward(ctx.get(), plan, s.get(), q.get(), k.get(), v.get(), o.get(),
                                    c.want_lse != 0 ? static_cast<float *>(lse.get()) : nullptr,
                                    workspace.get()),
            SL_OK)
      << ctx.error();
  s.sync();
  const std::vector<double> got_o = decode_all(o.download(), SL_DTYPE_FP32);
  const std::vector<double> got_lse = decode_all(lse.download(), SL_DTYPE_FP32);
  const auto at = [](uint64_t seed, int64_t i) {
    return sl_fill_value(seed, static_cast<uint64_t>(i), SL_DTYPE_FP32);
  };
  int64_t wrong = 0, wrong_lse = 0, empty_rows = 0;
  const int64_t group = c.heads_q / c.heads_kv;
  for (int64_t b = 0; b < c.batch; ++b) {
    for (int64_t h = 0; h < c.heads_q; ++h) {
      for (int64_t i = 0; i < c.seq_q; ++i) {
        const int64_t g = h / group;
        int64_t keys = c.seq_kv;
        if (c.causal != 0) {
          keys = std::clamp<int64_t>(i + c.causal_offset + 1, 0, c.seq_kv);
        }
        std::vector<double> score(static_cast<size_t>(keys));
        double max = -INFINITY;
        for (int64_t j = 0; j < keys; ++j) {
          double dot = 0;
          for (int64_t t = 0; t < c.d_qk; ++t) {
            dot += at(1, attention_index(c.layout, b, h, i, t, c.heads_q, c.seq_q, c.d_qk)) *
                   at(2, attention_index(c.layout, b, g, j, t, c.heads_kv, c.seq_kv, c.d_qk));
          }
          score[static_cast<size_t>(j)] = d.softmax_scale * dot;
          max = std::max(max, score[static_cast<size_t>(j)]);
        }
        double sum = 0;
        for (double &x : score) {
          x = std::exp(x - max);
          sum += x;
        }
        for (int64_t t = 0; t < c.d_v; ++t) {
          double ref = 0;
          for (int64_t j = 0; j < keys; ++j) {
            ref += score[static_cast<size_t>(j)] / sum *
                   at(3, attention_index(c.layout, b, g, j, t, c.heads_kv, c.seq_kv, c.d_v));
          }
          const double got = got_o[static_cast<size_t>(
              attention_index(c.layout, b, h, i, t, c.heads_q, c.seq_q, c.d_v))];
          wrong += !(std::fabs(got - ref) <= 2e-5) ? 1 : 0;
        }
        empty_rows += keys == 0 ? 1 : 0;
        if (c.want_lse != 0) {
          const double got = got_lse[static_cast<size_t>((b * c.heads_q + h) * c.seq_q + i)];
          const double ref = keys == 0 ? -INFINITY : max + std::log(sum);
          wrong_lse += keys == 0 ? (got == -INFINITY ? 0 : 1)
                                 : (std::fabs(got - ref) <= 2e-5 * (1 + std::fabs(ref)) ? 0 : 1);
        }
      }
    }
  }
  EXPECT_EQ(wrong, 0);
  EXPECT_EQ(wrong_lse, 0);
  if (c.causal != 0 && c.causal_offset < 0) {
    EXPECT_GT(empty_rows, 0); // the case really covers rows that see no key
  }
  EXPECT_EQ(api().attention_plan_destroy(ctx.get(), plan), SL_OK);
}

/// gtest name of an attention case.
std::string attention_name(const ::testing::TestParamInfo<attention_case> &info) {
  return info.param.name;
}

constexpr int32_t bshd = SL_LAYOUT_BSHD, bhsd = SL_LAYOUT_BHSD;

INSTANTIATE_TEST_SUITE_P(
    shapes, example_attention,
    ::testing::Values(
        // name, layout, causal, batch, seq_q, seq_kv, heads_q, heads_kv, d_qk, d_v, offset, lse
        attention_case{"bshd_mha", bshd, 0, 2, 5, 7, 2, 2, 8, 8, 0, 1},
        attention_case{"bhsd_gqa", bhsd, 0, 1, 9, 9, 4, 2, 16, 16, 0, 1},
        attention_case{"bshd_mqa_causal_top_left", bshd, 1, 1, 6, 10, 4, 1, 8, 8, 0, 1},
        attention_case{"bhsd_causal_bottom_right_dv", bhsd, 1, 2, 4, 11, 6, 3, 8, 12, 7, 1},
        attention_case{"bshd_causal_empty_rows", bshd, 1, 1, 7, 7, 2, 1, 4, 4, -3, 1},
        attention_case{"bhsd_no_lse_d64", bhsd, 0, 1, 33, 17, 2, 2, 64, 64, 0, 0}),
    attention_name);

TEST(example_attention_errors, unsupported_and_invalid_descriptors) {
  context ctx;
  sl_attention_plan *plan = nullptr;
  uint64_t ws = 0;
  const sl_attention_desc good = make_attention_desc({"", bshd, 0, 1, 8, 8, 4, 2, 16, 16, 0, 1});
  sl_attention_desc d = good;
  d.qkv_type = d.o_type = SL_DTYPE_BF16;
  EXPECT_EQ(api().attention_plan_create(ctx.get(), 0, &d, &plan, &ws), SL_UNSUPPORTED);
  EXPECT_NE(ctx.error().find("not offered"), std::string::npos) << ctx.error();
  std::vector<std::pair<sl_attention_desc, std::string>> bad;
  auto add = [&](const char *reason, auto change) {
    sl_attention_desc x = good;
    change(x);
    bad.emplace_back(x, reason);
  };
  add("multiple of heads_kv", [](sl_attention_desc &x) { x.heads_kv = 3; });
  add("layout", [](sl_attention_desc &x) { x.layout = 5; });
  add("softmax_scale", [](sl_attention_desc &x) { x.softmax_scale = 0; });
  add("seq_q", [](sl_attention_desc &x) { x.seq_q = 0; });
  add("causal", [](sl_attention_desc &x) { x.causal = 2; });
  add("reserved", [](sl_attention_desc &x) { x.reserved = 1; });
  add("struct_size", [](sl_attention_desc &x) { x.struct_size = 4; });
  for (const auto &[x, reason] : bad) {
    EXPECT_EQ(api().attention_plan_create(ctx.get(), 0, &x, &plan, &ws), SL_INVALID_ARGUMENT)
        << reason;
    EXPECT_NE(ctx.error().find(reason), std::string::npos) << ctx.error();
  }
  ASSERT_EQ(api().attention_plan_create(ctx.get(), 0, &good, &plan, &ws), SL_OK);
  device_buffer q(ctx, 8 * 4 * 16 * 4), kv(ctx, 8 * 2 * 16 * 4), o(ctx, 8 * 4 * 16 * 4);
  device_buffer lse(ctx, 4 * 8 * 4), workspace(ctx, ws);
  auto *l = static_cast<float *>(lse.get());
  EXPECT_EQ(api().attention_forward(ctx.get(), plan, nullptr, q.get(), kv.get(), kv.get(), o.get(),
                                    nullptr, workspace.get()),
            SL_INVALID_ARGUMENT); // the plan wants LSE
  EXPECT_EQ(api().attention_forward(ctx.get(), plan, nullptr, q.get(), kv.get(), kv.get(), o.get(),
                                    l, nullptr),
            SL_INVALID_ARGUMENT); // no workspace
  EXPECT_EQ(api().attention_forward(ctx.get(), plan, nullptr, q.get(), kv.get(), kv.get(), q.get(),
                                    l, workspace.get()),
            SL_INVALID_ARGUMENT); // O overlaps Q
  EXPECT_EQ(api().attention_forward(ctx.get(), plan, nullptr, kv.get(), kv.get(), kv.get(), o.get(),
                                    l, workspace.get()),
            SL_INVALID_ARGUMENT); // Q too small
  EXPECT_EQ(api().attention_forward(ctx.get(), plan, nullptr, q.get(), kv.get(), kv.get(), o.get(),
                                    l, workspace.get()),
            SL_OK)
      << ctx.error();
  EXPECT_EQ(api().attention_plan_destroy(ctx.get(), plan), SL_OK);
  EXPECT_EQ(api().attention_plan_destroy(ctx.get(), plan), SL_INVALID_ARGUMENT);
}

// ---- Collectives -----------------------------------------------------------------------------

/// A one-rank communicator for a test's lifetime.
class communicator {
public:
  explicit communicator(const context &ctx) : ctx_(ctx) {
    uint64_t size = 0;
    EXPECT_EQ(api().comm_unique_id_size(ctx.get(), &size), SL_OK);
    EXPECT_GE(size, 1u);
    EXPECT_LE(size, 4096u);
    id_.resize(size);
    EXPECT_EQ(api().comm_unique_id(ctx.get(), id_.data(), size), SL_OK);
    EXPECT_EQ(api().comm_init(ctx.get(), 0, 0, 1, id_.data(), size, &comm_), SL_OK) << ctx.error();
  }
  ~communicator() { EXPECT_EQ(api().comm_destroy(ctx_.get(), comm_), SL_OK); }
  communicator(const communicator &) = delete;
  communicator &operator=(const communicator &) = delete;
  sl_comm *get() const { return comm_; }  ///< the handle
  const bytes &id() const { return id_; } ///< the unique id it was made with

private:
  const context &ctx_;
  bytes id_;
  sl_comm *comm_ = nullptr;
};

/// A collective descriptor: SUM for the reducing operations, root 0.
sl_collective_desc make_coll(sl_collective_op op, sl_dtype dtype, uint64_t count) {
  sl_collective_desc d{};
  d.struct_size = sizeof d;
  d.op = op;
  d.dtype = dtype;
  d.reduce = op == SL_COLL_ALL_REDUCE || op == SL_COLL_REDUCE_SCATTER || op == SL_COLL_REDUCE
                 ? SL_REDUCE_SUM
                 : SL_REDUCE_NONE;
  d.count = count;
  return d;
}

TEST(example_collectives, every_operation_over_one_rank_delivers_send_in_recv) {
  context ctx;
  communicator comm(ctx);
  stream s(ctx);
  constexpr uint64_t count = 37;
  for (int op = SL_COLL_ALL_REDUCE; op <= SL_COLL_SENDRECV; ++op) {
    for (const sl_dtype dtype : {SL_DTYPE_FP32, SL_DTYPE_BF16, SL_DTYPE_INT8, SL_DTYPE_FP64}) {
      SCOPED_TRACE("op " + std::to_string(op) + " dtype " + std::to_string(dtype));
      const sl_collective_desc d = make_coll(static_cast<sl_collective_op>(op), dtype, count);
      ASSERT_EQ(api().collective_check(ctx.get(), comm.get(), &d), SL_OK) << ctx.error();
      const uint64_t size = count * sl_dtype_size(dtype);
      device_buffer send(ctx, size), recv(ctx, size);
      ASSERT_EQ(api().fill(ctx.get(), s.get(), send.get(), dtype, count, 9, SL_FILL_UNIFORM),
                SL_OK);
      recv.upload(bytes(size, 0xee));
      ASSERT_EQ(api().collective_run(ctx.get(), comm.get(), &d, send.get(), recv.get(), s.get()),
                SL_OK)
          << ctx.error();
      s.sync();
      EXPECT_EQ(recv.download(), send.download());
      const bool in_place_defined = op != SL_COLL_ALL_TO_ALL && op != SL_COLL_SENDRECV;
      const sl_status in_place =
          api().collective_run(ctx.get(), comm.get(), &d, send.get(), send.get(), s.get());
      EXPECT_EQ(in_place, in_place_defined ? SL_OK : SL_INVALID_ARGUMENT) << ctx.error();
      const bytes before = send.download();
      s.sync();
      EXPECT_EQ(send.download(), before);
    }
  }
}

TEST(example_collectives, more_than_one_rank_is_unsupported_with_a_reason) {
  context ctx;
  communicator one(ctx);
  sl_comm *comm = nullptr;
  const bytes &id = one.id();
  EXPECT_EQ(api().comm_init(ctx.get(), 0, 0, 2, id.data(), id.size(), &comm), SL_UNSUPPORTED);
  EXPECT_EQ(comm, nullptr);
  EXPECT_NE(ctx.error().find("no interconnect"), std::string::npos) << ctx.error();
  EXPECT_NE(ctx.error().find("HCCL"), std::string::npos) << ctx.error();
  EXPECT_EQ(api().comm_init(ctx.get(), 0, 2, 2, id.data(), id.size(), &comm), SL_INVALID_ARGUMENT);
  EXPECT_EQ(api().comm_init(ctx.get(), 0, 0, 0, id.data(), id.size(), &comm), SL_INVALID_ARGUMENT);
  EXPECT_EQ(api().comm_init(ctx.get(), 0, 0, 1, id.data(), id.size() - 1, &comm),
            SL_INVALID_ARGUMENT);
  bytes forged(id.size(), 0);
  EXPECT_EQ(api().comm_init(ctx.get(), 0, 0, 1, forged.data(), forged.size(), &comm),
            SL_INVALID_ARGUMENT);
  EXPECT_EQ(api().comm_init(ctx.get(), 0, 0, 1, id.data(), id.size(), nullptr),
            SL_INVALID_ARGUMENT);
  bytes other(id.size());
  ASSERT_EQ(api().comm_unique_id(ctx.get(), other.data(), other.size()), SL_OK);
  EXPECT_NE(other, id); // fresh ids differ
  EXPECT_EQ(api().comm_unique_id(ctx.get(), other.data(), 3), SL_INVALID_ARGUMENT);
}

TEST(example_collectives, descriptors_and_buffers_are_checked) {
  context ctx;
  communicator comm(ctx);
  const sl_collective_desc good = make_coll(SL_COLL_ALL_REDUCE, SL_DTYPE_FP32, 16);
  std::vector<std::pair<sl_collective_desc, std::string>> bad;
  auto add = [&](const char *reason, auto change) {
    sl_collective_desc x = good;
    change(x);
    bad.emplace_back(x, reason);
  };
  add("needs a reduction", [](sl_collective_desc &x) { x.reduce = SL_REDUCE_NONE; });
  add("not an sl_collective_op", [](sl_collective_desc &x) { x.op = 9; });
  add("count = 0", [](sl_collective_desc &x) { x.count = 0; });
  add("reserved", [](sl_collective_desc &x) { x.reserved = 1; });
  add("root", [](sl_collective_desc &x) { x.op = SL_COLL_BROADCAST, x.reduce = 0, x.root = 1; });
  add("takes no reduction", [](sl_collective_desc &x) { x.op = SL_COLL_ALL_GATHER; });
  add("not an sl_dtype", [](sl_collective_desc &x) { x.dtype = static_cast<sl_dtype>(0); });
  add("struct_size", [](sl_collective_desc &x) { x.struct_size = 4; });
  for (const auto &[x, reason] : bad) {
    EXPECT_EQ(api().collective_check(ctx.get(), comm.get(), &x), SL_INVALID_ARGUMENT) << reason;
    EXPECT_NE(ctx.error().find(reason), std::string::npos) << ctx.error();
  }
  sl_collective_desc fp8 = good;
  fp8.dtype = SL_DTYPE_FP8_E4M3;
  EXPECT_EQ(api().collective_check(ctx.get(), comm.get(), &fp8), SL_UNSUPPORTED);
  EXPECT_NE(ctx.error().find("fp8"), std::string::npos) << ctx.error();
  EXPECT_EQ(api().collective_check(ctx.get(), comm.get(), nullptr), SL_INVALID_ARGUMENT);
  EXPECT_EQ(api().collective_check(ctx.get(), nullptr, &good), SL_INVALID_ARGUMENT);
  device_buffer buf(ctx, 128);
  auto *base = static_cast<char *>(buf.get());
  EXPECT_EQ(api().collective_run(ctx.get(), comm.get(), &good, base, base + 4, nullptr),
            SL_INVALID_ARGUMENT); // partial overlap is no in-place form
  EXPECT_NE(ctx.error().find("overlap"), std::string::npos) << ctx.error();
  EXPECT_EQ(api().collective_run(ctx.get(), comm.get(), &good, base, base + 96, nullptr),
            SL_INVALID_ARGUMENT); // recv runs past the block
  EXPECT_EQ(api().collective_run(ctx.get(), comm.get(), &good, base, base + 64, nullptr), SL_OK);
  EXPECT_EQ(api().comm_destroy(ctx.get(), nullptr), SL_INVALID_ARGUMENT);
}

// ---- Peaks -----------------------------------------------------------------------------------

TEST(example_peak, rated_is_unsupported_with_a_reason_and_measured_is_a_gemm_rate) {
  context ctx;
  double rate = -1;
  char text[512] = {};
  EXPECT_EQ(api().rated_peak(ctx.get(), 0, SL_DTYPE_FP32, &rate, text, sizeof text),
            SL_UNSUPPORTED);
  EXPECT_NE(ctx.error().find("simulation"), std::string::npos) << ctx.error();
  for (const sl_dtype dtype : {SL_DTYPE_FP32, SL_DTYPE_FP64}) {
    ASSERT_EQ(api().measure_peak(ctx.get(), 0, dtype, &rate, text, sizeof text), SL_OK)
        << ctx.error();
    EXPECT_GT(rate, 1e6); // even plain loops exceed a MFLOP/s
    EXPECT_NE(std::string(text).find("GEMM"), std::string::npos) << text;
  }
  EXPECT_EQ(api().measure_peak(ctx.get(), 0, SL_DTYPE_BF16, &rate, text, sizeof text),
            SL_UNSUPPORTED);
  EXPECT_NE(ctx.error().find("bf16"), std::string::npos) << ctx.error();
  EXPECT_EQ(api().measure_peak(ctx.get(), 0, SL_DTYPE_FP32, nullptr, text, sizeof text),
            SL_INVALID_ARGUMENT);
  EXPECT_EQ(api().rated_peak(ctx.get(), 5, SL_DTYPE_FP32, &rate, text, sizeof text),
            SL_INVALID_ARGUMENT);
}

// ---- NULL and foreign arguments --------------------------------------------------------------

TEST(example_api, a_null_context_is_an_error_with_a_reason_never_a_crash) {
  const sl_backend_api &t = api();
  int32_t count = 0;
  sl_device_props props{};
  props.struct_size = sizeof props;
  void *p = nullptr;
  sl_stream *s = nullptr;
  sl_event *e = nullptr;
  uint64_t u = 0;
  double rate = 0;
  char buf[64] = {};
  sl_gemm_plan *gp = nullptr;
  sl_attention_plan *ap = nullptr;
  sl_comm *comm = nullptr;
  const sl_gemm_desc gd{};
  const sl_attention_desc ad{};
  const sl_collective_desc cd{};
  const std::vector<sl_status> got = {
      t.library_versions(nullptr, buf, sizeof buf),
      t.device_count(nullptr, &count),
      t.device_props(nullptr, 0, &props),
      t.mem_alloc(nullptr, 0, 16, &p),
      t.mem_free(nullptr, 0, buf),
      t.memcpy_h2d(nullptr, 0, buf, buf, 1),
      t.memcpy_d2h(nullptr, 0, buf, buf, 1),
      t.stream_create(nullptr, 0, &s),
      t.stream_destroy(nullptr, s),
      t.stream_sync(nullptr, nullptr),
      t.event_create(nullptr, 0, &e),
      t.event_destroy(nullptr, e),
      t.event_record(nullptr, e, nullptr),
      t.event_elapsed_ns(nullptr, e, e, &u),
      t.fill(nullptr, nullptr, buf, SL_DTYPE_FP32, 1, 1, SL_FILL_UNIFORM),
      t.gemm_plan_create(nullptr, 0, &gd, &gp, &u),
      t.gemm_run(nullptr, gp, nullptr, buf, buf, buf, nullptr),
      t.gemm_plan_destroy(nullptr, gp),
      t.gemm_plan_describe(nullptr, gp, buf, sizeof buf),
      t.rated_peak(nullptr, 0, SL_DTYPE_FP32, &rate, buf, sizeof buf),
      t.measure_peak(nullptr, 0, SL_DTYPE_FP32, &rate, buf, sizeof buf),
      t.attention_plan_create(nullptr, 0, &ad, &ap, &u),
      t.attention_forward(nullptr, ap, nullptr, buf, buf, buf, buf, nullptr, buf),
      t.attention_plan_destroy(nullptr, ap),
      t.attention_plan_describe(nullptr, ap, buf, sizeof buf),
      t.comm_unique_id_size(nullptr, &u),
      t.comm_unique_id(nullptr, buf, 16),
      t.comm_init(nullptr, 0, 0, 1, buf, 16, &comm),
      t.comm_destroy(nullptr, comm),
      t.collective_check(nullptr, comm, &cd),
      t.collective_run(nullptr, comm, &cd, buf, buf, nullptr),
  };
  for (size_t i = 0; i < got.size(); ++i) {
    EXPECT_EQ(got[i], SL_INVALID_ARGUMENT) << "call " << i;
  }
  EXPECT_NE(std::string(t.last_error(nullptr)).find("context is NULL"), std::string::npos);
}

TEST(example_api, null_outputs_and_foreign_handles_are_errors) {
  context ctx;
  const sl_backend_api &t = api();
  EXPECT_EQ(t.comm_unique_id_size(ctx.get(), nullptr), SL_INVALID_ARGUMENT);
  EXPECT_EQ(t.library_versions(ctx.get(), nullptr, 16), SL_INVALID_ARGUMENT);
  uint64_t u = 0;
  EXPECT_EQ(t.event_elapsed_ns(ctx.get(), nullptr, nullptr, &u), SL_INVALID_ARGUMENT);
  // handles of another context are unknown here (compared, never dereferenced)
  context other;
  sl_stream *s = nullptr;
  sl_event *e = nullptr;
  ASSERT_EQ(t.stream_create(other.get(), 0, &s), SL_OK);
  ASSERT_EQ(t.event_create(other.get(), 0, &e), SL_OK);
  EXPECT_EQ(t.stream_sync(ctx.get(), s), SL_INVALID_ARGUMENT);
  EXPECT_EQ(t.event_record(ctx.get(), e, nullptr), SL_INVALID_ARGUMENT);
  EXPECT_EQ(t.event_destroy(ctx.get(), e), SL_INVALID_ARGUMENT);
  EXPECT_FALSE(ctx.error().empty());
}

} // namespace
} // namespace suanli::example_test
