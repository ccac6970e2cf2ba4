#include <cluster/mpi_coordinator.hpp>

#include <cluster/mpi_wait.hpp>

#include <bench/text.hpp>

#include <chrono>
#include <climits>
#include <cstdint>
#include <vector>

namespace suanli::cluster {
namespace {

enum tag : int { tag_step = 11, tag_decision = 12, tag_length = 13, tag_data = 14 };

void check(int rc, const char *call) {
  if (rc != MPI_SUCCESS) {
    bench::fail_environment(std::string("MPI failure: ") + call + " returned " +
                            std::to_string(rc));
  }
}

int checked_count(size_t bytes) {
  if (bytes > static_cast<size_t>(INT_MAX)) {
    bench::fail_environment("a message of " + std::to_string(bytes) +
                            " bytes between ranks is over MPI's 2 GiB limit");
  }
  return static_cast<int>(bytes);
}

} // namespace

mpi_coordinator::mpi_coordinator(double timeout_s) : timeout_s_(timeout_s) {
  check(MPI_Comm_dup(MPI_COMM_WORLD, &comm_), "MPI_Comm_dup");
  MPI_Comm_set_errhandler(comm_, MPI_ERRORS_RETURN);
  MPI_Comm_rank(comm_, &rank_);
  MPI_Comm_size(comm_, &size_);
}

mpi_coordinator::~mpi_coordinator() {
  int finalized = 0;
  MPI_Finalized(&finalized);
  if (comm_ != MPI_COMM_NULL && finalized == 0) {
    MPI_Comm_free(&comm_);
  }
}

double mpi_coordinator::root_wait(double wait_s) const {
  return wait_s > 0 ? wait_s : timeout_s_;
}

double mpi_coordinator::member_wait(double wait_s) const {
  return root_wait(wait_s) + 0.5 * timeout_s_ + 5.0;
}

void mpi_coordinator::late(const std::string &what, const std::string &who, double waited_s) const {
  throw bench::timeout_error("timeout: " + what + ": " + who + " did not arrive within " +
                             bench::fixed(waited_s, 1) + " s (rank " + std::to_string(rank_) +
                             " of " + std::to_string(size_) + " waited; --timeout " +
                             bench::fixed(timeout_s_, 0) + " s)");
}

int64_t mpi_coordinator::step(std::span<const double> mine,
                              const std::function<int64_t(std::span<const double>)> &decide,
                              const std::string &what, double wait_s) {
  const int n = checked_count(mine.size());
  int64_t decision = 0;
  std::vector<bool> done;
  if (rank_ == 0) {
    std::vector<double> all(mine.size() * static_cast<size_t>(size_));
    std::copy(mine.begin(), mine.end(), all.begin());
    std::vector<MPI_Request> reqs(static_cast<size_t>(size_ - 1));
    std::vector<int> from(reqs.size());
    for (int r = 1; r < size_; ++r) {
      from[static_cast<size_t>(r - 1)] = r;
      check(MPI_Irecv(all.data() + mine.size() * static_cast<size_t>(r), n, MPI_DOUBLE, r, tag_step,
                      comm_, &reqs[static_cast<size_t>(r - 1)]),
            "MPI_Irecv");
    }
    if (!wait_all(reqs, done, after(root_wait(wait_s)))) {
      late(what, "rank(s) " + missing_ranks(done, from), root_wait(wait_s));
    }
    decision = decide(all);
    std::vector<MPI_Request> sends(reqs.size());
    for (int r = 1; r < size_; ++r) {
      check(MPI_Isend(&decision, 1, MPI_INT64_T, r, tag_decision, comm_,
                      &sends[static_cast<size_t>(r - 1)]),
            "MPI_Isend");
    }
    if (!wait_all(sends, done, after(timeout_s_))) {
      late(what + " (answer)", "rank(s) " + missing_ranks(done, from), timeout_s_);
    }
    return decision;
  }
  std::vector<MPI_Request> reqs(2);
  check(MPI_Isend(mine.data(), n, MPI_DOUBLE, 0, tag_step, comm_, &reqs[0]), "MPI_Isend");
  check(MPI_Irecv(&decision, 1, MPI_INT64_T, 0, tag_decision, comm_, &reqs[1]), "MPI_Irecv");
  if (!wait_all(reqs, done, after(member_wait(wait_s)))) {
    late(what, "rank 0", member_wait(wait_s));
  }
  return decision;
}

std::vector<std::string> mpi_coordinator::gather(const std::string &mine, const std::string &what,
                                                 double wait_s) {
  std::vector<bool> done;
  if (rank_ != 0) {
    const auto length = static_cast<uint64_t>(mine.size());
    std::vector<MPI_Request> reqs(2);
    check(MPI_Isend(&length, 1, MPI_UINT64_T, 0, tag_length, comm_, &reqs[0]), "MPI_Isend");
    check(
        MPI_Isend(mine.data(), checked_count(mine.size()), MPI_CHAR, 0, tag_data, comm_, &reqs[1]),
        "MPI_Isend");
    if (!wait_all(reqs, done, after(member_wait(wait_s)))) {
      late(what, "rank 0", member_wait(wait_s));
    }
    return {};
  }
  std::vector<std::string> out(static_cast<size_t>(size_));
  out[0] = mine;
  std::vector<uint64_t> lengths(static_cast<size_t>(size_));
  std::vector<MPI_Request> reqs(static_cast<size_t>(size_ - 1));
  std::vector<int> from(reqs.size());
  for (int r = 1; r < size_; ++r) {
    from[static_cast<size_t>(r - 1)] = r;
    check(MPI_Irecv(&lengths[static_cast<size_t>(r)], 1, MPI_UINT64_T, r, tag_length, comm_,
                    &reqs[static_cast<size_t>(r - 1)]),
          "MPI_Irecv");
  }
  if (!wait_all(reqs, done, after(root_wait(wait_s)))) {
    late(what, "rank(s) " + missing_ranks(done, from), root_wait(wait_s));
  }
  for (int r = 1; r < size_; ++r) {
    auto &s = out[static_cast<size_t>(r)];
    s.resize(lengths[static_cast<size_t>(r)]);
    check(MPI_Irecv(s.data(), checked_count(s.size()), MPI_CHAR, r, tag_data, comm_,
                    &reqs[static_cast<size_t>(r - 1)]),
          "MPI_Irecv");
  }
  if (!wait_all(reqs, done, after(timeout_s_))) {
    late(what + " (data)", "rank(s) " + missing_ranks(done, from), timeout_s_);
  }
  return out;
}

void mpi_coordinator::align(const std::string &what) {
  MPI_Request req = MPI_REQUEST_NULL;
  check(MPI_Ibarrier(comm_, &req), "MPI_Ibarrier");
  const auto until = after(timeout_s_);
  for (;;) {
    int flag = 0;
    check(MPI_Test(&req, &flag, MPI_STATUS_IGNORE), "MPI_Test");
    if (flag != 0) {
      return;
    }
    if (std::chrono::steady_clock::now() >= until) {
      late(what + " (aligning the ranks around a timed call)", "another rank", timeout_s_);
    }
  }
}

std::string mpi_coordinator::broadcast(const std::string &value, const std::string &what) {
  std::vector<bool> done;
  if (rank_ == 0) {
    const auto length = static_cast<uint64_t>(value.size());
    std::vector<MPI_Request> reqs;
    std::vector<int> to;
    for (int r = 1; r < size_; ++r) {
      reqs.emplace_back();
      check(MPI_Isend(&length, 1, MPI_UINT64_T, r, tag_length, comm_, &reqs.back()), "MPI_Isend");
      to.push_back(r);
      reqs.emplace_back();
      check(MPI_Isend(value.data(), checked_count(value.size()), MPI_CHAR, r, tag_data, comm_,
                      &reqs.back()),
            "MPI_Isend");
      to.push_back(r);
    }
    if (!wait_all(reqs, done, after(timeout_s_))) {
      late(what, "rank(s) " + missing_ranks(done, to), timeout_s_);
    }
    return value;
  }
  uint64_t length = 0;
  std::vector<MPI_Request> reqs(1);
  check(MPI_Irecv(&length, 1, MPI_UINT64_T, 0, tag_length, comm_, &reqs[0]), "MPI_Irecv");
  if (!wait_all(reqs, done, after(member_wait(0)))) {
    late(what, "rank 0", member_wait(0));
  }
  std::string out(length, '\0');
  check(MPI_Irecv(out.data(), checked_count(out.size()), MPI_CHAR, 0, tag_data, comm_, &reqs[0]),
        "MPI_Irecv");
  if (!wait_all(reqs, done, after(timeout_s_))) {
    late(what + " (data)", "rank 0", timeout_s_);
  }
  return out;
}

} // namespace suanli::cluster
