#include <kernels/cuda/gemm_describe.hpp>

#include <cstdio>
#include <iterator>

namespace suanli::cuda {

namespace {

struct enum_name {
  uint32_t id;
  const char *name;
};

// k_tile_names, k_stages_names, k_cluster_names: generated from cublasLt.h by CMake.
#include <lt_enum_names.inc>

template <size_t N> std::string lookup(const enum_name (&table)[N], uint32_t id) {
  for (const enum_name &e : table) {
    if (e.id == id) {
      return e.name;
    }
  }
  return "id " + std::to_string(id);
}

} // namespace

std::string tile_name(uint32_t id) {
  return id == 0 ? "undefined" : lookup(k_tile_names, id);
}

std::string stages_name(uint32_t id) {
  return id == 0 ? "undefined" : lookup(k_stages_names, id);
}

std::string cluster_name(uint32_t id) {
  return id == 0 ? "auto" : lookup(k_cluster_names, id);
}

std::string reduction_name(uint32_t id) {
  switch (id) {
  case 0: return "none";
  case 1: return "in-place";
  case 2: return "compute-type";
  case 4: return "output-type";
  default: return "id " + std::to_string(id);
  }
}

std::string describe_algo(const std::string &library, const std::string &combo,
                          const std::string &compute, const algo_config &c,
                          const algo_choice &choice) {
  std::string out = library + " matmul, " + combo + ", " + compute + ": algo " +
                    std::to_string(c.id) + ", tile " + tile_name(c.tile) + ", stages " +
                    stages_name(c.stages) + ", cluster " + cluster_name(c.cluster) + ", splitK " +
                    std::to_string(c.splitk <= 1 ? 1 : c.splitk) + ", reduction " +
                    reduction_name(c.reduction) + ", swizzle " + std::to_string(c.swizzle) +
                    ", custom " + std::to_string(c.custom) + ", workspace " +
                    std::to_string(c.workspace_bytes) + " B; ";
  if (!choice.timed) {
    return out + "heuristic's first of " + std::to_string(choice.candidates) +
           " (not timed: " + choice.untimed_reason + ")";
  }
  char times[128];
  std::snprintf(times, sizeof times, " (%.4f ms; heuristic's first %.4f ms)", choice.chosen_ms,
                choice.first_ms);
  return out + "fastest of " + std::to_string(choice.candidates) +
         " timed heuristic candidates, heuristic rank " + std::to_string(choice.rank + 1) + times;
}

} // namespace suanli::cuda
