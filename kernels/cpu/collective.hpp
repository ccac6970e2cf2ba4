#pragma once
// Collectives of the CPU backend over MPI (ABI 1.2): the communicator handle and the helpers the
// collective calls share (MPI state and errors, descriptor checks, datatypes and reductions).
// The plugin never calls MPI_Init: the host initializes MPI (it runs under mpirun or srun).

#include <kernels/cpu/context.hpp>
#include <kernels/plugin_kit/collective_desc_check.hpp>

#include <mpi.h>

#include <cstdint>
#include <string>

/// A communicator: the ranks of MPI_COMM_WORLD that joined with one unique id, split off with
/// MPI_Comm_split (color = hash of the id, key = rank), errors returned rather than fatal.
struct sl_comm {
  sl_comm() = default;
  /// MPI_Comm_free, unless MPI is already finalized.
  ~sl_comm();
  sl_comm(const sl_comm &) = delete;
  sl_comm &operator=(const sl_comm &) = delete;

  MPI_Comm comm = MPI_COMM_NULL; ///< the split communicator; MPI_COMM_NULL once freed
  int32_t rank = 0;              ///< this process's rank in comm
  int32_t nranks = 1;            ///< ranks in comm
  /// The last call that passed every check, so that repeating it (the timed loop) is not
  /// checked again: the checks' cost would otherwise be timed with every call.
  struct checked_call {
    sl_collective_desc desc{};             ///< its descriptor, compared bytewise
    const void *send = nullptr;            ///< its send buffer
    void *recv = nullptr;                  ///< its receive buffer
    bool in_place = false;                 ///< whether it was NCCL's in-place form
    MPI_Datatype type = MPI_DATATYPE_NULL; ///< its element type
    MPI_Op op = MPI_OP_NULL;               ///< its reduction (MPI_OP_NULL when none)
    bool valid = false;                    ///< set once a call passed
  } last_checked;
};

namespace suanli::cpu {

/// Size of the CPU backend's unique id [bytes].
inline constexpr uint64_t k_comm_unique_id_bytes = 32;

/// True while MPI is initialized and not yet finalized.
bool mpi_alive();

/// SL_DEVICE_ERROR with "<call>: <mpi_call> failed: <MPI_Error_string(code)>".
sl_status mpi_fail(sl_context *ctx, const char *call, const char *mpi_call, int code);

/// SL_OK when ctx is non-NULL and owns comm, else SL_INVALID_ARGUMENT with a reason.
sl_status owned_comm(sl_context *ctx, const sl_comm *comm, const char *call);

// Operation names, which operations reduce, buffer sizes: shared by every plugin.
using plugin_kit::collective_elems;
using plugin_kit::collective_op_name;
using plugin_kit::collective_reduces;

/// Local validation of desc on comm: SL_OK, or SL_UNSUPPORTED / SL_INVALID_ARGUMENT with a
/// reason that starts with call.
sl_status check_collective_desc(const sl_comm &comm, const sl_collective_desc *desc,
                                const char *call, std::string &reason);

/// MPI datatype of one element of a collective dtype (MPI_UINT16_T for fp16 and bf16).
MPI_Datatype mpi_datatype(sl_dtype dtype);

/// The MPI_Op of reduce on dtype: predefined for fp32, fp64, int32 and int8; for fp16 and bf16
/// a user-defined commutative op (convert to float, combine, round to nearest even), created
/// once per process on first use. SL_OK, or SL_DEVICE_ERROR with reason.
sl_status mpi_reduce_op(sl_dtype dtype, sl_reduce_op reduce, MPI_Op &op, std::string &reason);

/// Take a reference on the process's user-defined ops (a context's first communicator).
void hold_reduce_ops();

/// Drop a reference (at finalize); the last one frees the ops while MPI is still up.
void release_reduce_ops();

} // namespace suanli::cpu
