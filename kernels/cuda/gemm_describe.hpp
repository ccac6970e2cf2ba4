#pragma once
// The text of gemm_plan_describe (plain C++): a cuBLASLt algorithm's configuration, with the
// names of tile, stages and cluster-shape ids read from the cublasLt.h the plugin was built with.

#include <cstdint>
#include <string>

namespace suanli::cuda {

/// The configuration attributes of a cublasLtMatmulAlgo_t (CUBLASLT_ALGO_CONFIG_*).
struct algo_config {
  int32_t id = 0;               ///< algorithm id
  uint32_t tile = 0;            ///< cublasLtMatmulTile_t
  uint32_t stages = 0;          ///< cublasLtMatmulStages_t
  uint32_t splitk = 0;          ///< split-K count (0 or 1: none)
  uint32_t reduction = 0;       ///< cublasLtReductionScheme_t
  uint32_t swizzle = 0;         ///< CTA swizzling
  uint32_t custom = 0;          ///< custom option
  uint16_t cluster = 0;         ///< cublasLtClusterShape_t (Hopper and later)
  uint64_t workspace_bytes = 0; ///< workspace the algorithm needs [bytes]
};

/// How the algorithm was chosen.
struct algo_choice {
  int candidates = 0;         ///< heuristic results considered
  int rank = 0;               ///< heuristic rank of the chosen one (0 = the heuristic's first)
  bool timed = false;         ///< candidates were timed; otherwise the heuristic's first is used
  double first_ms = 0;        ///< time of the heuristic's first candidate [ms]
  double chosen_ms = 0;       ///< time of the chosen candidate [ms]
  std::string untimed_reason; ///< why candidates were not timed
};

/// "128x256" for a tile id, "id N" when the header does not name it.
std::string tile_name(uint32_t id);
/// "64xAUTO" for a stages id, "id N" when unnamed.
std::string stages_name(uint32_t id);
/// "2x1x1" for a cluster-shape id, "auto" for 0, "id N" when unnamed.
std::string cluster_name(uint32_t id);
/// "none", "in-place", "compute-type", "output-type" or "id N".
std::string reduction_name(uint32_t id);

/// One line: library, combination, compute type, algorithm configuration and the choice.
std::string describe_algo(const std::string &library, const std::string &combo,
                          const std::string &compute, const algo_config &config,
                          const algo_choice &choice);

} // namespace suanli::cuda
