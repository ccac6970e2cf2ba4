#pragma once
// Waiting for MPI requests with a deadline, without burning a core that a co-located rank's
// kernel needs: spin first (a step is usually microseconds), then sleep in growing slices.

#include <mpi.h>

#include <chrono>
#include <string>
#include <vector>

namespace suanli::cluster {

/// Point in time a wait gives up.
using deadline = std::chrono::steady_clock::time_point;

/// Deadline `seconds` from now.
[[nodiscard]] deadline after(double seconds);

/// Wait until every request completed (true) or the deadline passed (false). Completed
/// requests become MPI_REQUEST_NULL; `done[i]` tells which ones completed. Throws
/// bench::error (exit 3) when MPI reports an error.
[[nodiscard]] bool wait_all(std::vector<MPI_Request> &requests, std::vector<bool> &done,
                            deadline until);

/// "1, 3" for the ranks whose entry in done is false, given ranks[i] for request i.
[[nodiscard]] std::string missing_ranks(const std::vector<bool> &done,
                                        const std::vector<int> &ranks);

} // namespace suanli::cluster
