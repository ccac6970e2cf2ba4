#pragma once
// Microkernels that keep every FMA (or dot-product) pipe busy: many independent accumulators in
// registers, inputs the compiler cannot see, results folded into a returned value.

#include <kernels/abi/suanli_backend.h>
#include <kernels/cpu/cpu_info.hpp>

#include <cstdint>

namespace suanli::cpu {

/// One microkernel: an instruction at one vector width for one dtype.
struct peak_kernel {
  sl_dtype dtype;                       ///< dtype whose rate it measures
  const char *required_flag;            ///< /proc/cpuinfo flag it needs; NULL: baseline x86-64
  const char *instruction;              ///< e.g. "_mm512_fmadd_ps"
  uint32_t vector_bits;                 ///< register width [bits]
  uint32_t accumulators;                ///< independent accumulator registers
  double ops_per_iteration;             ///< FLOP (OP for int8) per loop iteration
  uint64_t (*run)(uint64_t iterations); ///< runs the loop; returns folded accumulator bits
};

/// The widest kernel for dtype the CPU supports; NULL when none.
const peak_kernel *find_peak_kernel(sl_dtype dtype, const cpu_info &cpu);

} // namespace suanli::cpu
