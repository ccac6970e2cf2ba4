// CUDA plugin: the table, init without a device, inventory, memory, streams and events, peaks,
// and invalid arguments.

#include "gpu_plugin.hpp"

#include <cstddef>
#include <cstring>

namespace suanli::gpu_test {
namespace {

TEST(gpu_api, table_names_the_cuda_backend_and_offers_attention_with_cudnn) {
  const sl_backend_api &p = api();
  EXPECT_EQ(p.struct_size, sizeof(sl_backend_api));
  EXPECT_EQ(p.abi_major, SL_ABI_MAJOR);
  EXPECT_STREQ(p.name, "cuda");
  EXPECT_NE(p.gemm_plan_create, nullptr);
  EXPECT_NE(p.fill, nullptr);
#ifdef SUANLI_CUDA_ATTENTION
  EXPECT_NE(p.attention_plan_create, nullptr); // cuDNN's fused attention (dlopen at first plan)
  EXPECT_NE(p.attention_forward, nullptr);
#else
  EXPECT_EQ(p.attention_plan_create, nullptr); // built without cuDNN's header
  EXPECT_EQ(p.attention_forward, nullptr);
#endif
}

TEST(gpu_api, init_succeeds_or_gives_a_reason) {
  sl_context *ctx = nullptr;
  const sl_init_options options{sizeof(sl_init_options), 0};
  const sl_status s = api().init(&options, &ctx);
  if (s == SL_OK) {
    ASSERT_NE(ctx, nullptr);
    api().finalize(ctx);
  } else {
    EXPECT_EQ(ctx, nullptr);
    EXPECT_NE(std::string(api().last_error(nullptr)).find("cudaGetDeviceCount"), std::string::npos)
        << api().last_error(nullptr);
  }
  EXPECT_EQ(api().init(&options, nullptr), SL_INVALID_ARGUMENT);
}

TEST(gpu_api, device_props_describe_an_nvidia_gpu) {
  SUANLI_REQUIRE_GPU();
  context ctx;
  sl_device_props props{};
  props.struct_size = sizeof props;
  ASSERT_EQ(api().device_props(ctx.get(), 0, &props), SL_OK) << ctx.error();
  EXPECT_STREQ(props.vendor, "NVIDIA");
  EXPECT_EQ(std::string(props.arch).rfind("sm_", 0), 0u) << props.arch;
  EXPECT_EQ(std::string(props.uuid).rfind("GPU-", 0), 0u) << props.uuid;
  EXPECT_EQ(std::strlen(props.uuid), 40u) << props.uuid;
  EXPECT_EQ(std::strlen(props.pci_bus_id), 16u) << props.pci_bus_id;
  EXPECT_GT(std::strlen(props.model), 0u);
  EXPECT_GT(props.memory_bytes, 0u);
  EXPECT_GT(props.compute_units, 0u);
  EXPECT_GT(props.clock_mhz_max, 0u);
  EXPECT_EQ(props.flags & SL_DEVICE_HOST_TIMED, 0u);
  std::cout << "[ device   ] " << props.model << " " << props.arch << " " << props.uuid
            << " serial '" << props.serial << "' pci " << props.pci_bus_id << " driver "
            << props.driver_version << " firmware '" << props.firmware_version << "' "
            << props.compute_units << " SMs, clock " << props.clock_mhz_current << "/"
            << props.clock_mhz_max << " MHz, " << props.memory_bytes << " bytes free\n";

  // An older, shorter struct: only its bytes are written.
  unsigned char raw[sizeof(sl_device_props)];
  std::memset(raw, 0xab, sizeof raw);
  const uint32_t short_size = offsetof(sl_device_props, uuid);
  std::memcpy(raw, &short_size, sizeof short_size);
  ASSERT_EQ(api().device_props(ctx.get(), 0, reinterpret_cast<sl_device_props *>(raw)), SL_OK);
  EXPECT_EQ(std::memcmp(raw + short_size, std::vector<unsigned char>(64, 0xab).data(), 64), 0);
  EXPECT_EQ(api().device_props(ctx.get(), 99, &props), SL_INVALID_ARGUMENT);
}

TEST(gpu_api, library_versions_name_runtime_and_cublaslt) {
  SUANLI_REQUIRE_GPU();
  context ctx;
  char buf[4096] = {};
  ASSERT_EQ(api().library_versions(ctx.get(), buf, sizeof buf), SL_OK) << ctx.error();
  const std::string text = buf;
  std::cout << "[ versions ] " << text << "\n";
  EXPECT_NE(text.find("CUDA runtime="), std::string::npos);
  EXPECT_NE(text.find("cuBLASLt="), std::string::npos);
  EXPECT_NE(text.find("NVML="), std::string::npos);
  char tiny[4];
  EXPECT_EQ(api().library_versions(ctx.get(), tiny, sizeof tiny), SL_INVALID_ARGUMENT);
}

TEST(gpu_api, memory_round_trips_and_foreign_pointers_are_refused) {
  SUANLI_REQUIRE_GPU();
  context ctx;
  buffer buf(ctx, 4096);
  std::vector<unsigned char> pattern(4096);
  for (size_t i = 0; i < pattern.size(); ++i) {
    pattern[i] = static_cast<unsigned char>(i * 7 + 3);
  }
  buf.upload(pattern);
  EXPECT_EQ(buf.copy(), pattern);
  const auto &p = api();
  std::vector<unsigned char> host(8192);
  EXPECT_EQ(p.memcpy_d2h(ctx.get(), 0, host.data(), buf.data(), 8192), SL_INVALID_ARGUMENT)
      << "a copy past the end of the block";
  EXPECT_EQ(p.memcpy_h2d(ctx.get(), 0, host.data(), pattern.data(), 16), SL_INVALID_ARGUMENT)
      << "a host pointer as the device side";
  EXPECT_EQ(p.mem_free(ctx.get(), 0, host.data()), SL_INVALID_ARGUMENT);
  void *ptr = nullptr;
  EXPECT_EQ(p.mem_alloc(ctx.get(), 7, 64, &ptr), SL_INVALID_ARGUMENT);
  EXPECT_EQ(p.mem_alloc(ctx.get(), 0, 1ull << 50, &ptr), SL_OUT_OF_MEMORY);
  EXPECT_EQ(ptr, nullptr);
  buffer after(ctx, 64); // the context still works after the failed allocation
  EXPECT_NE(after.data(), nullptr);
}

TEST(gpu_api, events_time_work_on_a_stream) {
  SUANLI_REQUIRE_GPU();
  context ctx;
  const auto &p = api();
  constexpr uint64_t count = 64ull << 20;
  buffer buf(ctx, count * 4);
  sl_stream *stream = nullptr;
  sl_event *start = nullptr, *stop = nullptr;
  ASSERT_EQ(p.stream_create(ctx.get(), 0, &stream), SL_OK) << ctx.error();
  ASSERT_EQ(p.event_create(ctx.get(), 0, &start), SL_OK) << ctx.error();
  ASSERT_EQ(p.event_create(ctx.get(), 0, &stop), SL_OK) << ctx.error();
  uint64_t ns = 0;
  EXPECT_EQ(p.event_elapsed_ns(ctx.get(), start, stop, &ns), SL_INVALID_ARGUMENT)
      << "events never recorded";
  ASSERT_EQ(p.event_record(ctx.get(), start, stream), SL_OK);
  ASSERT_EQ(p.fill(ctx.get(), stream, buf.data(), SL_DTYPE_FP32, count, 5, SL_FILL_UNIFORM), SL_OK);
  ASSERT_EQ(p.event_record(ctx.get(), stop, stream), SL_OK);
  ASSERT_EQ(p.stream_sync(ctx.get(), stream), SL_OK);
  ASSERT_EQ(p.event_elapsed_ns(ctx.get(), start, stop, &ns), SL_OK) << ctx.error();
  EXPECT_GT(ns, 0u);
  std::cout << "[ timing   ] fill of 256 MiB: " << ns << " ns\n";
  EXPECT_EQ(p.event_destroy(ctx.get(), start), SL_OK);
  EXPECT_EQ(p.event_destroy(ctx.get(), start), SL_INVALID_ARGUMENT) << "destroyed twice";
  EXPECT_EQ(p.event_destroy(ctx.get(), stop), SL_OK);
  EXPECT_EQ(p.stream_destroy(ctx.get(), stream), SL_OK);
}

TEST(gpu_api, rated_peak_is_left_to_the_device_database) {
  SUANLI_REQUIRE_GPU();
  context ctx;
  double rate = 0;
  char source[256] = {};
  EXPECT_EQ(api().rated_peak(ctx.get(), 0, SL_DTYPE_BF16, &rate, source, sizeof source),
            SL_UNSUPPORTED);
  EXPECT_NE(ctx.error().find("device database"), std::string::npos) << ctx.error();
}

TEST(gpu_api, measure_peak_times_a_large_gemm) {
  SUANLI_REQUIRE_GPU();
  context ctx;
  double rate = 0;
  char method[512] = {};
  for (const sl_dtype dtype :
       {SL_DTYPE_FP64, SL_DTYPE_FP32, SL_DTYPE_TF32, SL_DTYPE_FP16, SL_DTYPE_BF16, SL_DTYPE_INT8,
        SL_DTYPE_FP8_E4M3, SL_DTYPE_FP8_E5M2}) {
    ASSERT_EQ(api().measure_peak(ctx.get(), 0, dtype, &rate, method, sizeof method), SL_OK)
        << ctx.error();
    EXPECT_GT(rate, 0.0);
    EXPECT_NE(std::string(method).find("8192x8192x8192"), std::string::npos) << method;
    std::cout << "[ peak     ] " << rate / 1e12 << " T(FL)OP/s: " << method << "\n";
  }
  EXPECT_EQ(api().measure_peak(ctx.get(), 0, SL_DTYPE_UINT8, &rate, method, sizeof method),
            SL_UNSUPPORTED);
}

// A valid fp32 descriptor to break one field at a time.
sl_gemm_desc valid_desc() {
  return make_desc({SL_DTYPE_FP32, SL_DTYPE_FP32, SL_DTYPE_FP32, SL_DTYPE_FP32, 16, 16, 16, 0, 0, 0,
                    1, 1.0, 0.0});
}

TEST(gpu_api, invalid_gemm_descriptors_are_refused) {
  SUANLI_REQUIRE_GPU();
  context ctx;
  const auto create = [&](const sl_gemm_desc &d) {
    sl_gemm_plan *plan = nullptr;
    uint64_t ws = 0;
    const sl_status s = api().gemm_plan_create(ctx.get(), 0, &d, &plan, &ws);
    if (plan != nullptr) {
      api().gemm_plan_destroy(ctx.get(), plan);
    }
    return s;
  };
  EXPECT_EQ(create(valid_desc()), SL_OK) << ctx.error();
  sl_gemm_desc d = valid_desc();
  d.m = 0;
  EXPECT_EQ(create(d), SL_INVALID_ARGUMENT);
  d = valid_desc();
  d.lda = 4;
  EXPECT_EQ(create(d), SL_INVALID_ARGUMENT);
  d = valid_desc();
  d.trans_a = 2;
  EXPECT_EQ(create(d), SL_INVALID_ARGUMENT);
  d = valid_desc();
  d.struct_size = 16;
  EXPECT_EQ(create(d), SL_INVALID_ARGUMENT);
  d = valid_desc();
  d.batch = 2;
  d.stride_c = 10; // entries of C overlap
  EXPECT_EQ(create(d), SL_INVALID_ARGUMENT);
  d = valid_desc();
  d.alpha = 1.0 / 3.0; // not exact in the fp32 scale type
  EXPECT_EQ(create(d), SL_UNSUPPORTED);
  d = valid_desc();
  d.c_type = SL_DTYPE_FP16;
  EXPECT_EQ(create(d), SL_UNSUPPORTED);
  d = make_desc({SL_DTYPE_UINT8, SL_DTYPE_INT8, SL_DTYPE_INT32, SL_DTYPE_INT32, 64, 64, 64, 0, 1, 0,
                 1, 1.0, 0.0});
  EXPECT_EQ(create(d), SL_UNSUPPORTED);
  EXPECT_NE(ctx.error().find("uint8"), std::string::npos) << ctx.error();
  EXPECT_EQ(api().gemm_plan_create(ctx.get(), 0, nullptr, nullptr, nullptr), SL_INVALID_ARGUMENT);
}

TEST(gpu_api, gemm_run_refuses_foreign_buffers_and_plans) {
  SUANLI_REQUIRE_GPU();
  context ctx;
  const sl_gemm_desc d = valid_desc();
  sl_gemm_plan *plan = nullptr;
  uint64_t ws = 0;
  ASSERT_EQ(api().gemm_plan_create(ctx.get(), 0, &d, &plan, &ws), SL_OK) << ctx.error();
  buffer a(ctx, 1024), b(ctx, 1024), c(ctx, 1024), w(ctx, ws + 256); // 16 x 16 fp32 each
  float host[64] = {};
  EXPECT_EQ(api().gemm_run(ctx.get(), plan, nullptr, host, b.data(), c.data(), w.data()),
            SL_INVALID_ARGUMENT);
  buffer small(ctx, 512);
  EXPECT_EQ(api().gemm_run(ctx.get(), plan, nullptr, a.data(), b.data(), small.data(), w.data()),
            SL_INVALID_ARGUMENT)
      << "C does not fit";
  EXPECT_EQ(api().gemm_run(ctx.get(), plan, nullptr, a.data(), b.data(), c.data(), w.data()), SL_OK)
      << ctx.error();
  EXPECT_EQ(api().gemm_plan_destroy(ctx.get(), plan), SL_OK);
  EXPECT_EQ(api().gemm_run(ctx.get(), plan, nullptr, a.data(), b.data(), c.data(), w.data()),
            SL_INVALID_ARGUMENT)
      << "a destroyed plan";
}

} // namespace
} // namespace suanli::gpu_test
