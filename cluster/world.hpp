#pragma once

#include <cstdint>
#include <string>

namespace suanli::cluster {

/// Where this process sits in the job.
struct placement {
  int32_t rank = 0;       ///< rank in the job, 0-based
  int32_t size = 1;       ///< ranks in the job
  int32_t node = 0;       ///< node index (nodes numbered by their lowest rank)
  int32_t nodes = 1;      ///< nodes in the job (shared-memory domains)
  int32_t local_rank = 0; ///< rank within the node
  int32_t local_size = 1; ///< ranks on the node
  std::string host;       ///< host name
  std::string launcher;   ///< "mpirun", "srun" or "none"
};

/// The launcher that started this process, read from its environment: "mpirun" (OpenMPI's
/// OMPI_COMM_WORLD_SIZE), "srun" (SLURM_STEP_ID with PMIx or PMI variables), or "none".
/// Throws bench::error (exit 3) for an srun step of several tasks without PMI (srun --mpi=none):
/// its ranks could not find each other.
[[nodiscard]] std::string detect_launcher();

/// The job's ranks. Under a launcher, MPI is initialised (MPI_THREAD_FUNNELED) and the ranks
/// are grouped into nodes by MPI_Comm_split_type(MPI_COMM_TYPE_SHARED); otherwise the world
/// is this one process and MPI is never touched.
class world {
public:
  /// Start MPI when launched by mpirun or srun. Throws bench::error (exit 3) when MPI fails.
  world();
  /// MPI_Finalize when this object initialised MPI.
  ~world();
  world(const world &) = delete;
  world &operator=(const world &) = delete;

  /// This process's place.
  [[nodiscard]] const placement &place() const { return place_; }
  /// Whether MPI is running.
  [[nodiscard]] bool mpi() const { return mpi_; }
  /// End every rank of the job now with `code` (MPI_Abort under MPI, else _exit).
  [[noreturn]] void abort(int code) const;

private:
  placement place_;
  bool mpi_ = false;
};

} // namespace suanli::cluster
