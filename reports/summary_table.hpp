#pragma once

#include <nlohmann/json.hpp>

#include <string>

namespace suanli::reports {

/// The peaks of a report payload as a table (dtype, rated, measured max-achievable, sources).
[[nodiscard]] std::string render_peaks(const nlohmann::json &report);

/// The cases of a report payload as a table: case, status, median time, GFLOP/s with its 95% CI,
/// efficiency against rated and measured peaks, verification; then one note per case that was
/// not a PASS (its reason) and the totals.
[[nodiscard]] std::string render_cases(const nlohmann::json &report);

} // namespace suanli::reports
