// Choosing the attention kernels at run time from the CPU flags, under an optional ISA cap.

#include <kernels/cpu/attention_kernels.hpp>
#include <kernels/cpu/context.hpp>
#include <kernels/cpu/peak_kernels.hpp>

#include <algorithm>
#include <sstream>

namespace suanli::cpu {

namespace {

// Fastest first; the portable kernels close the list.
const attention_kernels *candidate(int i) {
  switch (i) {
  case 0: return attention_kernels_avx512_bf16();
  case 1: return attention_kernels_avx512();
  case 2: return attention_kernels_avx2();
  default: return &attention_kernels_portable();
  }
}

constexpr int k_candidates = 4;

bool supported(const attention_kernels &k, const cpu_info &cpu) {
  std::istringstream flags(k.required_flags);
  std::string flag;
  while (flags >> flag) {
    if (!cpu.has(flag)) {
      return false;
    }
  }
  return true;
}

// Best single-thread rate of a peak microkernel over a few short runs [FLOP/s].
double kernel_rate(const peak_kernel &kernel) {
  constexpr uint64_t k_iterations = 50000; // about 1 ms
  double best = 0;
  for (int run = 0; run < 3; ++run) {
    const uint64_t t0 = monotonic_ns();
    volatile uint64_t sink = kernel.run(k_iterations);
    (void)sink;
    const auto seconds = static_cast<double>(monotonic_ns() - t0) * 1e-9;
    best = std::max(best, kernel.ops_per_iteration * static_cast<double>(k_iterations) / seconds);
  }
  return best;
}

// Whether _mm512_dpbf16_ps does at least 1.3x the FLOPs of _mm512_fmadd_ps on this CPU (2x on
// AMD Zen 4; 1x on Intel Sapphire Rapids, where the bf16 kernels' extra packing of P and V makes
// them slower than widening bf16 to fp32). Timed once per process (a few ms).
bool bf16_dot_products_pay(const cpu_info &cpu) {
  static const bool pays = [&cpu] {
    const peak_kernel *bf16 = find_peak_kernel(SL_DTYPE_BF16, cpu);
    const peak_kernel *fp32 = find_peak_kernel(SL_DTYPE_FP32, cpu);
    return bf16 != nullptr && fp32 != nullptr && kernel_rate(*bf16) >= 1.3 * kernel_rate(*fp32);
  }();
  return pays;
}

} // namespace

bool valid_attention_isa_cap(const std::string &cap, std::string &reason) {
  if (cap.empty()) {
    return true;
  }
  std::string known;
  for (int i = 0; i < k_candidates; ++i) {
    if (const attention_kernels *k = candidate(i); k != nullptr) {
      if (cap == k->isa) {
        return true;
      }
      known += std::string(known.empty() ? "" : ", ") + k->isa;
    }
  }
  reason = "SUANLI_CPU_ISA=" + cap + " is not a known ISA level (known: " + known + ")";
  return false;
}

const attention_kernels &select_attention_kernels(const cpu_info &cpu, const std::string &cap,
                                                  sl_dtype qkv_type) {
  bool below_cap = cap.empty();
  for (int i = 0; i < k_candidates; ++i) {
    const attention_kernels *k = candidate(i);
    if (k == nullptr) {
      continue;
    }
    below_cap = below_cap || cap == k->isa;
    if (!below_cap || !supported(*k, cpu)) {
      continue;
    }
    // bf16 dot products only where they pay, unless the cap names their level
    if (k->bf16_pairs && qkv_type == SL_DTYPE_BF16 && cap != k->isa &&
        !bf16_dot_products_pay(cpu)) {
      continue;
    }
    return *k;
  }
  return attention_kernels_portable();
}

} // namespace suanli::cpu
