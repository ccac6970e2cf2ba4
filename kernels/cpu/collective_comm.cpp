// Communicators: the unique id (32 random bytes) and comm_init, which splits MPI_COMM_WORLD by
// a hash of the id. The CPU communicator is created collectively over MPI_COMM_WORLD: every rank
// of MPI_COMM_WORLD that joins calls comm_init with the same id, and MPI_Comm_split blocks until
// all of MPI_COMM_WORLD has called it (ranks that do not join still have to take part, which
// the host does by running every rank of the job through the same bootstrap).

#include <kernels/cpu/api.hpp>
#include <kernels/cpu/collective.hpp>

#include <sys/random.h>

#include <cerrno>
#include <cstdio>

sl_comm::~sl_comm() {
  if (comm != MPI_COMM_NULL && suanli::cpu::mpi_alive()) {
    MPI_Comm_free(&comm);
  }
}

namespace suanli::cpu {

namespace {

constexpr const char *k_need_mpi = "the CPU backend's collectives need the host to run under "
                                   "mpirun or srun";

// count random bytes into out: getrandom, /dev/urandom where it is missing. False on failure.
bool random_bytes(unsigned char *out, size_t count) {
  size_t done = 0;
  while (done < count) {
    const ssize_t got = getrandom(out + done, count - done, 0);
    if (got > 0) {
      done += static_cast<size_t>(got);
    } else if (got < 0 && errno == EINTR) {
      continue;
    } else {
      break;
    }
  }
  if (done == count) {
    return true;
  }
  std::FILE *f = std::fopen("/dev/urandom", "rb");
  if (f == nullptr) {
    return false;
  }
  const bool ok = std::fread(out, 1, count, f) == count;
  std::fclose(f);
  return ok;
}

// A non-negative 31-bit color for MPI_Comm_split: FNV-1a over the id, folded.
int split_color(const void *id, uint64_t bytes) {
  uint64_t h = 0xcbf29ce484222325ull;
  const auto *p = static_cast<const unsigned char *>(id);
  for (uint64_t i = 0; i < bytes; ++i) {
    h = (h ^ p[i]) * 0x100000001b3ull;
  }
  h ^= h >> 31;
  h ^= h >> 33;
  return static_cast<int>(h & 0x7fffffffu);
}

sl_status need_ctx(sl_context *ctx, const char *call) {
  return ctx == nullptr
             ? fail(nullptr, SL_INVALID_ARGUMENT, std::string(call) + ": context is NULL")
             : SL_OK;
}

// Why the split communicator does not match what this rank asked for ("" when it does).
std::string split_mismatch(int size, int me, int32_t rank, int32_t nranks) {
  if (size != nranks) {
    return "comm_init: the ranks of MPI_COMM_WORLD that joined with this unique id form a "
           "communicator of " +
           std::to_string(size) + " ranks, but nranks = " + std::to_string(nranks) +
           " was passed (every joining rank calls comm_init with the same id and nranks)";
  }
  if (me != rank) {
    return "comm_init: rank = " + std::to_string(rank) + " was passed, but MPI_Comm_split " +
           "placed this process at rank " + std::to_string(me) + " of " + std::to_string(size) +
           " (did two processes pass the same rank?)";
  }
  return "";
}

} // namespace

bool mpi_alive() {
  int initialized = 0;
  int finalized = 0;
  MPI_Initialized(&initialized);
  MPI_Finalized(&finalized);
  return initialized != 0 && finalized == 0;
}

sl_status mpi_fail(sl_context *ctx, const char *call, const char *mpi_call, int code) {
  char text[MPI_MAX_ERROR_STRING] = {};
  int length = 0;
  if (MPI_Error_string(code, text, &length) != MPI_SUCCESS) {
    std::snprintf(text, sizeof text, "MPI error code %d", code);
  }
  return fail(ctx, SL_DEVICE_ERROR, std::string(call) + ": " + mpi_call + " failed: " + text);
}

sl_status owned_comm(sl_context *ctx, const sl_comm *comm, const char *call) {
  if (const sl_status s = need_ctx(ctx, call); s != SL_OK) {
    return s;
  }
  if (comm == nullptr || ctx->comms.count(const_cast<sl_comm *>(comm)) == 0) {
    return fail(ctx, SL_INVALID_ARGUMENT,
                std::string(call) + ": communicator is NULL or not owned by this context");
  }
  return SL_OK;
}

sl_status comm_unique_id_size(sl_context *ctx, uint64_t *bytes) {
  if (const sl_status s = need_ctx(ctx, "comm_unique_id_size"); s != SL_OK) {
    return s;
  }
  if (bytes == nullptr) {
    return fail(ctx, SL_INVALID_ARGUMENT, "comm_unique_id_size: output pointer is NULL");
  }
  *bytes = k_comm_unique_id_bytes;
  return SL_OK;
}

sl_status comm_unique_id(sl_context *ctx, void *id, uint64_t bytes) {
  if (const sl_status s = need_ctx(ctx, "comm_unique_id"); s != SL_OK) {
    return s;
  }
  if (id == nullptr || bytes != k_comm_unique_id_bytes) {
    return fail(ctx, SL_INVALID_ARGUMENT,
                "comm_unique_id: id is NULL or bytes = " + std::to_string(bytes) + ", expected " +
                    std::to_string(k_comm_unique_id_bytes) + " (comm_unique_id_size)");
  }
  if (!random_bytes(static_cast<unsigned char *>(id), k_comm_unique_id_bytes)) {
    return fail(ctx, SL_DEVICE_ERROR,
                "comm_unique_id: neither getrandom nor /dev/urandom gave random bytes");
  }
  return SL_OK;
}

sl_status comm_init(sl_context *ctx, int32_t device, int32_t rank, int32_t nranks, const void *id,
                    uint64_t bytes, sl_comm **comm) {
  if (const sl_status s = check_device(ctx, device, "comm_init"); s != SL_OK) {
    return s;
  }
  if (comm == nullptr) {
    return fail(ctx, SL_INVALID_ARGUMENT, "comm_init: comm output pointer is NULL");
  }
  *comm = nullptr;
  if (nranks < 1 || rank < 0 || rank >= nranks) {
    return fail(ctx, SL_INVALID_ARGUMENT,
                "comm_init: rank = " + std::to_string(rank) + " of nranks = " +
                    std::to_string(nranks) + ", expected nranks >= 1 and 0 <= rank < nranks");
  }
  if (id == nullptr || bytes != k_comm_unique_id_bytes) {
    return fail(ctx, SL_INVALID_ARGUMENT,
                "comm_init: id is NULL or bytes = " + std::to_string(bytes) + ", expected " +
                    std::to_string(k_comm_unique_id_bytes) + " (comm_unique_id_size)");
  }
  int initialized = 0;
  int finalized = 0;
  MPI_Initialized(&initialized);
  MPI_Finalized(&finalized);
  if (initialized == 0) {
    return fail(ctx, SL_DEVICE_ERROR,
                std::string("comm_init: MPI is not initialized: ") + k_need_mpi +
                    " (and to call MPI_Init first)");
  }
  if (finalized != 0) {
    return fail(ctx, SL_DEVICE_ERROR,
                std::string("comm_init: MPI is already finalized: ") + k_need_mpi +
                    " and to create communicators before MPI_Finalize");
  }
  return guarded(ctx, "comm_init", [&]() -> sl_status {
    auto created = std::make_unique<sl_comm>();
    if (const int rc = MPI_Comm_split(MPI_COMM_WORLD, split_color(id, bytes), rank, &created->comm);
        rc != MPI_SUCCESS) {
      created->comm = MPI_COMM_NULL;
      return mpi_fail(ctx, "comm_init", "MPI_Comm_split(MPI_COMM_WORLD)", rc);
    }
    if (const int rc = MPI_Comm_set_errhandler(created->comm, MPI_ERRORS_RETURN);
        rc != MPI_SUCCESS) {
      return mpi_fail(ctx, "comm_init", "MPI_Comm_set_errhandler", rc);
    }
    int size = 0;
    int me = 0;
    MPI_Comm_size(created->comm, &size);
    MPI_Comm_rank(created->comm, &me);
    // All ranks of the new communicator agree on success, so none keeps a half-made one.
    const std::string mismatch = split_mismatch(size, me, rank, nranks);
    const int ok_here = mismatch.empty() ? 1 : 0;
    int ok_all = 0;
    if (const int rc = MPI_Allreduce(&ok_here, &ok_all, 1, MPI_INT, MPI_MIN, created->comm);
        rc != MPI_SUCCESS) {
      return mpi_fail(ctx, "comm_init", "MPI_Allreduce (agreeing on the split)", rc);
    }
    if (ok_all == 0) {
      return fail(ctx, SL_INVALID_ARGUMENT,
                  !mismatch.empty()
                      ? mismatch
                      : "comm_init: another rank of the communicator passed a rank that does not "
                        "match its place in the split (did two processes pass the same rank?)");
    }
    created->rank = me;
    created->nranks = size;
    if (!ctx->collective_user) {
      hold_reduce_ops();
      ctx->collective_user = true;
    }
    *comm = created.get();
    ctx->comms.emplace(created.get(), std::move(created));
    return SL_OK;
  });
}

sl_status comm_destroy(sl_context *ctx, sl_comm *comm) {
  if (const sl_status s = owned_comm(ctx, comm, "comm_destroy"); s != SL_OK) {
    return s;
  }
  int rc = MPI_SUCCESS;
  if (comm->comm != MPI_COMM_NULL && mpi_alive()) {
    rc = MPI_Comm_free(&comm->comm);
    comm->comm = MPI_COMM_NULL;
  }
  ctx->comms.erase(comm);
  return rc == MPI_SUCCESS ? SL_OK : mpi_fail(ctx, "comm_destroy", "MPI_Comm_free", rc);
}

} // namespace suanli::cpu
