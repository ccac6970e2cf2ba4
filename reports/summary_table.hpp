#pragma once

#include <nlohmann/json.hpp>

#include <string>

namespace suanli::reports {

/// The peaks of a report payload as a table (dtype, rated, measured max-achievable, sources).
[[nodiscard]] std::string render_peaks(const nlohmann::json &report);

/// The cases of a report payload as a table: case, status, median time, GFLOP/s with its 95% CI,
/// efficiency against rated and measured peaks, verification; then one note per case that was
/// not a PASS (its reason) and the totals.
/// Collective cases are left to render_collectives; empty when there are no other cases.
[[nodiscard]] std::string render_cases(const nlohmann::json &report);

/// The collective cases of a report, one table per operation: size, dtype and reduction, in
/// place, median time, algbw, busbw with its 95% CI, samples, wrong elements; then each
/// sweep's plateau busbw and small-size latency; empty when there are none.
[[nodiscard]] std::string render_collectives(const nlohmann::json &report);

/// A cluster report: the job's layout, each node's peaks and per-device cases, the cluster
/// sums of verified per-device medians, and the collectives.
[[nodiscard]] std::string render_cluster(const nlohmann::json &report);

} // namespace suanli::reports
