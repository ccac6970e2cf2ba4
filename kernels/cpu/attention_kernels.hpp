#pragma once
// The interface between the attention driver (tiling, threads, output) and the per-ISA kernels
// that process one key/value tile for one query tile with an online softmax.
//
// Everything is laid out "queries in lanes": the packed Q tile, the scores S[key][query], the
// running max m, sum l and the O accumulator O^T[dim][query] keep the q_tile queries of a tile
// contiguous, so softmax statistics are lane-wise and never need a horizontal reduction.

#include <kernels/abi/suanli_backend.h>
#include <kernels/cpu/cpu_info.hpp>

#include <cstdint>
#include <string>

namespace suanli::cpu {

/// Queries per tile: lanes of the packed Q, the scores, m, l and the O accumulator.
constexpr int32_t k_attention_q_tile = 64;

/// Keys per tile: rows of the score tile.
constexpr int32_t k_attention_kv_tile = 64;

/// One key/value tile of work for one query tile.
struct attention_tile {
  const void *q;      ///< packed Q: fp32 [d_qk][q_tile], or bf16 pairs uint32 [d_qk/2][q_tile]
  const void *k;      ///< first key row of the tile, in the qkv dtype, rows kv_stride apart
  const void *v;      ///< first value row of the tile, in the qkv dtype, rows kv_stride apart
  int64_t kv_stride;  ///< elements between consecutive key (and value) rows
  int32_t keys;       ///< valid keys in the tile, 1..k_attention_kv_tile
  int32_t masked;     ///< 1: causal diagonal tile, apply mask_shift
  int32_t mask_shift; ///< lane i sees key row r of the tile iff i >= r + mask_shift
  float scale_log2;   ///< softmax_scale * log2(e)
  float *m;           ///< running max of scale_log2 * s [q_tile]; -inf before the first key
  float *l;           ///< running sum of 2^(scale_log2 * s - m) [q_tile]
  float *o;           ///< O accumulator O^T [d_v][q_tile], rescaled to the current m
  float *s;           ///< scratch: scores, then probabilities [kv_tile][q_tile]
  float *alpha;       ///< scratch: rescale factor of this tile [q_tile]
  void *pack;         ///< scratch: packed or converted K/V, attention_pack_bytes()
};

/// Processes one tile: scores, mask, online-softmax update, O^T = alpha * O^T + V^T P.
using attention_step_fn = void (*)(const attention_tile &tile);

/// Index of a supported head dimension in the step tables: 64 -> 0, 128 -> 1, 256 -> 2; -1 else.
inline int head_dim_index(int64_t d) {
  return d == 64 ? 0 : d == 128 ? 1 : d == 256 ? 2 : -1;
}

/// The kernels of one ISA level.
struct attention_kernels {
  const char *isa;            ///< "avx512_bf16", "avx512f", "avx2" or "portable"
  const char *required_flags; ///< /proc/cpuinfo flags it needs, space-separated; "": baseline
  bool bf16_pairs;            ///< bf16 Q is packed as pairs for native bf16 dot products
  attention_step_fn fp32[3];  ///< fp32 Q/K/V, per head_dim_index
  attention_step_fn bf16[3];  ///< bf16 Q/K/V, per head_dim_index
};

/// Scratch for packed or converted K/V of one tile at head dimension d [bytes].
inline uint64_t attention_pack_bytes(int64_t d) {
  return 2 * static_cast<uint64_t>(k_attention_kv_tile) * static_cast<uint64_t>(d) * 4;
}

/// The fastest kernels the CPU supports at or below the ISA cap ("" = no cap) for Q/K/V of
/// qkv_type. bf16 dot-product kernels are taken only where the CPU runs them faster than fp32
/// FMAs (timed once per process), or when the cap names their level exactly.
const attention_kernels &select_attention_kernels(const cpu_info &cpu, const std::string &cap,
                                                  sl_dtype qkv_type);

/// Whether cap is a valid SUANLI_CPU_ISA value ("", "portable", "avx2", "avx512f",
/// "avx512_bf16"); otherwise reason names the accepted values.
bool valid_attention_isa_cap(const std::string &cap, std::string &reason);

/// AVX-512F kernels (fp32; bf16 converted to fp32 per tile); NULL off x86-64.
const attention_kernels *attention_kernels_avx512();
/// AVX-512 BF16 kernels (fp32 as AVX-512F; bf16 with _mm512_dpbf16_ps); NULL off x86-64.
const attention_kernels *attention_kernels_avx512_bf16();
/// Plain C++ kernels compiled for AVX2 + FMA; NULL off x86-64.
const attention_kernels *attention_kernels_avx2();
/// Plain C++ kernels for the baseline ISA.
const attention_kernels &attention_kernels_portable();

} // namespace suanli::cpu
