// The portable attention kernels: attention_lanes.hpp over 16-byte vectors, which every x86-64
// CPU (SSE2) and other 64-bit targets have. The plugin is compiled with ISO C++, so a*b+c is not
// contracted into FMAs here.

#include <kernels/cpu/attention_exp.hpp>
#include <kernels/cpu/attention_kernels.hpp>

#include <algorithm>
#include <cmath>
#include <cstring>

namespace suanli::cpu {

namespace {

#define SUANLI_LANES_BYTES 16
#include <kernels/cpu/attention_lanes.hpp>
#undef SUANLI_LANES_BYTES

constexpr attention_kernels k_portable = {
    "portable",
    "",
    false,
    {step_fp32<64>, step_fp32<128>, step_fp32<256>},
    {step_bf16<64>, step_bf16<128>, step_bf16<256>},
};

} // namespace

const attention_kernels &attention_kernels_portable() {
  return k_portable;
}

} // namespace suanli::cpu
