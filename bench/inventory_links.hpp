#pragma once
// The link matrix of one backend's devices (ABI 1.4 device_link): probed for the report's
// inventory and printed by `suanli devices`.

#include <bench/backend.hpp>

#include <nlohmann/json.hpp>

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace suanli::bench {

/// The paths between every pair of a backend's devices.
struct link_matrix {
  int32_t devices = 0;            ///< device count the matrix covers
  std::vector<device_link> pairs; ///< one per pair a < b, in (a, b) order; empty when not known
  std::string reason;             ///< why pairs is empty although devices >= 2; else ""
};

/// Stable lower-case name of a kind: "self", "scale_up", "pcie_switch", "pcie_host_bridge",
/// "numa_node", "system", "unknown" (the report's "kind").
[[nodiscard]] std::string_view link_kind_name(link_kind kind);

/// Ask the backend for every pair a < b of its `devices` devices. The first pair it cannot
/// answer ends the probe: pairs is then empty and reason holds the backend's reason. Never
/// throws for an unsupported answer.
[[nodiscard]] link_matrix probe_links(const backend &b, int32_t devices);

/// The report's "links": [{"a", "b", "kind", "name", "links", "bandwidth_gb_s"}, ...] for a < b.
[[nodiscard]] nlohmann::json links_json(const link_matrix &m);

/// A matrix in the manner of `nvidia-smi topo -m` with a legend of the labels, for `prefix`
/// (e.g. "cuda") device names; one line saying why not when there are fewer than two devices
/// or no answer. Every line ends with '\n'.
[[nodiscard]] std::string link_matrix_text(const link_matrix &m, const std::string &prefix);

} // namespace suanli::bench
