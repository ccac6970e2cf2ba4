#pragma once

#include <bench/attention_verify.hpp>
#include <bench/backend.hpp>
#include <bench/case_result.hpp>
#include <bench/engine.hpp>
#include <bench/gemm_verify.hpp>
#include <bench/suite.hpp>

#include <functional>
#include <string>

namespace suanli::bench {

/// What the runner needs beyond the suite and the backend.
struct run_options {
  std::string nonce;                         ///< hex nonce every seed derives from
  int32_t device = 0;                        ///< device index on the backend
  gemm_verify_options verify;                ///< GEMM verification settings
  attention_verify_options verify_attention; ///< attention verification settings
  /// Rated peak of the run's device for a dtype from the device database, or nullopt with
  /// the reason (no entry, not published); unset: "no device database was given".
  std::function<std::optional<peak_rate>(sl_dtype, std::string &reason)> database_peak;
  double telemetry_period_s = 0.1; ///< sensor sampling period during a case [s];
                                   ///< 0 turns telemetry off
  /// Called before a case starts (index, total, name) and after it ends (with the result).
  std::function<void(size_t index, size_t total, const suite_case &)> on_case_start;
  std::function<void(size_t index, size_t total, const case_result &)> on_case_end;
  /// Called after every timed sample of the case in progress (index, total, samples so far);
  /// it may throw to stop the run (an interrupt).
  std::function<void(size_t index, size_t total, const measurement &)> on_sample;
};

/// Refuse, before anything runs, a suite with a case that is invalid or does not fit in the
/// device's memory (bench::error, exit 2, naming the case and its origin).
void preflight(const suite &s, const backend &b, int32_t device);

/// Measure peaks, then run, verify and record every case. Backend failures inside a case make
/// that case an error; they do not stop the run.
[[nodiscard]] run_result run_suite(const suite &s, backend &b, const run_options &options);

/// The dtype whose peak a GEMM precision is compared with (the input type; tf32 for tf32).
[[nodiscard]] sl_dtype peak_dtype(const gemm_precision &p);

} // namespace suanli::bench
