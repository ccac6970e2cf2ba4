#include <kernels/cpu/uarch.hpp>

#include <algorithm>
#include <string_view>

namespace suanli::cpu {

namespace {

struct uarch_rule {
  const char *vendor_id;       // NULL: any vendor
  uint32_t family;             // 0: any family
  uint32_t model_lo, model_hi; // inclusive model range
  const char *required_flag;   // NULL: none
  const char *name;
  uint32_t pipes, width_bits, flop_per_lane;
  const char *note;
};

// First matching rule wins. Sources: AMD Software Optimization Guides for families 17h, 19h
// (Zen4: "512-bit instructions are executed as two 256-bit operations"), 1Ah; Intel optimization
// manual (Skylake-SP and later with two 512-bit FMA units on most server SKUs).
constexpr uarch_rule k_rules[] = {
    {"AuthenticAMD", 0x17, 0x00, 0x2f, nullptr, "Zen/Zen+", 2, 128, 2, ""},
    {"AuthenticAMD", 0x17, 0x30, 0xff, nullptr, "Zen2", 2, 256, 2, ""},
    {"AuthenticAMD", 0x19, 0x10, 0x1f, nullptr, "Zen4", 2, 256, 2, "AVX-512 on 256-bit pipes"},
    {"AuthenticAMD", 0x19, 0x60, 0x7f, nullptr, "Zen4", 2, 256, 2, "AVX-512 on 256-bit pipes"},
    {"AuthenticAMD", 0x19, 0xa0, 0xaf, nullptr, "Zen4", 2, 256, 2, "AVX-512 on 256-bit pipes"},
    {"AuthenticAMD", 0x19, 0x00, 0xff, nullptr, "Zen3", 2, 256, 2, ""},
    {"AuthenticAMD", 0x1a, 0x00, 0xff, nullptr, "Zen5", 2, 512, 2,
     "full 512-bit pipes assumed; some mobile parts have 256-bit"},
    {"HygonGenuine", 0x18, 0x00, 0xff, nullptr, "Hygon Dhyana", 2, 128, 2, ""},
    {nullptr, 0, 0x00, 0xff, "avx512f", "AVX-512", 2, 512, 2, "2 FMA units assumed"},
    {nullptr, 0, 0x00, 0xff, "fma", "AVX2+FMA", 2, 256, 2, ""},
    {nullptr, 0, 0x00, 0xff, nullptr, "SSE2", 2, 128, 1, "1 mul + 1 add pipe"},
};

bool matches(const uarch_rule &r, const cpu_info &cpu) {
  return (r.vendor_id == nullptr || cpu.vendor_id == r.vendor_id) &&
         (r.family == 0 || cpu.family == r.family) && cpu.model >= r.model_lo &&
         cpu.model <= r.model_hi && (r.required_flag == nullptr || cpu.has(r.required_flag));
}

// Widest vector the OS has enabled [bits].
uint32_t enabled_width_bits(const cpu_info &cpu) {
  if (cpu.has("avx512f")) {
    return 512;
  }
  return cpu.has("avx") ? 256 : 128;
}

} // namespace

std::string fma_datapath::formula(uint32_t lane_bits, const char *lane_type) const {
  return std::to_string(pipes) + (flop_per_lane == 2 ? " FMA pipes x " : " mul/add pipes x ") +
         std::to_string(width_bits / lane_bits) + " " + lane_type + " lanes x " +
         std::to_string(flop_per_lane);
}

fma_datapath classify_datapath(const cpu_info &cpu) {
  for (const uarch_rule &r : k_rules) {
    if (!matches(r, cpu)) {
      continue;
    }
    fma_datapath d{r.name, r.pipes, r.width_bits, r.flop_per_lane, r.note};
    const uint32_t enabled = enabled_width_bits(cpu);
    if (enabled < d.width_bits) {
      d.width_bits = enabled;
      d.note += std::string(d.note.empty() ? "" : "; ") + "vector width capped to the enabled " +
                std::to_string(enabled) + " bits";
    }
    if (r.flop_per_lane == 2 && !cpu.has("fma")) {
      d.flop_per_lane = 1;
      d.note += std::string(d.note.empty() ? "" : "; ") + "no FMA enabled";
    }
    return d;
  }
  return {};
}

} // namespace suanli::cpu
