#pragma once
// Inputs and expected outputs of collective cases (DESIGN.md, Verification): rank-distinct,
// integer-valued inputs whose reductions are exact in any order, so every element of every
// timed iteration's output is compared bit for bit.

#include <bench/collective_problem.hpp>

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

namespace suanli::bench {

/// Why a problem's inputs cannot be made exact for nranks (e.g. "int8 sum over 200 ranks can
/// reach 200, beyond int8's 127"); empty when they can.
[[nodiscard]] std::string collective_exactness_problem(const collective_problem &p, int32_t nranks);

/// Host images of one rank's device buffers for one sample, and what its output must be.
struct collective_buffers {
  std::vector<std::byte> send;     ///< initial send buffer; empty when in place (all in recv)
  std::vector<std::byte> recv;     ///< initial recv buffer: in-place input where the operation
                                   ///< reads it, poison everywhere else
  bool recv_all_poison = false;    ///< recv holds no input, only poison: a loader may repeat
                                   ///< any prefix of it instead of reading it all
  uint64_t check_offset = 0;       ///< first element of recv the output check covers
  std::vector<std::byte> expected; ///< expected recv[check_offset ...]; empty: this rank has
                                   ///< no defined output (reduce on a non-root rank)
};

/// Buffers of `rank` of `nranks` for problem p (fitted to nranks), inputs derived from seed.
/// Requires collective_exactness_problem(p, nranks) to be empty.
[[nodiscard]] collective_buffers
make_collective_buffers(const collective_problem &p, int32_t nranks, int32_t rank, uint64_t seed);

/// Elements of `got` (the check region read back) that differ bitwise from `expected`.
struct collective_mismatch {
  uint64_t wrong = 0;        ///< elements that differ
  uint64_t first_index = 0;  ///< element index (within the region) of the first difference
  double first_got = 0;      ///< its value
  double first_expected = 0; ///< what it should have been
};

/// Compare a read-back region with the expected one (same length, dtype elements).
[[nodiscard]] collective_mismatch compare_collective_output(std::span<const std::byte> got,
                                                            std::span<const std::byte> expected,
                                                            sl_dtype dtype);

} // namespace suanli::bench
