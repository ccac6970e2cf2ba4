#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace suanli::bench {

/// Outcome of checking the output of every timed iteration of a collective on every rank.
struct collective_verification {
  bool passed = false;              ///< no wrong element anywhere
  std::string method;               ///< what was compared, in words
  int64_t samples_checked = 0;      ///< timed iterations whose outputs were all checked
  uint64_t elements_checked = 0;    ///< elements compared, summed over ranks and iterations
  uint64_t wrong_elements = 0;      ///< elements that differed, summed likewise
  std::vector<int32_t> ranks_wrong; ///< ranks that saw a wrong element
  std::string first_failure;        ///< rank, iteration, element, value and expected value
  double seconds = 0;               ///< rank 0's time spent loading and checking buffers [s]
};

/// Bandwidths of a passed collective case (convention suanli.collective.bw.v1).
struct collective_metrics {
  uint64_t bytes = 0;            ///< S after fitting to the rank count [bytes]
  double busbw_factor = 0;       ///< f of the convention for this rank count
  double time_median_s = 0;      ///< median of the slowest rank's time [s]
  double algbw_gbps = 0;         ///< S / median [GB/s]
  double algbw_ci_low_gbps = 0;  ///< S / CI-high time [GB/s]
  double algbw_ci_high_gbps = 0; ///< S / CI-low time [GB/s]
  double busbw_gbps = 0;         ///< algbw * f [GB/s]
  double busbw_ci_low_gbps = 0;  ///< algbw CI low * f [GB/s]
  double busbw_ci_high_gbps = 0; ///< algbw CI high * f [GB/s]
};

} // namespace suanli::bench
