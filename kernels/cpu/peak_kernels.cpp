#include <kernels/cpu/peak_kernels.hpp>

#include <cstring>

#if defined(__x86_64__)
#include <immintrin.h>
#endif

namespace suanli::cpu {

#if defined(__x86_64__)
namespace {

// Inputs read through volatile so the compiler cannot fold the arithmetic away.
volatile float g_one_f = 1.0f;
volatile float g_tiny_f = 1.0e-7f;
volatile double g_one_d = 1.0;
volatile double g_tiny_d = 1.0e-15;
volatile char g_one_i8 = 1;

// Fold the bits of n_bytes of accumulators into 64 bits (keeps every result alive).
uint64_t fold(const void *acc, size_t n_bytes) {
  uint64_t h = 0;
  for (size_t i = 0; i + 8 <= n_bytes; i += 8) {
    uint64_t w = 0;
    std::memcpy(&w, static_cast<const char *>(acc) + i, 8);
    h = (h ^ w) * 0x100000001b3ull;
  }
  return h;
}

// The timed loop: every iteration updates each accumulator once; the updates are independent.
#define SUANLI_PEAK_LOOP(n_acc, step)                                                              \
  for (uint64_t it = 0; it < iterations; ++it) {                                                   \
    _Pragma("GCC unroll 16") for (int j = 0; j < (n_acc); ++j) {                                   \
      acc[j] = (step);                                                                             \
    }                                                                                              \
  }                                                                                                \
  return fold(acc, sizeof acc)

__attribute__((target("avx512f"))) uint64_t fp64_avx512(uint64_t iterations) {
  const __m512d x = _mm512_set1_pd(g_one_d), y = _mm512_set1_pd(g_tiny_d);
  __m512d acc[16];
  for (auto &a : acc)
    a = y;
  SUANLI_PEAK_LOOP(16, _mm512_fmadd_pd(acc[j], x, y));
}

__attribute__((target("avx,fma"))) uint64_t fp64_avx2(uint64_t iterations) {
  const __m256d x = _mm256_set1_pd(g_one_d), y = _mm256_set1_pd(g_tiny_d);
  __m256d acc[12];
  for (auto &a : acc)
    a = y;
  SUANLI_PEAK_LOOP(12, _mm256_fmadd_pd(acc[j], x, y));
}

uint64_t fp64_sse2(uint64_t iterations) {
  const __m128d x = _mm_set1_pd(g_one_d), y = _mm_set1_pd(g_tiny_d);
  __m128d acc[12];
  for (auto &a : acc)
    a = y;
  SUANLI_PEAK_LOOP(12, (j % 2 == 0) ? _mm_mul_pd(acc[j], x) : _mm_add_pd(acc[j], y));
}

__attribute__((target("avx512f"))) uint64_t fp32_avx512(uint64_t iterations) {
  const __m512 x = _mm512_set1_ps(g_one_f), y = _mm512_set1_ps(g_tiny_f);
  __m512 acc[16];
  for (auto &a : acc)
    a = y;
  SUANLI_PEAK_LOOP(16, _mm512_fmadd_ps(acc[j], x, y));
}

__attribute__((target("avx,fma"))) uint64_t fp32_avx2(uint64_t iterations) {
  const __m256 x = _mm256_set1_ps(g_one_f), y = _mm256_set1_ps(g_tiny_f);
  __m256 acc[12];
  for (auto &a : acc)
    a = y;
  SUANLI_PEAK_LOOP(12, _mm256_fmadd_ps(acc[j], x, y));
}

uint64_t fp32_sse2(uint64_t iterations) {
  const __m128 x = _mm_set1_ps(g_one_f), y = _mm_set1_ps(g_tiny_f);
  __m128 acc[12];
  for (auto &a : acc)
    a = y;
  SUANLI_PEAK_LOOP(12, (j % 2 == 0) ? _mm_mul_ps(acc[j], x) : _mm_add_ps(acc[j], y));
}

__attribute__((target("avx512f,avx512bf16"))) uint64_t bf16_avx512(uint64_t iterations) {
  const __m512 one = _mm512_set1_ps(g_one_f), tiny = _mm512_set1_ps(g_tiny_f);
  const __m512bh x = _mm512_cvtne2ps_pbh(one, one), y = _mm512_cvtne2ps_pbh(tiny, tiny);
  __m512 acc[16];
  for (auto &a : acc)
    a = one;
  SUANLI_PEAK_LOOP(16, _mm512_dpbf16_ps(acc[j], x, y));
}

__attribute__((target("avx512f,avx512fp16"))) uint64_t fp16_avx512(uint64_t iterations) {
  const __m512h x = _mm512_set1_ph(static_cast<_Float16>(g_one_f));
  const __m512h y = _mm512_set1_ph(static_cast<_Float16>(1.0f / 4096.0f * g_one_f));
  __m512h acc[16];
  for (auto &a : acc)
    a = y;
  SUANLI_PEAK_LOOP(16, _mm512_fmadd_ph(acc[j], x, y));
}

__attribute__((target("avx512f,avx512vnni"))) uint64_t int8_avx512(uint64_t iterations) {
  const __m512i x = _mm512_set1_epi8(g_one_i8), y = _mm512_set1_epi8(g_one_i8);
  __m512i acc[16];
  for (auto &a : acc)
    a = x;
  SUANLI_PEAK_LOOP(16, _mm512_dpbusd_epi32(acc[j], x, y));
}

__attribute__((target("avx2,avxvnni"))) uint64_t int8_avx_vnni(uint64_t iterations) {
  const __m256i x = _mm256_set1_epi8(g_one_i8), y = _mm256_set1_epi8(g_one_i8);
  __m256i acc[12];
  for (auto &a : acc)
    a = x;
  SUANLI_PEAK_LOOP(12, _mm256_dpbusd_avx_epi32(acc[j], x, y));
}

#undef SUANLI_PEAK_LOOP

// ops per iteration = accumulators x lanes x ops per lane per instruction
constexpr peak_kernel k_kernels[] = {
    {SL_DTYPE_FP64, "avx512f", "_mm512_fmadd_pd", 512, 16, 16 * 8 * 2.0, fp64_avx512},
    {SL_DTYPE_FP64, "fma", "_mm256_fmadd_pd", 256, 12, 12 * 4 * 2.0, fp64_avx2},
    {SL_DTYPE_FP64, nullptr, "_mm_mul_pd + _mm_add_pd", 128, 12, 12 * 2 * 1.0, fp64_sse2},
    {SL_DTYPE_FP32, "avx512f", "_mm512_fmadd_ps", 512, 16, 16 * 16 * 2.0, fp32_avx512},
    {SL_DTYPE_FP32, "fma", "_mm256_fmadd_ps", 256, 12, 12 * 8 * 2.0, fp32_avx2},
    {SL_DTYPE_FP32, nullptr, "_mm_mul_ps + _mm_add_ps", 128, 12, 12 * 4 * 1.0, fp32_sse2},
    {SL_DTYPE_BF16, "avx512_bf16", "_mm512_dpbf16_ps", 512, 16, 16 * 16 * 2 * 2.0, bf16_avx512},
    {SL_DTYPE_FP16, "avx512_fp16", "_mm512_fmadd_ph", 512, 16, 16 * 32 * 2.0, fp16_avx512},
    {SL_DTYPE_INT8, "avx512_vnni", "_mm512_dpbusd_epi32", 512, 16, 16 * 16 * 4 * 2.0, int8_avx512},
    {SL_DTYPE_INT8, "avx_vnni", "_mm256_dpbusd_avx_epi32", 256, 12, 12 * 8 * 4 * 2.0,
     int8_avx_vnni},
};

} // namespace

const peak_kernel *find_peak_kernel(sl_dtype dtype, const cpu_info &cpu) {
  for (const peak_kernel &k : k_kernels) {
    if (k.dtype == dtype && (k.required_flag == nullptr || cpu.has(k.required_flag))) {
      return &k;
    }
  }
  return nullptr;
}

#else

const peak_kernel *find_peak_kernel(sl_dtype, const cpu_info &) {
  return nullptr;
}

#endif

} // namespace suanli::cpu
