#pragma once

#include <bench/coordinator.hpp>

#include <mpi.h>

namespace suanli::cluster {

/// bench::coordinator over MPI point-to-point messages on a private communicator: rank 0
/// receives every rank's arrival and answers each, so on a timeout it can name the ranks that
/// did not arrive (a barrier could not). Linear in the rank count per step.
class mpi_coordinator final : public bench::coordinator {
public:
  /// Duplicate MPI_COMM_WORLD; steps wait at most timeout_s for a late rank.
  explicit mpi_coordinator(double timeout_s);
  ~mpi_coordinator() override;

  [[nodiscard]] int32_t rank() const override { return rank_; }
  [[nodiscard]] int32_t size() const override { return size_; }
  [[nodiscard]] double timeout_s() const override { return timeout_s_; }
  int64_t step(std::span<const double> mine,
               const std::function<int64_t(std::span<const double> all)> &decide,
               const std::string &what, double wait_s = 0) override;
  [[nodiscard]] std::vector<std::string> gather(const std::string &mine, const std::string &what,
                                                double wait_s = 0) override;
  [[nodiscard]] std::string broadcast(const std::string &value, const std::string &what) override;
  void align(const std::string &what) override;

private:
  // Rank 0 waits `wait` for the others; the others wait longer, so rank 0 names the culprits.
  [[nodiscard]] double root_wait(double wait_s) const;
  [[nodiscard]] double member_wait(double wait_s) const;
  [[noreturn]] void late(const std::string &what, const std::string &who, double waited_s) const;

  MPI_Comm comm_ = MPI_COMM_NULL;
  int rank_ = 0;
  int size_ = 1;
  double timeout_s_;
};

} // namespace suanli::cluster
