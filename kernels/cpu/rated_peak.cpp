// rated_peak: cores x max clock x FLOP/cycle, FLOP/cycle from the datapath table and ISA flags.

#include <kernels/cpu/api.hpp>
#include <kernels/cpu/context.hpp>
#include <kernels/cpu/uarch.hpp>

#include <algorithm>
#include <sstream>

namespace suanli::cpu {

namespace {

// How a dtype's rate per cycle follows from the datapath. First matching rule per dtype wins.
struct rate_rule {
  sl_dtype dtype;
  const char *flag; // NULL: always applies
  double per_cycle; // > 0: absolute FLOP/cycle/core; < 0: -(multiple of the fp32 rate)
  const char *why;  // appended to the formula
};

constexpr rate_rule k_rates[] = {
    {SL_DTYPE_FP64, nullptr, -0.5, ""},
    {SL_DTYPE_FP32, nullptr, -1.0, ""},
    {SL_DTYPE_BF16, "amx_bf16", 1024.0, "AMX TMUL: 16x16x32 bf16 MACs per 16 cycles"},
    {SL_DTYPE_BF16, "avx512_bf16", -2.0, " x 2 (avx512_bf16 pair dot product)"},
    {SL_DTYPE_FP16, "avx512_fp16", -2.0, " x 2 (avx512_fp16: twice the fp32 lanes)"},
    {SL_DTYPE_INT8, "amx_int8", 2048.0, "AMX TMUL: 16x16x64 int8 MACs per 16 cycles"},
    {SL_DTYPE_INT8, "avx512_vnni", -4.0, " x 4 (avx512_vnni 4-way int8 dot product)"},
    {SL_DTYPE_INT8, "avx_vnni", -4.0, " x 4 (avx_vnni 4-way int8 dot product)"},
};

// Reasons for dtypes without a rule that applies.
std::string no_rate_reason(sl_dtype dtype) {
  switch (dtype) {
  case SL_DTYPE_TF32: return "rated_peak: no TF32 mode on CPUs";
  case SL_DTYPE_FP8_E4M3:
  case SL_DTYPE_FP8_E5M2: return "rated_peak: CPUs have no fp8 arithmetic";
  case SL_DTYPE_BF16:
    return "rated_peak: no avx512_bf16 or AMX on this CPU: bf16 has no native rate";
  case SL_DTYPE_FP16: return "rated_peak: no avx512_fp16 on this CPU: fp16 has no native rate";
  case SL_DTYPE_INT8: return "rated_peak: no VNNI or AMX on this CPU: int8 has no tabulated rate";
  default:
    return "rated_peak: dtype " + std::to_string(static_cast<int>(dtype)) +
           " is not a GEMM dtype (int8 GEMMs are rated under SL_DTYPE_INT8)";
  }
}

} // namespace

sl_status rated_peak(sl_context *ctx, int32_t device, sl_dtype dtype, double *flops_per_s,
                     char *source, size_t source_size) {
  if (const sl_status s = check_device(ctx, device, "rated_peak"); s != SL_OK) {
    return s;
  }
  if (flops_per_s == nullptr) {
    return fail(ctx, SL_INVALID_ARGUMENT, "rated_peak: flops_per_s is NULL");
  }
  return guarded(ctx, "rated_peak", [&] {
    const cpu_info &cpu = ctx->cpu;
    const auto rule = std::find_if(std::begin(k_rates), std::end(k_rates), [&](const rate_rule &r) {
      return r.dtype == dtype && (r.flag == nullptr || cpu.has(r.flag));
    });
    if (rule == std::end(k_rates)) {
      return fail(ctx, SL_UNSUPPORTED, no_rate_reason(dtype));
    }
    const fma_datapath path = classify_datapath(cpu);
    const clock_reading clock = max_clock(cpu);
    if (clock.mhz == 0) {
      return fail(ctx, SL_UNSUPPORTED,
                  "rated_peak: the maximum clock is unknown (" + clock.source + ")");
    }
    const auto cores = std::min<uint32_t>(static_cast<uint32_t>(ctx->threads), cpu.physical_cores);
    const double fp32_per_cycle = 2.0 * path.fp64_flop_per_cycle();
    const double per_cycle =
        rule->per_cycle > 0 ? rule->per_cycle : -rule->per_cycle * fp32_per_cycle;
    std::ostringstream why;
    if (rule->per_cycle > 0) {
      why << rule->why;
    } else {
      why << path.name << ": "
          << (dtype == SL_DTYPE_FP64 ? path.formula(64, "fp64") : path.formula(32, "fp32"))
          << rule->why;
    }
    if (!path.note.empty()) {
      why << "; " << path.note;
    }
    std::ostringstream text;
    text << cores << " cores (threads in use, of " << cpu.physical_cores << " physical) x "
         << clock.mhz << " MHz (" << clock.source << ") x " << per_cycle
         << (dtype == SL_DTYPE_INT8 ? " OP/cycle (" : " FLOP/cycle (") << why.str() << ')';
    *flops_per_s = cores * (clock.mhz * 1e6) * per_cycle;
    if (source == nullptr) {
      return SL_OK;
    }
    return copy_text(ctx, text.str(), source, source_size, "rated_peak");
  });
}

} // namespace suanli::cpu
