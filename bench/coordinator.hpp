#pragma once
// How the ranks of a run agree: the engine's view of the cluster layer (cluster/ implements it
// over MPI). bench itself never talks to MPI.

#include <bench/error.hpp>

#include <cstdint>
#include <functional>
#include <span>
#include <string>
#include <vector>

namespace suanli::bench {

/// A rank, or a step, did not arrive in time: exit 3, naming what and who.
class timeout_error : public error {
public:
  /// what_text names the step, the ranks that did not arrive and the timeout.
  explicit timeout_error(const std::string &what_text) : error(exit_code::environment, what_text) {}
};

/// The ranks of a run and the few synchronising operations the harness needs. Every call is a
/// collective over all ranks (all must call it, in the same order) and ends within a deadline:
/// when a rank does not arrive, it throws timeout_error naming the step and the missing ranks.
class coordinator {
public:
  virtual ~coordinator() = default;
  coordinator() = default;
  coordinator(const coordinator &) = delete;
  coordinator &operator=(const coordinator &) = delete;

  /// This rank, 0-based.
  [[nodiscard]] virtual int32_t rank() const = 0;
  /// Number of ranks.
  [[nodiscard]] virtual int32_t size() const = 0;
  /// Seconds a rank may be late to a step before it is a timeout.
  [[nodiscard]] virtual double timeout_s() const = 0;

  /// One barrier-aligned step: every rank contributes `mine` (the same length on every rank);
  /// rank 0 sees all contributions (rank-major: rank r's values at [r * mine.size(), ...)) and
  /// returns a decision, which every rank returns. No rank leaves before all have arrived.
  /// `what` names the step in a timeout message; `wait_s` extends the deadline for steps that
  /// wait for long local work (0: timeout_s()).
  virtual int64_t step(std::span<const double> mine,
                       const std::function<int64_t(std::span<const double> all)> &decide,
                       const std::string &what, double wait_s = 0) = 0;
  /// Every rank's string on rank 0 (index = rank); other ranks get an empty vector.
  [[nodiscard]] virtual std::vector<std::string>
  gather(const std::string &mine, const std::string &what, double wait_s = 0) = 0;
  /// A barrier that never sleeps, for the instants around a timed call: no rank starts the
  /// call, or its verification, while another is still before or inside it.
  virtual void align(const std::string &what) = 0;
  /// Rank 0's string on every rank (`value` is ignored elsewhere).
  [[nodiscard]] virtual std::string broadcast(const std::string &value,
                                              const std::string &what) = 0;
};

/// The coordinator of a run without MPI: one rank, every step immediate.
class single_rank_coordinator final : public coordinator {
public:
  [[nodiscard]] int32_t rank() const override { return 0; }
  [[nodiscard]] int32_t size() const override { return 1; }
  [[nodiscard]] double timeout_s() const override { return 0; }
  int64_t step(std::span<const double> mine,
               const std::function<int64_t(std::span<const double> all)> &decide,
               const std::string &, double = 0) override {
    return decide(mine);
  }
  [[nodiscard]] std::vector<std::string> gather(const std::string &mine, const std::string &,
                                                double = 0) override {
    return {mine};
  }
  void align(const std::string &) override {}
  [[nodiscard]] std::string broadcast(const std::string &value, const std::string &) override {
    return value;
  }
};

} // namespace suanli::bench
