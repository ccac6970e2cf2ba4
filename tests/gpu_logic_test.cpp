// CUDA plugin host-side logic, no GPU needed: dtype mapping to cuBLASLt types, the row-major ->
// column-major translation, descriptor checks, scale encoding, the fill encodings, inventory
// text, the algorithm description and NVML's telemetry mapping.

#include <kernels/cuda/fill_encode.hpp>
#include <kernels/cuda/gemm_desc.hpp>
#include <kernels/cuda/gemm_describe.hpp>
#include <kernels/cuda/inventory_text.hpp>
#include <kernels/cuda/telemetry_map.hpp>

#include <gtest/gtest.h>

#include <cmath>
#include <vector>

namespace suanli::cuda {
namespace {

sl_gemm_desc desc_of(sl_dtype a, sl_dtype b, sl_dtype c, sl_dtype compute, int32_t ta = 0,
                     int32_t tb = 0, int64_t m = 3, int64_t n = 4, int64_t k = 5, int64_t pad = 0,
                     int64_t batch = 1) {
  sl_gemm_desc d{};
  d.struct_size = sizeof d;
  d.a_type = a;
  d.b_type = b;
  d.c_type = c;
  d.compute_type = compute;
  d.trans_a = ta;
  d.trans_b = tb;
  d.m = m;
  d.n = n;
  d.k = k;
  d.lda = (ta != 0 ? m : k) + pad;
  d.ldb = (tb != 0 ? k : n) + pad;
  d.ldc = n + pad;
  d.batch = batch;
  d.stride_a = (ta != 0 ? k : m) * d.lda + pad;
  d.stride_b = (tb != 0 ? n : k) * d.ldb + pad;
  d.stride_c = m * d.ldc + pad;
  d.alpha = 1;
  return d;
}

sl_gemm_desc fp32_desc(int32_t ta = 0, int32_t tb = 0, int64_t pad = 0, int64_t batch = 1) {
  return desc_of(SL_DTYPE_FP32, SL_DTYPE_FP32, SL_DTYPE_FP32, SL_DTYPE_FP32, ta, tb, 3, 4, 5, pad,
                 batch);
}

TEST(cuda_logic, dtypes_map_to_cuda_storage_types) {
  EXPECT_EQ(cuda_data_type(SL_DTYPE_FP64), CUDA_R_64F);
  EXPECT_EQ(cuda_data_type(SL_DTYPE_FP32), CUDA_R_32F);
  EXPECT_EQ(cuda_data_type(SL_DTYPE_TF32), CUDA_R_32F);
  EXPECT_EQ(cuda_data_type(SL_DTYPE_FP16), CUDA_R_16F);
  EXPECT_EQ(cuda_data_type(SL_DTYPE_BF16), CUDA_R_16BF);
  EXPECT_EQ(cuda_data_type(SL_DTYPE_FP8_E4M3), CUDA_R_8F_E4M3);
  EXPECT_EQ(cuda_data_type(SL_DTYPE_FP8_E5M2), CUDA_R_8F_E5M2);
  EXPECT_EQ(cuda_data_type(SL_DTYPE_INT8), CUDA_R_8I);
  EXPECT_EQ(cuda_data_type(SL_DTYPE_UINT8), CUDA_R_8U);
  EXPECT_EQ(cuda_data_type(SL_DTYPE_INT32), CUDA_R_32I);
  EXPECT_FALSE(cuda_data_type(SL_DTYPE_INVALID).has_value());
}

TEST(cuda_logic, fp32_is_never_tf32_and_tf32_is_explicit) {
  std::string reason;
  const gemm_combo *fp32 = find_gemm_combo(fp32_desc(), reason);
  ASSERT_NE(fp32, nullptr) << reason;
  EXPECT_EQ(fp32->compute_cuda, CUBLAS_COMPUTE_32F);
  const gemm_combo *tf32 =
      find_gemm_combo(desc_of(SL_DTYPE_FP32, SL_DTYPE_FP32, SL_DTYPE_FP32, SL_DTYPE_TF32), reason);
  ASSERT_NE(tf32, nullptr) << reason;
  EXPECT_EQ(tf32->compute_cuda, CUBLAS_COMPUTE_32F_FAST_TF32);
  EXPECT_STREQ(compute_type_name(tf32->compute_cuda), "CUBLAS_COMPUTE_32F_FAST_TF32");
}

TEST(cuda_logic, every_offered_combination_has_cuda_types_matching_its_dtypes) {
  const sl_dtype all[] = {SL_DTYPE_FP64,  SL_DTYPE_FP32,     SL_DTYPE_TF32,     SL_DTYPE_FP16,
                          SL_DTYPE_BF16,  SL_DTYPE_FP8_E4M3, SL_DTYPE_FP8_E5M2, SL_DTYPE_INT8,
                          SL_DTYPE_UINT8, SL_DTYPE_INT32};
  int offered = 0;
  for (sl_dtype a : all) {
    for (sl_dtype b : all) {
      for (sl_dtype c : all) {
        for (sl_dtype compute : all) {
          std::string reason;
          const gemm_combo *combo = find_gemm_combo(desc_of(a, b, c, compute), reason);
          if (combo == nullptr) {
            EXPECT_FALSE(reason.empty());
            continue;
          }
          ++offered;
          EXPECT_EQ(combo->a_cuda, cuda_data_type(a));
          EXPECT_EQ(combo->b_cuda, cuda_data_type(b));
          EXPECT_EQ(combo->c_cuda, cuda_data_type(c));
        }
      }
    }
  }
  EXPECT_EQ(offered, 14);
}

TEST(cuda_logic, uint8_times_int8_is_refused_with_the_reason) {
  std::string reason;
  EXPECT_EQ(find_gemm_combo(desc_of(SL_DTYPE_UINT8, SL_DTYPE_INT8, SL_DTYPE_INT32, SL_DTYPE_INT32),
                            reason),
            nullptr);
  EXPECT_NE(reason.find("int8 x int8 -> int32"), std::string::npos) << reason;
  const gemm_combo *s8 = find_gemm_combo(
      desc_of(SL_DTYPE_INT8, SL_DTYPE_INT8, SL_DTYPE_INT32, SL_DTYPE_INT32), reason);
  ASSERT_NE(s8, nullptr);
  EXPECT_EQ(s8->compute_cuda, CUBLAS_COMPUTE_32I);
  EXPECT_EQ(s8->scale_cuda, CUDA_R_32I);
  EXPECT_EQ(
      find_gemm_combo(desc_of(SL_DTYPE_FP32, SL_DTYPE_FP32, SL_DTYPE_FP16, SL_DTYPE_FP32), reason),
      nullptr);
}

// C = op(A) op(B) computed from the row-major descriptor directly, and from its column-major
// statement with cuBLASLt's semantics (A and B swapped), must agree element for element.
TEST(cuda_logic, column_major_statement_computes_the_row_major_product) {
  for (int32_t ta : {0, 1}) {
    for (int32_t tb : {0, 1}) {
      const sl_gemm_desc d = fp32_desc(ta, tb, 2, 2);
      const lt_problem p = to_column_major(d);
      EXPECT_EQ(p.m, 4u);
      EXPECT_EQ(p.n, 3u);
      EXPECT_EQ(p.k, 5u);
      EXPECT_EQ(p.op_a, tb != 0 ? CUBLAS_OP_T : CUBLAS_OP_N);
      EXPECT_EQ(p.op_b, ta != 0 ? CUBLAS_OP_T : CUBLAS_OP_N);
      EXPECT_EQ(p.a.ld, d.ldb);
      EXPECT_EQ(p.b.ld, d.lda);
      EXPECT_EQ(p.c.rows, 4u);
      EXPECT_EQ(p.c.cols, 3u);
      EXPECT_EQ(p.a.stride, d.stride_b);
      EXPECT_GE(p.a.ld, static_cast<int64_t>(p.a.rows));
      EXPECT_GE(p.b.ld, static_cast<int64_t>(p.b.rows));
      std::vector<double> a(static_cast<size_t>(operand_elements(d, 'a')));
      std::vector<double> b(static_cast<size_t>(operand_elements(d, 'b')));
      for (size_t i = 0; i < a.size(); ++i) {
        a[i] = static_cast<double>((i * 7) % 11) - 5;
      }
      for (size_t i = 0; i < b.size(); ++i) {
        b[i] = static_cast<double>((i * 5) % 13) - 6;
      }
      for (int64_t e = 0; e < d.batch; ++e) {
        for (int64_t i = 0; i < d.m; ++i) {
          for (int64_t j = 0; j < d.n; ++j) {
            double row = 0, col = 0;
            for (int64_t l = 0; l < d.k; ++l) {
              row += a[static_cast<size_t>(e * d.stride_a + (ta ? l * d.lda + i : i * d.lda + l))] *
                     b[static_cast<size_t>(e * d.stride_b + (tb ? j * d.ldb + l : l * d.ldb + j))];
              // Column-major: C'(j, i) = sum op(A')(j, l) op(B')(l, i), A' = b, B' = a.
              const int64_t ia = p.op_a == CUBLAS_OP_N ? j + l * p.a.ld : l + j * p.a.ld;
              const int64_t ib = p.op_b == CUBLAS_OP_N ? l + i * p.b.ld : i + l * p.b.ld;
              col += b[static_cast<size_t>(e * p.a.stride + ia)] *
                     a[static_cast<size_t>(e * p.b.stride + ib)];
            }
            EXPECT_EQ(row, col) << "ta=" << ta << " tb=" << tb;
          }
        }
      }
    }
  }
}

TEST(cuda_logic, descriptor_checks_give_reasons) {
  std::string reason;
  EXPECT_EQ(check_gemm_desc(nullptr, reason), SL_INVALID_ARGUMENT);
  sl_gemm_desc d = fp32_desc();
  EXPECT_EQ(check_gemm_desc(&d, reason), SL_OK) << reason;
  d.ldc = 3;
  EXPECT_EQ(check_gemm_desc(&d, reason), SL_INVALID_ARGUMENT);
  EXPECT_NE(reason.find("ldc"), std::string::npos) << reason;
  d = fp32_desc(0, 0, 0, 2);
  d.stride_a = 1;
  EXPECT_EQ(check_gemm_desc(&d, reason), SL_UNSUPPORTED) << "overlapping inputs";
  d = fp32_desc();
  d.beta = NAN;
  EXPECT_EQ(check_gemm_desc(&d, reason), SL_INVALID_ARGUMENT);
  d = fp32_desc();
  d.batch = int64_t{1} << 33;
  d.stride_a = d.stride_b = d.stride_c = 20;
  EXPECT_EQ(check_gemm_desc(&d, reason), SL_UNSUPPORTED) << reason;
}

TEST(cuda_logic, scales_are_encoded_exactly_or_refused) {
  unsigned char out[8];
  std::string reason;
  EXPECT_TRUE(encode_scale(1.0 / 3.0, CUDA_R_64F, out, reason));
  EXPECT_FALSE(encode_scale(1.0 / 3.0, CUDA_R_32F, out, reason));
  EXPECT_TRUE(encode_scale(-0.75, CUDA_R_32F, out, reason));
  float f = 0;
  std::memcpy(&f, out, sizeof f);
  EXPECT_EQ(f, -0.75f);
  EXPECT_FALSE(encode_scale(1.5, CUDA_R_32I, out, reason));
  EXPECT_NE(reason.find("integer"), std::string::npos);
  EXPECT_TRUE(encode_scale(-3, CUDA_R_32I, out, reason));
  int32_t i = 0;
  std::memcpy(&i, out, sizeof i);
  EXPECT_EQ(i, -3);
}

TEST(cuda_logic, fill_encodings_match_known_bit_patterns) {
  EXPECT_EQ(encode_value(1.0, SL_DTYPE_FP16), 0x3c00u);
  EXPECT_EQ(encode_value(-0.5, SL_DTYPE_FP16), 0xb800u);
  EXPECT_EQ(encode_value(0x1p-24, SL_DTYPE_FP16), 0x0001u); // smallest subnormal
  EXPECT_EQ(encode_value(0.0, SL_DTYPE_FP16), 0x0000u);
  EXPECT_EQ(encode_value(1.0, SL_DTYPE_BF16), 0x3f80u);
  EXPECT_EQ(encode_value(-1.0, SL_DTYPE_BF16), 0xbf80u);
  EXPECT_EQ(encode_value(1.0, SL_DTYPE_FP8_E4M3), 0x38u);
  EXPECT_EQ(encode_value(-0.125, SL_DTYPE_FP8_E4M3), 0xa0u);
  EXPECT_EQ(encode_value(0x1p-9, SL_DTYPE_FP8_E4M3), 0x01u); // smallest subnormal
  EXPECT_EQ(encode_value(0.875, SL_DTYPE_FP8_E5M2), 0x3bu);
  EXPECT_EQ(encode_value(-1.0, SL_DTYPE_FP8_E5M2), 0xbcu);
  EXPECT_EQ(encode_value(-128, SL_DTYPE_INT8) & 0xff, 0x80u);
  EXPECT_EQ(encode_value(255, SL_DTYPE_UINT8) & 0xff, 0xffu);
  EXPECT_EQ(encode_value(-2, SL_DTYPE_INT32) & 0xffffffffu, 0xfffffffeu);
  EXPECT_EQ(encode_value(0.5, SL_DTYPE_FP32), 0x3f000000u);
  EXPECT_EQ(encode_value(-2.0, SL_DTYPE_FP64), 0xc000000000000000ull);
}

// Every fp16 generator value k/1024, k in [-1024, 1023], encodes to bits that decode back.
TEST(cuda_logic, fp16_encoding_round_trips_every_generator_value) {
  for (int k = -1024; k < 1024; ++k) {
    const double v = k / 1024.0;
    const auto h = static_cast<uint32_t>(encode_value(v, SL_DTYPE_FP16));
    const int exp = static_cast<int>(h >> 10) & 0x1f;
    const int man = static_cast<int>(h) & 0x3ff;
    const double mag = exp == 0 ? std::ldexp(man, -24) : std::ldexp(1024 + man, exp - 25);
    EXPECT_EQ((h & 0x8000) != 0 ? -mag : mag, v) << k;
  }
}

TEST(cuda_logic, inventory_text_is_formatted_as_nvml_does) {
  EXPECT_EQ(cuda_version_text(13000), "13.0");
  EXPECT_EQ(cuda_version_text(12040), "12.4");
  EXPECT_EQ(cuda_version_text(0), "none");
  EXPECT_EQ(cublas_version_text(130100), "13.1.0");
  EXPECT_EQ(cublas_version_text(120902), "12.9.2");
  const unsigned char uuid[16] = {0x12, 0x34, 0x56, 0x78, 0x9a, 0xbc, 0xde, 0xf0,
                                  0x01, 0x23, 0x45, 0x67, 0x89, 0xab, 0xcd, 0xef};
  EXPECT_EQ(gpu_uuid_text(uuid), "GPU-12345678-9abc-def0-0123-456789abcdef");
  EXPECT_EQ(pci_bus_id_text(0, 0x19, 0), "00000000:19:00.0");
  EXPECT_EQ(arch_text(9, 0), "sm_90");
  EXPECT_EQ(join_versions({{"CUDA runtime", "13.0"}, {"NVML", "unavailable: a;b=c"}}),
            "CUDA runtime=13.0;NVML=unavailable: a,b,c");
}

TEST(cuda_logic, algorithm_description_names_the_configuration) {
  EXPECT_EQ(tile_name(20), "128x128");
  EXPECT_EQ(tile_name(23), "128x256");
  EXPECT_EQ(stages_name(36), "128xAUTO");
  EXPECT_EQ(cluster_name(0), "auto");
  EXPECT_EQ(cluster_name(3), "2x1x1");
  EXPECT_EQ(tile_name(99999), "id 99999");
  EXPECT_EQ(reduction_name(1), "in-place");
  algo_config c;
  c.id = 66;
  c.tile = 23;
  c.stages = 36;
  c.splitk = 1;
  algo_choice timed;
  timed.candidates = 8;
  timed.timed = true;
  timed.rank = 2;
  timed.first_ms = 1.5;
  timed.chosen_ms = 1.25;
  const std::string text =
      describe_algo("cuBLASLt 13.1.0", "bf16 x bf16 -> bf16", "CUBLAS_COMPUTE_32F", c, timed);
  EXPECT_NE(text.find("algo 66, tile 128x256, stages 128xAUTO"), std::string::npos) << text;
  EXPECT_NE(text.find("fastest of 8"), std::string::npos) << text;
  EXPECT_NE(text.find("rank 3"), std::string::npos) << text;
  algo_choice untimed;
  untimed.candidates = 3;
  untimed.untimed_reason = "no memory";
  EXPECT_NE(describe_algo("x", "y", "z", c, untimed).find("not timed: no memory"),
            std::string::npos);
}

TEST(cuda_logic, nvml_clock_event_reasons_map_to_throttle_bits) {
  EXPECT_EQ(throttle_from_nvml(0), 0U);
  EXPECT_EQ(throttle_from_nvml(0x1), 0U) << "idle is not throttling";
  EXPECT_EQ(throttle_from_nvml(0x4), static_cast<uint64_t>(SL_THROTTLE_POWER_CAP));
  EXPECT_EQ(throttle_from_nvml(0x20 | 0x40), static_cast<uint64_t>(SL_THROTTLE_THERMAL));
  EXPECT_EQ(throttle_from_nvml(0x8 | 0x80), static_cast<uint64_t>(SL_THROTTLE_HW_SLOWDOWN));
  EXPECT_EQ(throttle_from_nvml(0x2), static_cast<uint64_t>(SL_THROTTLE_CLOCK_SET));
  EXPECT_EQ(throttle_from_nvml(0x1000), static_cast<uint64_t>(SL_THROTTLE_OTHER));
  EXPECT_EQ(throttle_from_nvml(0x4 | 0x40 | 0x1),
            static_cast<uint64_t>(SL_THROTTLE_POWER_CAP | SL_THROTTLE_THERMAL));
}

TEST(cuda_logic, sensor_values_fill_only_the_fields_read) {
  sl_telemetry t{};
  t.struct_size = sizeof t;
  sensor_values v;
  v.sm_clock_mhz = 1980;
  v.power_w = 612.5;
  v.energy_j = 12345.678;
  v.clock_events = 0x4;
  EXPECT_EQ(to_telemetry(v, "", t), SL_OK);
  EXPECT_EQ(t.struct_size, sizeof t);
  EXPECT_EQ(t.valid, static_cast<uint32_t>(SL_TELEMETRY_CLOCK | SL_TELEMETRY_POWER |
                                           SL_TELEMETRY_ENERGY | SL_TELEMETRY_THROTTLE));
  EXPECT_EQ(t.clock_mhz, 1980U);
  EXPECT_DOUBLE_EQ(t.power_w, 612.5);
  EXPECT_DOUBLE_EQ(t.energy_j, 12345.678);
  EXPECT_EQ(t.throttle, static_cast<uint64_t>(SL_THROTTLE_POWER_CAP));

  sl_telemetry none{};
  none.struct_size = sizeof none;
  const std::string long_note(500, 'x');
  EXPECT_EQ(to_telemetry({}, long_note, none), SL_UNSUPPORTED);
  EXPECT_EQ(none.valid, 0U);
  EXPECT_EQ(std::string(none.note), long_note.substr(0, sizeof none.note - 1));
}

} // namespace
} // namespace suanli::cuda
