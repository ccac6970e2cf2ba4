#pragma once
// The certification verdict of a report under a suite's criteria (bench/suite_criteria.hpp):
// CERTIFIED or NOT CERTIFIED per node and for the run, with every reason; the four figures of
// each GEMM case side by side (rated, claimed, max-achievable, delivered); and the certified
// capacity per precision. A pure function of the report's own data, so `suanli audit`
// recomputes it from the report and the suite file.

#include <bench/suite_criteria.hpp>

#include <nlohmann/json.hpp>

#include <string_view>

namespace suanli::certify {

/// The "schema" value of the report's "certification" field.
inline constexpr std::string_view certification_schema_id = "suanli.certification.v1";

/// The criteria as the report records them.
[[nodiscard]] nlohmann::json criteria_json(const bench::certify_criteria &c);

/// The report's "certification" field for a report predicate (single-node or cluster) measured
/// under `c`: {"schema", "criteria", "verdict", "reasons", "notes", "nodes": [{"index", "host",
/// "verdict", "reasons", "devices": [{"rank", "backend", "device", "model", "uuid", "serial",
/// "verified"}]}], "cases": [{"node", "rank", "device", "case", "precision", "rated_tflops",
/// "rated_source", "claimed_tflops", "max_achievable_tflops", "delivered_tflops",
/// "delivered_ci_low_tflops"}], "capacity": {precision: {"certified_tflops", "devices",
/// "claimed_cluster_pflops"}}}. Rates are TFLOP/s (int8: TOP/s); unknown figures are null.
[[nodiscard]] nlohmann::json certify_report(const nlohmann::json &report,
                                            const bench::certify_criteria &c);

/// "CERTIFIED" or "NOT CERTIFIED".
[[nodiscard]] bool certified(const nlohmann::json &certification);

} // namespace suanli::certify
