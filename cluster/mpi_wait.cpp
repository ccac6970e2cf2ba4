#include <cluster/mpi_wait.hpp>

#include <bench/error.hpp>

#include <algorithm>
#include <set>
#include <thread>

namespace suanli::cluster {

deadline after(double seconds) {
  return std::chrono::steady_clock::now() +
         std::chrono::duration_cast<std::chrono::steady_clock::duration>(
             std::chrono::duration<double>(seconds));
}

bool wait_all(std::vector<MPI_Request> &requests, std::vector<bool> &done, deadline until) {
  done.assign(requests.size(), false);
  size_t left = requests.size();
  const auto start = std::chrono::steady_clock::now();
  auto nap = std::chrono::microseconds(20);
  for (;;) {
    for (size_t i = 0; i < requests.size(); ++i) {
      if (done[i]) {
        continue;
      }
      int flag = 0;
      const int rc = MPI_Test(&requests[i], &flag, MPI_STATUS_IGNORE);
      if (rc != MPI_SUCCESS) {
        bench::fail_environment("MPI failure while waiting for a message (MPI_Test error " +
                                std::to_string(rc) + ")");
      }
      if (flag != 0) {
        done[i] = true;
        --left;
      }
    }
    if (left == 0) {
      return true;
    }
    const auto now = std::chrono::steady_clock::now();
    if (now >= until) {
      return false;
    }
    // Spin for the first 2 ms (steps are usually microseconds), then sleep in slices growing
    // to 1 ms, so a waiting rank leaves the cores to a co-located rank's kernels.
    if (now - start > std::chrono::milliseconds(2)) {
      std::this_thread::sleep_for(nap);
      nap = std::min(nap * 2, std::chrono::microseconds(1000));
    }
  }
}

std::string missing_ranks(const std::vector<bool> &done, const std::vector<int> &ranks) {
  std::set<int> missing;
  for (size_t i = 0; i < done.size(); ++i) {
    if (!done[i]) {
      missing.insert(ranks[i]);
    }
  }
  std::string out;
  for (const int r : missing) {
    out += (out.empty() ? "" : ", ") + std::to_string(r);
  }
  return out;
}

} // namespace suanli::cluster
