// The AVX-512F attention kernels: fp32 tiles straight from Q/K/V memory; bf16 tiles converted to
// fp32 (exactly) into the pack scratch first, then computed as fp32.

#include <kernels/cpu/attention_avx512.hpp>

namespace suanli::cpu {

#if defined(__x86_64__)

namespace avx512 {
namespace {

// rows x D bf16 elements, rows stride apart -> rows x D fp32, packed
template <int D>
SUANLI_TARGET_AVX512 void widen(const uint16_t *src, int64_t stride, int rows, float *dst) {
  for (int r = 0; r < rows; ++r) {
#pragma GCC unroll 4
    for (int c = 0; c < D; c += 16) {
      const __m256i h = _mm256_loadu_si256(reinterpret_cast<const __m256i *>(src + r * stride + c));
      const __m512i w = _mm512_slli_epi32(_mm512_cvtepu16_epi32(h), 16);
      _mm512_storeu_ps(dst + r * D + c, _mm512_castsi512_ps(w));
    }
  }
}

template <int D> SUANLI_TARGET_AVX512 void step_bf16_widened(const attention_tile &t) {
  auto *k = static_cast<float *>(t.pack);
  float *v = k + k_attention_kv_tile * D;
  widen<D>(static_cast<const uint16_t *>(t.k), t.kv_stride, t.keys, k);
  widen<D>(static_cast<const uint16_t *>(t.v), t.kv_stride, t.keys, v);
  step_fp32_rows<D>(t, k, v, D);
}

constexpr attention_kernels k_kernels = {
    "avx512f",
    "avx512f avx512dq avx512bw avx512vl fma",
    false,
    {step_fp32<64>, step_fp32<128>, step_fp32<256>},
    {step_bf16_widened<64>, step_bf16_widened<128>, step_bf16_widened<256>},
};

} // namespace
} // namespace avx512

const attention_kernels *attention_kernels_avx512() {
  return &avx512::k_kernels;
}

#else

const attention_kernels *attention_kernels_avx512() {
  return nullptr;
}

#endif

} // namespace suanli::cpu
