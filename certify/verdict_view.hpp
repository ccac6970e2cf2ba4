#pragma once
// Internal to certify/verdict.cpp: a report seen as nodes of devices, whatever its layout
// (a single-node report, or a cluster report's "nodes" array).

#include <nlohmann/json.hpp>

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace suanli::certify::detail {

/// One device of a node with the cases it ran.
struct device_view {
  int64_t rank = -1;                         ///< MPI rank that ran it (-1: single-process report)
  std::string backend;                       ///< backend name
  int64_t device = 0;                        ///< device index on the backend
  const nlohmann::json *info = nullptr;      ///< its backends[].devices[] entry (may be null)
  std::vector<const nlohmann::json *> cases; ///< GEMM and attention cases it ran
  bool verified = true;                      ///< no case failed or ended in error
};

/// One node: its host and devices.
struct node_view {
  int64_t index = 0;                     ///< node index
  std::string host;                      ///< host name
  std::vector<device_view> devices;      ///< in first-case order
  const nlohmann::json *peaks = nullptr; ///< the node's (or report's) peak records
};

/// The nodes of a report predicate.
[[nodiscard]] std::vector<node_view> nodes_of(const nlohmann::json &report);

/// The peak record of (rank, backend, device, dtype), or null.
[[nodiscard]] const nlohmann::json *find_peak(const node_view &n, const device_view &d,
                                              const std::string &dtype);

/// A number field in TFLOP/s from a GFLOP/s record field, or nullopt when absent or null.
[[nodiscard]] std::optional<double> tflops_of(const nlohmann::json &record, const char *key);

/// The claims' [[devices]] entry for a device model, or null.
[[nodiscard]] const nlohmann::json *claimed_device(const nlohmann::json &claims,
                                                   const std::string &model);

/// The claimed dense TFLOP/s of a device model for a precision, or nullopt.
[[nodiscard]] std::optional<double> claimed_tflops(const nlohmann::json &claims,
                                                   const std::string &model,
                                                   const std::string &precision);

} // namespace suanli::certify::detail
