#pragma once

#include <bench/attention_verify.hpp>
#include <bench/backend.hpp>
#include <bench/collective_result.hpp>
#include <bench/engine.hpp>
#include <bench/gemm_verify.hpp>
#include <bench/measure_policy.hpp>
#include <bench/problem.hpp>
#include <bench/telemetry.hpp>

#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace suanli::bench {

/// Outcome of a case. Only `pass` results count toward any figure.
enum class case_status {
  pass,        ///< measured and verified
  fail,        ///< measured, but verification failed: excluded from every figure
  unsupported, ///< the backend does not offer it (with its reason)
  error        ///< the backend failed while running it
};

/// Lower-case name of a status: "pass", "fail", "unsupported", "error".
[[nodiscard]] std::string_view status_name(case_status s);

/// Outcome of a case's verification, whichever operation it checked.
using verification =
    std::variant<gemm_verification, attention_verification, collective_verification>;

/// Whether a verification passed.
[[nodiscard]] inline bool passed(const verification &v) {
  return std::visit([](const auto &x) { return x.passed; }, v);
}

/// Where and by how much a verification first failed (empty when it passed).
[[nodiscard]] inline const std::string &first_failure(const verification &v) {
  return std::visit([](const auto &x) -> const std::string & { return x.first_failure; }, v);
}

/// Rates derived from a passed case's statistics.
struct case_metrics {
  double gflops_median = 0;                  ///< work / median time [GFLOP/s]
  double gflops_ci_low = 0;                  ///< work / CI-high time [GFLOP/s]
  double gflops_ci_high = 0;                 ///< work / CI-low time [GFLOP/s]
  std::optional<double> efficiency_rated;    ///< median rate / rated peak
  std::optional<double> efficiency_measured; ///< median rate / measured max-achievable
  std::optional<double> efficiency_database; ///< median rate / the device database's rated peak
  std::optional<double> efficiency_vs_gemm;  ///< attention: median rate / best passed GEMM rate
                                             ///< of the same precision in the run
  std::string gemm_reference;                ///< the GEMM case that rate came from
  std::optional<double> gflops_per_watt;     ///< median rate / mean power during the case
                                             ///< [GFLOP/s/W] (telemetry with power or energy)
};

/// Everything known about one case after it ran: a data record printers only consume.
struct case_result {
  std::string name;                                ///< unique case name
  std::string origin;                              ///< suite file:line:column
  std::string backend;                             ///< backend name
  int32_t device = 0;                              ///< device index
  problem op;                                      ///< the problem
  measure_policy policy;                           ///< the policy it was measured under
  case_status status = case_status::error;         ///< outcome
  std::string reason;                              ///< why unsupported, failed or in error
  std::string implementation;                      ///< backend's chosen kernel
  std::string timer;                               ///< how samples were timed
  uint32_t buffer_sets = 1;                        ///< operand copies rotated over (cold)
  tensor_seeds seeds;                              ///< input seeds (derived from nonce and case)
  uint64_t check_seed = 0;                         ///< seed of the verification's random choices
  double flops_per_call = 0;                       ///< work per call under the convention [FLOP]
  std::optional<measurement> measured;             ///< absent when never measured
  std::optional<bench::verification> verification; ///< absent when never verified
  std::optional<case_metrics> metrics;             ///< only for passed cases
  int32_t ranks = 1;                               ///< ranks that ran it (collectives: all)
  std::string note;                                ///< e.g. how a collective size was fitted
  std::optional<collective_metrics> bandwidth;     ///< passed collective cases only
  std::optional<telemetry_summary> telemetry;      ///< sensors during the measurement
};

/// Rated and measured peaks of one device for one dtype.
struct peak_record {
  std::string backend;               ///< backend name
  int32_t device = 0;                ///< device index
  sl_dtype dtype = SL_DTYPE_INVALID; ///< dtype the peak is for
  std::optional<peak_rate> rated;    ///< rated peak, if the backend knows one
  std::string rated_reason;          ///< why there is none
  std::optional<peak_rate> measured; ///< measured max-achievable, if available
  std::string measured_reason;       ///< why there is none
  std::optional<peak_rate> database; ///< rated peak of the device's database entry
  std::string database_reason;       ///< why there is none (no entry, not published, ...)
};

/// A whole run of a suite on one backend device.
struct run_result {
  std::vector<case_result> cases; ///< in suite order
  std::vector<peak_record> peaks; ///< one per dtype used
  double wall_s = 0;              ///< wall time of the run [s]
  std::string telemetry_reason;   ///< why cases carry no telemetry (empty when they do)
};

} // namespace suanli::bench
