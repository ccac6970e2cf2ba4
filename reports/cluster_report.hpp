#pragma once
// The one report of a multi-rank run: every node's inventory and per-device results, the
// collective results, and node and cluster totals, assembled on rank 0.

#include <bench/case_result.hpp>
#include <reports/report.hpp>

#include <nlohmann/json.hpp>

#include <string>
#include <vector>

namespace suanli::reports {

/// Where one rank ran, as the report's cluster layout lists it.
struct rank_place {
  int32_t rank = 0;          ///< rank in the job
  int32_t node = 0;          ///< node index
  int32_t local_rank = 0;    ///< rank within the node
  std::string host;          ///< host name
  int32_t device = 0;        ///< device index used
  bool device_cases = false; ///< whether this rank ran the per-device cases of its device
};

/// One rank's contribution, made on that rank and sent to rank 0 as JSON: its place, its node's
/// system inventory (node leaders only; null elsewhere), its backend, and its per-device peaks
/// and cases (empty unless it ran them).
[[nodiscard]] nlohmann::json make_rank_part(const rank_place &place, const nlohmann::json &system,
                                            const nlohmann::json &backend,
                                            const bench::run_result *device_results);

/// What the cluster section says about the job besides its ranks.
struct cluster_info {
  std::string launcher; ///< "mpirun" or "srun"
  double timeout_s = 0; ///< --timeout
  int32_t nodes = 1;    ///< node count
};

/// The cluster report: the single-node fields describe rank 0's node (system, backends); `cases`
/// holds the collective cases; `nodes` holds every node's inventory, per-device cases (each with
/// its rank) and totals; `totals.cluster` sums verified per-device medians over the cluster and
/// summarises each collective sweep (plateau busbw, small-size latency).
[[nodiscard]] nlohmann::json make_cluster_report(const run_context &ctx,
                                                 const std::vector<nlohmann::json> &parts,
                                                 const std::vector<bench::case_result> &collectives,
                                                 const cluster_info &info, double wall_s);

/// Plateau summary of each collective sweep among `cases` (report case objects).
[[nodiscard]] nlohmann::json collective_sweeps_json(const nlohmann::json &cases);

} // namespace suanli::reports
