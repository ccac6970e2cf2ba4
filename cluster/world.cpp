#include <cluster/world.hpp>

#include <bench/error.hpp>

#include <mpi.h>
#include <unistd.h>

#include <array>
#include <cstdlib>
#include <iostream>
#include <string>

namespace suanli::cluster {
namespace {

bool has_env(const char *name) {
  const char *v = std::getenv(name);
  return v != nullptr && *v != '\0';
}

int env_int(const char *name) {
  const char *v = std::getenv(name);
  return v == nullptr ? 0 : std::atoi(v);
}

std::string mpi_error(int code) {
  std::array<char, MPI_MAX_ERROR_STRING> text{};
  int len = 0;
  MPI_Error_string(code, text.data(), &len);
  return std::string(text.data(), static_cast<size_t>(len));
}

void check(int rc, const char *call) {
  if (rc != MPI_SUCCESS) {
    bench::fail_environment(std::string("MPI failure: ") + call + ": " + mpi_error(rc));
  }
}

std::string host_name() {
  std::array<char, 256> buf{};
  if (gethostname(buf.data(), buf.size() - 1) != 0) {
    return "unknown";
  }
  return buf.data();
}

} // namespace

std::string detect_launcher() {
  const bool pmi = has_env("PMIX_RANK") || has_env("PMI_RANK") || has_env("PMI_SIZE");
  if (has_env("OMPI_COMM_WORLD_SIZE")) {
    return "mpirun";
  }
  if (has_env("SLURM_STEP_ID")) {
    if (pmi) {
      return "srun";
    }
    if (env_int("SLURM_STEP_NUM_TASKS") > 1) {
      bench::fail_environment(
          "launched by srun with " + std::to_string(env_int("SLURM_STEP_NUM_TASKS")) +
          " tasks but without PMI/PMIx, so the ranks cannot find each other; use srun "
          "--mpi=pmix (srun --mpi=list shows the plugins) or mpirun");
    }
    return "none";
  }
  return pmi ? "mpirun" : "none";
}

world::world() {
  place_.host = host_name();
  place_.launcher = detect_launcher();
  if (place_.launcher == "none") {
    return;
  }
  int provided = 0;
  check(MPI_Init_thread(nullptr, nullptr, MPI_THREAD_FUNNELED, &provided), "MPI_Init_thread");
  mpi_ = true;
  MPI_Comm_set_errhandler(MPI_COMM_WORLD, MPI_ERRORS_RETURN);
  check(MPI_Comm_rank(MPI_COMM_WORLD, &place_.rank), "MPI_Comm_rank");
  check(MPI_Comm_size(MPI_COMM_WORLD, &place_.size), "MPI_Comm_size");

  MPI_Comm local = MPI_COMM_NULL;
  check(
      MPI_Comm_split_type(MPI_COMM_WORLD, MPI_COMM_TYPE_SHARED, place_.rank, MPI_INFO_NULL, &local),
      "MPI_Comm_split_type");
  check(MPI_Comm_rank(local, &place_.local_rank), "MPI_Comm_rank");
  check(MPI_Comm_size(local, &place_.local_size), "MPI_Comm_size");
  // Node leaders (local rank 0) number the nodes in rank order; the leader tells its node.
  MPI_Comm leaders = MPI_COMM_NULL;
  check(MPI_Comm_split(MPI_COMM_WORLD, place_.local_rank == 0 ? 0 : MPI_UNDEFINED, place_.rank,
                       &leaders),
        "MPI_Comm_split");
  std::array<int, 2> node_info{0, 0};
  if (leaders != MPI_COMM_NULL) {
    check(MPI_Comm_rank(leaders, &node_info[0]), "MPI_Comm_rank");
    check(MPI_Comm_size(leaders, &node_info[1]), "MPI_Comm_size");
    MPI_Comm_free(&leaders);
  }
  check(MPI_Bcast(node_info.data(), 2, MPI_INT, 0, local), "MPI_Bcast");
  MPI_Comm_free(&local);
  place_.node = node_info[0];
  place_.nodes = node_info[1];
}

world::~world() {
  if (!mpi_) {
    return;
  }
  int finalized = 0;
  MPI_Finalized(&finalized);
  if (finalized == 0) {
    MPI_Finalize();
  }
}

void world::abort(int code) const {
  std::cout.flush();
  std::cerr.flush();
  if (mpi_) {
    MPI_Abort(MPI_COMM_WORLD, code);
  }
  _exit(code);
}

} // namespace suanli::cluster
