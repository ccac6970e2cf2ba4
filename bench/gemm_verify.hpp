#pragma once

#include <bench/backend.hpp>
#include <bench/gemm_problem.hpp>

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>

namespace suanli::bench {

/// How a GEMM output is checked (DESIGN.md, Verification).
struct gemm_verify_options {
  int freivalds_vectors = 3;   ///< random +-1 vectors r: C r against A (B r)
  int sampled_elements = 256;  ///< output elements recomputed exactly in fp64
  double row_safety = 8.0;     ///< multiple of the rounding-error estimate a row may differ by
  double element_safety = 8.0; ///< same for a sampled element
};

/// Outcome of checking one GEMM output.
struct gemm_verification {
  bool passed = false;          ///< every check held
  std::string method;           ///< what was done, in words
  int64_t rows_checked = 0;     ///< Freivalds rows (x vectors x batch)
  int64_t rows_failed = 0;      ///< rows outside tolerance
  int64_t elements_checked = 0; ///< sampled elements recomputed
  int64_t elements_failed = 0;  ///< sampled elements outside tolerance
  double worst_ratio = 0;       ///< largest |error| / tolerance seen (0 for exact matches)
  double scale_error = 0;       ///< least-squares slope of C r on A (B r), minus 1
  double scale_tolerance = 0;   ///< bound on |scale_error| from the rows' rounding noise
  std::string first_failure;    ///< where and by how much the first failure was, or empty
  double seconds = 0;           ///< wall time of the verification [s]
};

/// Check a GEMM output `c` (host copy, c_type elements with the problem's layout) against
/// inputs regenerated on the host from `seeds`. `check_seed` chooses the random vectors and
/// sampled elements; draw it only after the output exists. Integer GEMMs must match exactly;
/// floating ones within dtype- and K-aware tolerances.
[[nodiscard]] gemm_verification verify_gemm(const gemm_problem &gemm, const tensor_seeds &seeds,
                                            std::span<const std::byte> c, uint64_t check_seed,
                                            const gemm_verify_options &options = {});

} // namespace suanli::bench
