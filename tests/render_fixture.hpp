#pragma once
// Small synthetic report payloads for the render tests (no run needed).

#include <nlohmann/json.hpp>

#include <string>

namespace suanli::test {

/// A passed GEMM case m x m x m of `precision` at `gflops` [GFLOP/s], with raw samples.
[[nodiscard]] nlohmann::json gemm_case(const std::string &precision, int m, double gflops,
                                       const std::string &status = "pass");
/// A passed attention case of sequence length `seq` at `gflops`.
[[nodiscard]] nlohmann::json attention_case(int seq, double gflops);
/// A passed all_reduce fp32 case of `bytes` at `busbw_gbps`.
[[nodiscard]] nlohmann::json collective_case(double bytes, double busbw_gbps);
/// A single-node report: 3 fp32 + 2 bf16 GEMMs (one bf16 failed), 2 attention cases, peaks.
[[nodiscard]] nlohmann::json single_report();
/// A 3-node cluster report: 3 collective cases and one GEMM per node, node 2 at 60% speed.
[[nodiscard]] nlohmann::json cluster_report();

} // namespace suanli::test
