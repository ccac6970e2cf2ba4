#pragma once
// Certification criteria of a suite: the optional [certify] table (suites/README.md). A suite
// with it is a certification suite; its criteria decide CERTIFIED or NOT CERTIFIED
// (certify/verdict.hpp), so they live in the suite file, covered by its digest, not in code.

#include <map>
#include <optional>
#include <string>

namespace suanli::bench {

/// What a run must show to be certified. Absent optional criteria are not checked.
struct certify_criteria {
  bool require_verified = true; ///< every case that ran passed verification
  double min_sampled_s = 0;     ///< GEMM and attention cases: sampled time at least this [s]
  /// GEMM: delivered median / rated peak at least this, per precision name ("bf16"); rated is
  /// the device database's figure, else the backend's.
  std::map<std::string, double> min_rated_fraction;
  /// GEMM: delivered median / the provider's claimed dense rate of the device at least this.
  std::optional<double> min_claimed_fraction;
  /// Largest share of telemetry readings with any throttle reason, per case.
  std::optional<double> max_throttled_fraction;
  /// Collectives: plateau busbw / claimed interconnect bandwidth at least this.
  std::optional<double> min_link_fraction;
  /// Certified capacity / claimed cluster PFLOP/s at least this, per claimed precision.
  std::optional<double> min_capacity_fraction;
  bool require_claims = false;    ///< the run must embed a claims file
  bool require_challenge = false; ///< the run must answer a platform challenge
  std::string where;              ///< "file:line:column" of the [certify] table
};

} // namespace suanli::bench
