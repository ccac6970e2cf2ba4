#pragma once

#include <bench/backend.hpp>
#include <bench/case_result.hpp>
#include <bench/coordinator.hpp>
#include <bench/suite.hpp>
#include <bench/watchdog.hpp>

#include <string>

namespace suanli::bench {

/// Most timed iterations per collective size (each is one barrier-aligned call; the raw
/// samples go into the report).
inline constexpr int64_t collective_max_samples = 1000;

/// What every rank needs to run collective cases.
struct collective_context {
  backend &b;              ///< this rank's backend
  communicator &comm;      ///< joined by every rank
  coordinator &ranks;      ///< the job's ranks
  int32_t device = 0;      ///< this rank's device
  watchdog *dog = nullptr; ///< ends the job when a backend call hangs (may be null)
  std::string nonce;       ///< the run's nonce, seeds derive from it
};

/// Run one collective case; every rank calls it in the same order. Each sample is one call
/// started together on all ranks (a step), timed on every rank; the sample's time is the
/// slowest rank's. Rank 0 takes every decision (warm-up, stop) and broadcasts it, so ranks
/// cannot disagree. The output of every timed call is compared on every rank with the exact
/// expected values. The complete result is returned on rank 0; other ranks get the status.
[[nodiscard]] case_result run_collective_case(const suite_case &c, const collective_context &ctx);

} // namespace suanli::bench
