// CPU plugin: function table, lifecycle, errors, device properties, memory, streams and events.

#include "cpu_plugin.hpp"

#include <cstddef>
#include <cstring>

namespace suanli::cpu_test {
namespace {

TEST(cpu_api, table_has_every_function_and_the_header_version) {
  const sl_backend_api &t = api();
  EXPECT_EQ(t.struct_size, sizeof(sl_backend_api));
  EXPECT_EQ(t.abi_major, SL_ABI_MAJOR);
  EXPECT_EQ(t.abi_minor, SL_ABI_MINOR);
  EXPECT_STREQ(t.name, "cpu");
  EXPECT_GT(std::strlen(t.version), 0u);
  // every pointer after the version string is a function: none may be NULL
  const auto *first = reinterpret_cast<const unsigned char *>(&t.init);
  const auto *end = reinterpret_cast<const unsigned char *>(&t) + sizeof t;
  for (const unsigned char *p = first; p < end; p += sizeof(void *)) {
    void *fn = nullptr;
    std::memcpy(&fn, p, sizeof fn);
    EXPECT_NE(fn, nullptr) << "function pointer at offset " << (p - first);
  }
}

TEST(cpu_api, library_versions_name_onednn_and_openblas) {
  context ctx;
  char buf[512] = {};
  ASSERT_EQ(api().library_versions(ctx.get(), buf, sizeof buf), SL_OK) << ctx.error();
  const std::string text = buf;
  EXPECT_EQ(text.rfind("oneDNN=2.", 0), 0u) << text;
  EXPECT_NE(text.find(";OpenBLAS=0."), std::string::npos) << text;
  char small[8] = {};
  EXPECT_EQ(api().library_versions(ctx.get(), small, sizeof small), SL_INVALID_ARGUMENT);
  EXPECT_EQ(std::strlen(small), sizeof small - 1);
  EXPECT_NE(ctx.error().find("too small"), std::string::npos) << ctx.error();
}

TEST(cpu_api, init_rejects_negative_threads_with_a_thread_local_reason) {
  const sl_init_options options{sizeof(sl_init_options), -3};
  sl_context *ctx = reinterpret_cast<sl_context *>(&ctx); // must be reset to NULL
  EXPECT_EQ(api().init(&options, &ctx), SL_INVALID_ARGUMENT);
  EXPECT_EQ(ctx, nullptr);
  EXPECT_NE(std::string(api().last_error(nullptr)).find("threads"), std::string::npos);
}

TEST(cpu_api, one_device_with_sane_properties) {
  context ctx;
  int32_t count = 0;
  ASSERT_EQ(api().device_count(ctx.get(), &count), SL_OK);
  EXPECT_EQ(count, 1);
  sl_device_props props{};
  props.struct_size = sizeof props;
  ASSERT_EQ(api().device_props(ctx.get(), 0, &props), SL_OK) << ctx.error();
  EXPECT_EQ(props.struct_size, sizeof props);
  EXPECT_EQ(props.flags, static_cast<uint32_t>(SL_DEVICE_HOST_ADDRESSABLE));
  EXPECT_GT(std::strlen(props.vendor), 0u);
  EXPECT_GT(std::strlen(props.model), 0u);
  EXPECT_GT(std::strlen(props.arch), 0u);
  EXPECT_GT(std::strlen(props.driver_version), 0u);
  EXPECT_GT(props.memory_bytes, 0u);
  EXPECT_GE(props.compute_units, 1u);
  EXPECT_GT(props.clock_mhz_max, 0u);
  EXPECT_EQ(api().device_props(ctx.get(), 1, &props), SL_INVALID_ARGUMENT);
  EXPECT_NE(ctx.error().find("device 1"), std::string::npos) << ctx.error();
}

TEST(cpu_api, telemetry_reads_the_clock_and_leaves_last_error_alone) {
  context ctx;
  sl_telemetry t{};
  t.struct_size = sizeof t;
  // Linux always has /proc/cpuinfo: at least the clock is read; what is missing is explained.
  ASSERT_EQ(api().telemetry_read(ctx.get(), 0, &t), SL_OK) << t.note;
  EXPECT_EQ(t.struct_size, sizeof t);
  EXPECT_NE(t.valid & SL_TELEMETRY_CLOCK, 0U);
  EXPECT_GT(t.clock_mhz, 0U);
  EXPECT_NE(std::string(t.note).find("clock: "), std::string::npos) << t.note;
  if ((t.valid & SL_TELEMETRY_ENERGY) == 0) {
    EXPECT_NE(std::string(t.note).find("no energy: "), std::string::npos) << t.note;
  }
  EXPECT_EQ(api().telemetry_read(ctx.get(), 1, &t), SL_INVALID_ARGUMENT);
  EXPECT_NE(std::string(t.note).find("device 1"), std::string::npos) << t.note;
  EXPECT_EQ(ctx.error(), "") << "telemetry reports in its struct, never through last_error";
  sl_telemetry small{};
  small.struct_size = 8;
  EXPECT_EQ(api().telemetry_read(ctx.get(), 0, &small), SL_INVALID_ARGUMENT);
  EXPECT_EQ(api().telemetry_read(ctx.get(), 0, nullptr), SL_INVALID_ARGUMENT);
}

TEST(cpu_api, device_props_writes_no_more_than_struct_size) {
  context ctx;
  unsigned char raw[sizeof(sl_device_props)];
  std::memset(raw, 0xab, sizeof raw);
  const uint32_t small = offsetof(sl_device_props, model); // size, flags and vendor only
  std::memcpy(raw, &small, sizeof small);
  ASSERT_EQ(api().device_props(ctx.get(), 0, reinterpret_cast<sl_device_props *>(raw)), SL_OK);
  sl_device_props seen{};
  std::memcpy(&seen, raw, sizeof seen);
  EXPECT_EQ(seen.struct_size, small);
  EXPECT_GT(std::strlen(seen.vendor), 0u);
  for (size_t i = small; i < sizeof raw; ++i) {
    ASSERT_EQ(raw[i], 0xab) << "byte " << i << " beyond struct_size was written";
  }
}

TEST(cpu_api, threads_option_sets_compute_units) {
  context ctx(1);
  sl_device_props props{};
  props.struct_size = sizeof props;
  ASSERT_EQ(api().device_props(ctx.get(), 0, &props), SL_OK);
  EXPECT_EQ(props.compute_units, 1u);
}

TEST(cpu_api, memory_is_aligned_copyable_and_checked) {
  context ctx;
  buffer small(ctx, 100);
  buffer large(ctx, 5u << 20);
  EXPECT_EQ(reinterpret_cast<uintptr_t>(small.data()) % 64, 0u);
  EXPECT_EQ(reinterpret_cast<uintptr_t>(large.data()) % (2u << 20), 0u);
  const char text[] = "suanli";
  char back[sizeof text] = {};
  ASSERT_EQ(api().memcpy_h2d(ctx.get(), 0, small.data(), text, sizeof text), SL_OK);
  ASSERT_EQ(api().memcpy_d2h(ctx.get(), 0, back, small.data(), sizeof text), SL_OK);
  EXPECT_STREQ(back, text);
  void *huge = nullptr;
  EXPECT_EQ(api().mem_alloc(ctx.get(), 0, uint64_t{1} << 60, &huge), SL_OUT_OF_MEMORY);
  EXPECT_EQ(huge, nullptr);
  EXPECT_NE(ctx.error().find("cannot allocate"), std::string::npos) << ctx.error();
  int not_ours = 0;
  EXPECT_EQ(api().mem_free(ctx.get(), 0, &not_ours), SL_INVALID_ARGUMENT);
  EXPECT_FALSE(ctx.error().empty());
}

TEST(cpu_api, events_time_a_real_gemm) {
  context ctx;
  sl_stream *stream = nullptr;
  sl_event *start = nullptr, *end = nullptr, *later = nullptr;
  ASSERT_EQ(api().stream_create(ctx.get(), 0, &stream), SL_OK);
  for (sl_event **e : {&start, &end, &later}) {
    ASSERT_EQ(api().event_create(ctx.get(), 0, e), SL_OK);
  }
  uint64_t ns = 0;
  EXPECT_EQ(api().event_elapsed_ns(ctx.get(), start, end, &ns), SL_INVALID_ARGUMENT);
  EXPECT_NE(ctx.error().find("never recorded"), std::string::npos) << ctx.error();

  const gemm_case c{SL_DTYPE_FP32,
                    SL_DTYPE_FP32,
                    SL_DTYPE_FP32,
                    SL_DTYPE_FP32,
                    256,
                    256,
                    256,
                    0,
                    0,
                    0,
                    1,
                    1.0,
                    0.0};
  const sl_gemm_desc d = make_desc(c);
  sl_gemm_plan *plan = nullptr;
  uint64_t ws_bytes = 0;
  ASSERT_EQ(api().gemm_plan_create(ctx.get(), 0, &d, &plan, &ws_bytes), SL_OK) << ctx.error();
  buffer a(ctx, 256 * 256 * 4), b(ctx, 256 * 256 * 4), out(ctx, 256 * 256 * 4);
  buffer ws(ctx, ws_bytes + 64);
  api().fill(ctx.get(), stream, a.data(), SL_DTYPE_FP32, 256 * 256, 1, SL_FILL_UNIFORM);
  api().fill(ctx.get(), stream, b.data(), SL_DTYPE_FP32, 256 * 256, 2, SL_FILL_UNIFORM);
  ASSERT_EQ(api().event_record(ctx.get(), start, stream), SL_OK);
  ASSERT_EQ(api().gemm_run(ctx.get(), plan, stream, a.data(), b.data(), out.data(), ws.data()),
            SL_OK);
  ASSERT_EQ(api().event_record(ctx.get(), end, stream), SL_OK);
  ASSERT_EQ(api().stream_sync(ctx.get(), stream), SL_OK);
  ASSERT_EQ(api().event_record(ctx.get(), later, stream), SL_OK);
  uint64_t to_end = 0, to_later = 0;
  ASSERT_EQ(api().event_elapsed_ns(ctx.get(), start, end, &to_end), SL_OK);
  ASSERT_EQ(api().event_elapsed_ns(ctx.get(), start, later, &to_later), SL_OK);
  EXPECT_GT(to_end, 0u);
  EXPECT_GE(to_later, to_end);
  EXPECT_EQ(api().event_elapsed_ns(ctx.get(), end, start, &ns), SL_INVALID_ARGUMENT);

  EXPECT_EQ(api().gemm_plan_destroy(ctx.get(), plan), SL_OK);
  EXPECT_EQ(api().gemm_plan_destroy(ctx.get(), plan), SL_INVALID_ARGUMENT);
  for (sl_event *e : {start, end, later}) {
    EXPECT_EQ(api().event_destroy(ctx.get(), e), SL_OK);
  }
  EXPECT_EQ(api().event_destroy(ctx.get(), start), SL_INVALID_ARGUMENT);
  EXPECT_EQ(api().stream_destroy(ctx.get(), stream), SL_OK);
}

TEST(cpu_api, finalize_releases_what_the_context_still_owns) {
  sl_context *ctx = nullptr;
  ASSERT_EQ(api().init(nullptr, &ctx), SL_OK);
  void *block = nullptr;
  sl_stream *stream = nullptr;
  sl_event *event = nullptr;
  ASSERT_EQ(api().mem_alloc(ctx, 0, 1 << 20, &block), SL_OK);
  ASSERT_EQ(api().stream_create(ctx, 0, &stream), SL_OK);
  ASSERT_EQ(api().event_create(ctx, 0, &event), SL_OK);
  api().finalize(ctx); // leaks would show under sanitizers; here it must simply not crash
  SUCCEED();
}

} // namespace
} // namespace suanli::cpu_test
