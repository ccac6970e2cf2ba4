#pragma once

#include <nlohmann/json.hpp>

#include <string>

namespace suanli::reports {

/// Check that a report payload has the fields, types and values that `show` and `verify` read
/// (the parts of reports/schema/report.schema.json a printer relies on), so that a crafted or
/// damaged report is refused with a reason instead of being half-printed. Returns the first
/// problem as "field path: what is wrong", or an empty string when the shape holds.
[[nodiscard]] std::string report_shape_problem(const nlohmann::json &report);

} // namespace suanli::reports
