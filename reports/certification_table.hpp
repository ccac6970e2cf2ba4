#pragma once
// The certification section of `suanli run` and `suanli show`: verdict, reasons, the four figures
// of each GEMM case side by side, and certified capacity per precision.

#include <nlohmann/json.hpp>

#include <string>

namespace suanli::reports {

/// The report's "certification" field as text; "" when the report has none.
[[nodiscard]] std::string render_certification(const nlohmann::json &report);

} // namespace suanli::reports
