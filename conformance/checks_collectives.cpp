// collectives: a communicator of one rank and its collectives, verified with the inputs and
// expected outputs of `suanli run`'s collective cases (bench/collective_data).

#include <conformance/checks.hpp>
#include <conformance/isolate.hpp>
#include <conformance/session.hpp>

#include <bench/collective_data.hpp>
#include <bench/coordinator.hpp>
#include <bench/error.hpp>
#include <kernels/host/collective_case.hpp>

#include <mpi.h>

#include <array>
#include <cstdlib>
#include <string>
#include <vector>

namespace suanli::conformance {
namespace {

// The host side of a one-rank job: plugins whose collectives ride on MPI (the CPU backend)
// expect the host to have initialised it, as `suanli run` does under mpirun. Without a launcher
// MPI starts as a singleton world of this one (child) process.
class one_rank_mpi {
public:
  one_rank_mpi() {
    int initialized = 0;
    MPI_Initialized(&initialized);
    if (initialized == 0) {
      // Open MPI: a singleton without the orted helper daemon it would otherwise fork, which
      // could outlive this child process (the user's own setting wins).
      setenv("OMPI_MCA_ess_singleton_isolated", "1", 0);
      int provided = 0;
      started_ = MPI_Init_thread(nullptr, nullptr, MPI_THREAD_FUNNELED, &provided) == MPI_SUCCESS;
    }
  }
  ~one_rank_mpi() {
    if (started_) {
      MPI_Finalize();
    }
  }
  one_rank_mpi(const one_rank_mpi &) = delete;
  one_rank_mpi &operator=(const one_rank_mpi &) = delete;

private:
  bool started_ = false;
};

bench::collective_problem problem(sl_collective_op op, sl_dtype dtype, sl_reduce_op reduce,
                                  bool in_place, uint64_t bytes) {
  bench::collective_problem p;
  p.op = op;
  p.dtype = dtype;
  p.reduce = reduce;
  p.in_place = in_place;
  p.bytes = bytes;
  return p;
}

const std::array<bench::collective_problem, 6> k_problems = {
    problem(SL_COLL_ALL_REDUCE, SL_DTYPE_FP32, SL_REDUCE_SUM, false, 4096),
    problem(SL_COLL_ALL_REDUCE, SL_DTYPE_INT32, SL_REDUCE_MAX, true, 4096 + 12),
    problem(SL_COLL_ALL_GATHER, SL_DTYPE_FP32, SL_REDUCE_NONE, false, 4096),
    problem(SL_COLL_BROADCAST, SL_DTYPE_FP32, SL_REDUCE_NONE, false, 4096),
    problem(SL_COLL_BROADCAST, SL_DTYPE_BF16, SL_REDUCE_NONE, true, 2050),
    problem(SL_COLL_SENDRECV, SL_DTYPE_FP32, SL_REDUCE_NONE, false, 4096),
};

// The raw bootstrap of one rank, with every status checked: "" when it behaves.
std::string bootstrap_problem(const session &s) {
  const auto &api = s.api();
  uint64_t bytes = 0;
  note_stage("comm_unique_id_size");
  if (const sl_status st = api.comm_unique_id_size(s.ctx(), &bytes); st != SL_OK) {
    return std::string("comm_unique_id_size failed: ") + sl_status_name(st) + ": " +
           clip(s.last_error());
  }
  if (bytes == 0 || bytes > 4096) {
    return "comm_unique_id_size gave " + std::to_string(bytes) + " bytes; expected 1 to 4096";
  }
  std::vector<unsigned char> id(bytes);
  note_stage("comm_unique_id");
  if (const sl_status st = api.comm_unique_id(s.ctx(), id.data(), bytes); st != SL_OK) {
    return std::string("comm_unique_id failed: ") + sl_status_name(st) + ": " +
           clip(s.last_error());
  }
  sl_comm *comm = nullptr;
  note_stage("comm_init(rank 0 of 1)");
  if (const sl_status st = api.comm_init(s.ctx(), 0, 0, 1, id.data(), bytes, &comm);
      st != SL_OK || comm == nullptr) {
    return std::string("comm_init(rank 0 of 1) failed: ") + sl_status_name(st) + ": " +
           clip(s.last_error());
  }
  note_stage("comm_destroy");
  if (const sl_status st = api.comm_destroy(s.ctx(), comm); st != SL_OK) {
    return std::string("comm_destroy failed: ") + sl_status_name(st) + ": " + clip(s.last_error());
  }
  return "";
}

} // namespace

check_result check_collectives(const check_input &in) {
  const one_rank_mpi mpi; // before the plugin's context, finalised after it
  session s(in.plugin);
  std::string absent;
  if (!host::plugin_has_collectives(s.context()->library(), absent)) {
    return unsupported(absent);
  }
  if (const std::string problem = bootstrap_problem(s); !problem.empty()) {
    return fail(problem);
  }
  const bench::device_info dev = s.device(0);
  bench::single_rank_coordinator ranks;
  note_stage("joining a communicator of one rank");
  auto comm = host::join_plugin_communicator(s.context(), 0, ranks);
  std::string verified, refused;
  uint64_t seed = 0xC011EC7;
  for (const auto &p : k_problems) {
    const std::string label = p.label() + " " + bench::format_bytes(p.bytes);
    std::string why;
    note_stage("collective_check " + label);
    auto prepared = host::prepare_plugin_collective(s.context(), *comm, p, dev, 0, 1, why);
    if (!prepared) {
      const std::string reason = s.unsupported_reason("collective_check(" + label + ")");
      if (reason.empty()) {
        return fail(no_reason_text("collective_check(" + label + ")"));
      }
      refused += (refused.empty() ? "" : "; ") + label + " (\"" + clip(reason, 80) + "\")";
      continue;
    }
    const bench::collective_buffers images = bench::make_collective_buffers(p, 1, 0, ++seed);
    note_stage("collective_run " + label);
    prepared->load(images, true);
    prepared->run();
    std::vector<std::byte> got(images.expected.size());
    prepared->read_recv(images.check_offset, got);
    const auto wrong = bench::compare_collective_output(got, images.expected, p.dtype);
    if (wrong.wrong > 0) {
      return fail(label + ": " + std::to_string(wrong.wrong) + " wrong elements; element " +
                  std::to_string(wrong.first_index) + " is " + std::to_string(wrong.first_got) +
                  ", expected " + std::to_string(wrong.first_expected));
    }
    verified += (verified.empty() ? "" : "; ") + label;
  }
  note_stage("comm_destroy");
  comm.reset();
  if (verified.empty()) {
    return unsupported("no collective is offered on one rank: " + refused);
  }
  return pass("bootstrap, comm_init(0 of 1), comm_destroy ok; verified " + verified +
              (refused.empty() ? "" : "; unsupported: " + refused));
}

} // namespace suanli::conformance
