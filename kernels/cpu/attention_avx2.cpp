// The AVX2 attention kernels: attention_lanes.hpp over 32-byte vectors with FMA, compiled for
// AVX2 + FMA by a target pragma over this file's kernels only (the plugin is compiled for
// baseline x86-64 and calls them after checking the CPU flags).

#include <kernels/cpu/attention_exp.hpp>
#include <kernels/cpu/attention_kernels.hpp>

#include <algorithm>
#include <cmath>
#include <cstring>

#if defined(__x86_64__)
#include <immintrin.h>
#endif

namespace suanli::cpu {

#if defined(__x86_64__)

#if defined(__clang__)
#pragma clang attribute push(__attribute__((target("avx2,fma"))), apply_to = function)
#else
#pragma GCC push_options
#pragma GCC target("avx2,fma")
#endif

namespace {

#define SUANLI_LANES_BYTES 32
#define SUANLI_LANES_FMA(a, b, c) (lanes) _mm256_fmadd_ps((__m256)(a), (__m256)(b), (__m256)(c))
#include <kernels/cpu/attention_lanes.hpp>
#undef SUANLI_LANES_FMA
#undef SUANLI_LANES_BYTES

constexpr attention_kernels k_avx2 = {
    "avx2",
    "avx2 fma",
    false,
    {step_fp32<64>, step_fp32<128>, step_fp32<256>},
    {step_bf16<64>, step_bf16<128>, step_bf16<256>},
};

} // namespace

#if defined(__clang__)
#pragma clang attribute pop
#else
#pragma GCC pop_options
#endif

const attention_kernels *attention_kernels_avx2() {
  return &k_avx2;
}

#else

const attention_kernels *attention_kernels_avx2() {
  return nullptr;
}

#endif

} // namespace suanli::cpu
