#pragma once
// A provider's claims file (TOML, docs/claims.md): what the provider says its cluster delivers.
// `suanli run --claims` embeds the parsed claims in the report, where certification and audit
// compare them with what was measured.

#include <nlohmann/json.hpp>

#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace suanli::certify {

/// The "schema" value of parsed claims (and of the optional `schema` key in the file).
inline constexpr std::string_view claims_schema_id = "suanli.claims.v1";

/// One claimed device model.
struct claimed_device {
  std::string model;                          ///< device model as the backend names it
  int64_t count_per_node = 0;                 ///< devices of this model per node (>= 1)
  std::map<std::string, double> dense_tflops; ///< per device-database dtype key ("bf16"), > 0
  std::string where;                          ///< "file:line:column" of its [[devices]] table
};

/// A parsed claims file.
struct claims {
  std::string file;                             ///< path as given
  std::string file_sha256;                      ///< lower-case hex SHA-256 of the file bytes
  std::string provider;                         ///< provider name
  std::string cluster;                          ///< cluster id
  int64_t nodes = 0;                            ///< node count (>= 1)
  std::vector<claimed_device> devices;          ///< at least one, models distinct
  std::map<std::string, double> cluster_pflops; ///< optional, per dtype key, > 0
  std::optional<double> interconnect_gbps;      ///< optional, GB/s (1e9 B/s) per device
};

/// Parses claims text; `source` names it in messages. Every bad input throws bench::error
/// (exit 2) as one line "source:line:column: what is wrong; expected what".
[[nodiscard]] claims parse_claims(std::string_view text, const std::string &source);

/// Reads and parses a claims file (unreadable: exit 2 naming the path).
[[nodiscard]] claims load_claims(const std::filesystem::path &path);

/// The report's "claims" field: {"schema", "file_sha256", "provider", "cluster", "nodes",
/// "devices": [{"model", "count_per_node", "dense_tflops"}], "cluster_pflops" (when claimed),
/// "interconnect_gbps" (when claimed)}.
[[nodiscard]] nlohmann::json claims_json(const claims &c);

/// A device model lower-cased with blanks trimmed and collapsed: how models are compared.
[[nodiscard]] std::string model_key(std::string_view model);

/// The first claimed device model that none of `seen` matches (case-insensitive, surrounding and
/// repeated blanks ignored), as one line that names the claim's position and lists what was seen
/// on `where` (e.g. "node host1"); empty when every claimed model was seen.
[[nodiscard]] std::string unseen_device_problem(const claims &c,
                                                const std::vector<std::string> &seen,
                                                std::string_view where);

} // namespace suanli::certify
