// collective_run: one collective as one synchronous MPI call (the CPU stream is synchronous),
// with NCCL's buffer conventions and in-place forms mapped onto MPI's, and the optional fault
// injection SUANLI_CPU_FAULT=corrupt_collective_output (see lifecycle.cpp).

#include <kernels/cpu/api.hpp>
#include <kernels/cpu/collective.hpp>
#include <kernels/cpu/half.hpp>

#include <cstring>

namespace suanli::cpu {

namespace {

constexpr int k_sendrecv_tag = 0x5a17; // point-to-point tag of SENDRECV on the split comm

// One call's buffers as MPI sees them.
struct call_args {
  const sl_comm &comm;
  const sl_collective_desc &desc;
  const void *send;
  void *recv;
  bool in_place;
  MPI_Datatype type;
  MPI_Op op;
  size_t block_bytes; // count elements [bytes]
};

// True when [a, a + a_bytes) and [b, b + b_bytes) share a byte.
bool overlap(const void *a, uint64_t a_bytes, const void *b, uint64_t b_bytes) {
  const auto x = reinterpret_cast<uintptr_t>(a);
  const auto y = reinterpret_cast<uintptr_t>(b);
  return x < y + b_bytes && y < x + a_bytes;
}

// NCCL's in-place form of desc for this rank.
bool nccl_in_place(const sl_comm &c, const sl_collective_desc &d, const void *send,
                   const void *recv) {
  const uint64_t shift = static_cast<uint64_t>(c.rank) * d.count * sl_dtype_size(d.dtype);
  const auto s = reinterpret_cast<uintptr_t>(send);
  const auto r = reinterpret_cast<uintptr_t>(recv);
  switch (d.op) {
  case SL_COLL_ALL_GATHER: return s == r + shift;
  case SL_COLL_REDUCE_SCATTER: return r == s + shift;
  case SL_COLL_ALL_TO_ALL:
  case SL_COLL_SENDRECV: return false;
  default: return s == r;
  }
}

// The MPI call of args; its return code, with its name in mpi_call.
int call_mpi(const call_args &a, const char *&mpi_call) {
  const sl_collective_desc &d = a.desc;
  const int count = static_cast<int>(d.count);
  const int n = a.comm.nranks;
  const int me = a.comm.rank;
  const MPI_Comm comm = a.comm.comm;
  const void *send = a.in_place ? MPI_IN_PLACE : a.send;
  switch (d.op) {
  case SL_COLL_ALL_REDUCE:
    mpi_call = "MPI_Allreduce";
    return MPI_Allreduce(send, a.recv, count, a.type, a.op, comm);
  case SL_COLL_ALL_GATHER:
    mpi_call = "MPI_Allgather";
    return a.in_place
               ? MPI_Allgather(MPI_IN_PLACE, 0, MPI_DATATYPE_NULL, a.recv, count, a.type, comm)
               : MPI_Allgather(a.send, count, a.type, a.recv, count, a.type, comm);
  case SL_COLL_REDUCE_SCATTER: {
    mpi_call = "MPI_Reduce_scatter_block";
    if (!a.in_place) {
      return MPI_Reduce_scatter_block(a.send, a.recv, count, a.type, a.op, comm);
    }
    // MPI reduces the whole buffer in place into its first block; NCCL's contract puts block
    // `rank` of the reduction at send + rank * count, which is recv.
    auto *base = static_cast<char *>(a.recv) - static_cast<size_t>(me) * a.block_bytes;
    const int rc = MPI_Reduce_scatter_block(MPI_IN_PLACE, base, count, a.type, a.op, comm);
    if (rc == MPI_SUCCESS && me != 0) {
      std::memmove(a.recv, base, a.block_bytes);
    }
    return rc;
  }
  case SL_COLL_ALL_TO_ALL:
    mpi_call = "MPI_Alltoall";
    return MPI_Alltoall(a.send, count, a.type, a.recv, count, a.type, comm);
  case SL_COLL_BROADCAST:
    mpi_call = "MPI_Bcast";
    if (me == d.root && !a.in_place) {
      std::memmove(a.recv, a.send, a.block_bytes); // recv holds the data on every rank
    }
    return MPI_Bcast(a.recv, count, a.type, d.root, comm);
  case SL_COLL_REDUCE:
    mpi_call = "MPI_Reduce";
    if (me != d.root) { // MPI_IN_PLACE is for the root only; recv is not written here
      return MPI_Reduce(a.send, nullptr, count, a.type, a.op, d.root, comm);
    }
    return MPI_Reduce(send, a.recv, count, a.type, a.op, d.root, comm);
  default:
    mpi_call = "MPI_Sendrecv";
    return MPI_Sendrecv(a.send, count, a.type, (me + 1) % n, k_sendrecv_tag, a.recv, count, a.type,
                        (me - 1 + n) % n, k_sendrecv_tag, comm, MPI_STATUS_IGNORE);
  }
}

// Add one to the T at p (through memcpy: the buffer's bytes are only known as bytes).
template <class T> void add_one(unsigned char *p) {
  T v{};
  std::memcpy(&v, p, sizeof v);
  v = static_cast<T>(v + 1);
  std::memcpy(p, &v, sizeof v);
}

// Add one to the 16-bit float at p through float.
void add_one_half(unsigned char *p, bool bf16) {
  uint16_t h = 0;
  std::memcpy(&h, p, sizeof h);
  h = bf16 ? float_to_bf16(bf16_to_float(h) + 1.0f) : float_to_fp16(fp16_to_float(h) + 1.0f);
  std::memcpy(p, &h, sizeof h);
}

// SUANLI_CPU_FAULT=corrupt_collective_output: add 1 to element i (flip its lowest bit where
// adding 1 leaves it unchanged), so exactly one element of the output differs.
void corrupt_element(void *out, sl_dtype dtype, uint64_t i) {
  const size_t size = sl_dtype_size(dtype);
  auto *p = static_cast<unsigned char *>(out) + i * size;
  unsigned char before[8] = {};
  std::memcpy(before, p, size);
  switch (dtype) {
  case SL_DTYPE_FP64: add_one<double>(p); break;
  case SL_DTYPE_FP32: add_one<float>(p); break;
  case SL_DTYPE_INT32: add_one<uint32_t>(p); break; // wraps like two's complement
  case SL_DTYPE_INT8: add_one<uint8_t>(p); break;
  case SL_DTYPE_BF16: add_one_half(p, true); break;
  case SL_DTYPE_FP16: add_one_half(p, false); break;
  default: break;
  }
  if (std::memcmp(before, p, size) == 0) {
    p[0] ^= 1u; // little endian: the lowest mantissa or integer bit
  }
}

// Where a rank's defined output starts and how many elements it has; 0 when it has none.
uint64_t output_elems(const sl_comm &c, const sl_collective_desc &d) {
  if (d.op == SL_COLL_REDUCE && c.rank != d.root) {
    return 0;
  }
  return collective_elems(d, c.nranks, false);
}

// Every check of one call; on success `out` describes it (and is marked valid).
sl_status check_call(sl_context *ctx, const sl_comm *comm, const sl_collective_desc *desc,
                     const void *send, void *recv, sl_comm::checked_call &out) {
  std::string reason;
  if (const sl_status s = check_collective_desc(*comm, desc, "collective_run", reason);
      s != SL_OK) {
    return fail(ctx, s, std::move(reason));
  }
  const sl_collective_desc &d = *desc;
  // Built only on an error path: the success path allocates nothing (it is inside the timing).
  const auto at = [&] { return std::string("collective_run: ") + collective_op_name(d.op); };
  const bool root = comm->rank == d.root;
  const bool reads_send = d.op != SL_COLL_BROADCAST || root;
  const bool writes_recv = d.op != SL_COLL_REDUCE || root;
  if ((reads_send && send == nullptr) || (writes_recv && recv == nullptr)) {
    return fail(ctx, SL_INVALID_ARGUMENT, at() + ": send or recv is NULL");
  }
  if ((d.op == SL_COLL_ALL_TO_ALL || d.op == SL_COLL_SENDRECV) && send == recv) {
    return fail(ctx, SL_INVALID_ARGUMENT,
                at() + " is out of place only, but send == recv (NCCL defines no in-place form)");
  }
  const size_t size = sl_dtype_size(d.dtype);
  const bool in_place = nccl_in_place(*comm, d, send, recv);
  if (!in_place && reads_send && writes_recv &&
      overlap(send, collective_elems(d, comm->nranks, true) * size, recv,
              collective_elems(d, comm->nranks, false) * size)) {
    return fail(ctx, SL_INVALID_ARGUMENT,
                at() + ": send and recv overlap but are not the operation's in-place form "
                       "(all_reduce, broadcast, reduce: send == recv; all_gather: send == recv + "
                       "rank * count; reduce_scatter: recv == send + rank * count)");
  }
  MPI_Op op = MPI_OP_NULL;
  if (collective_reduces(d.op)) {
    if (const sl_status s = mpi_reduce_op(d.dtype, static_cast<sl_reduce_op>(d.reduce), op, reason);
        s != SL_OK) {
      return fail(ctx, s, at() + ": " + reason);
    }
  }
  out.desc = d;
  out.send = send;
  out.recv = recv;
  out.in_place = in_place;
  out.type = mpi_datatype(d.dtype);
  out.op = op;
  out.valid = true;
  return SL_OK;
}

} // namespace

sl_status collective_run(sl_context *ctx, sl_comm *comm, const sl_collective_desc *desc,
                         const void *send, void *recv, sl_stream *) {
  if (const sl_status s = owned_comm(ctx, comm, "collective_run"); s != SL_OK) {
    return s;
  }
  sl_comm::checked_call &last = comm->last_checked;
  // struct_size first: equal to the checked one, the caller's struct is large enough to compare.
  if (!(last.valid && desc != nullptr && send == last.send && recv == last.recv &&
        desc->struct_size == last.desc.struct_size &&
        std::memcmp(desc, &last.desc, sizeof last.desc) == 0)) {
    last.valid = false;
    if (const sl_status s = check_call(ctx, comm, desc, send, recv, last); s != SL_OK) {
      return s;
    }
  }
  const sl_collective_desc &d = last.desc;
  if (!mpi_alive()) {
    return fail(ctx, SL_DEVICE_ERROR, "collective_run: MPI was finalized before the collective");
  }
  const call_args args{*comm,         d,         send,    recv,
                       last.in_place, last.type, last.op, d.count * sl_dtype_size(d.dtype)};
  const char *mpi_call = "MPI";
  if (const int rc = call_mpi(args, mpi_call); rc != MPI_SUCCESS) {
    const std::string at = std::string("collective_run: ") + collective_op_name(d.op);
    return mpi_fail(ctx, at.c_str(), mpi_call, rc);
  }
  if (ctx->fault_corrupt_collective) {
    // The highest rank corrupts its output; for reduce the root, the only rank with one.
    const int32_t culprit = d.op == SL_COLL_REDUCE ? d.root : comm->nranks - 1;
    if (comm->rank == culprit && output_elems(*comm, d) > 0) {
      corrupt_element(recv, d.dtype, d.count / 2);
    }
  }
  return SL_OK;
}

} // namespace suanli::cpu
