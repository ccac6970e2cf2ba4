/* example_collectives.c: communicators and collectives (ABI 1.2) for a single process. The
 * simulated device has no interconnect, so a communicator has exactly one rank, and every
 * operation over one rank is a copy of send into recv (a reduction over one contribution is
 * that contribution; rank 0 sends to and receives from itself). This is enough for a one-rank
 * run and shows the checks every collective backend makes. */
#include "example.h"

#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

/* First 8 bytes of every unique id of this backend. */
static const unsigned char k_id_magic[8] = {'S', 'L', 'E', 'X', 'A', 'M', 'P', 'L'};

/* Makes ids of one process distinct (ids of different processes differ by time and address). */
static _Atomic uint64_t g_id_counter;

/** A queued collective (a copy of `bytes` bytes from send to recv). */
typedef struct ex_collective_command {
  ex_command base;  /**< must be first */
  const void *send; /**< device memory */
  void *recv;       /**< device memory */
  uint64_t bytes;   /**< bytes to move */
} ex_collective_command;

static void execute_collective(const ex_command *command) {
  const ex_collective_command *c = (const ex_collective_command *)command;
  if (c->send != c->recv) {
    memmove(c->recv, c->send, c->bytes);
  }
}

static const char *op_name(int32_t op) {
  static const char *const names[] = {"all_reduce", "all_gather", "reduce_scatter", "all_to_all",
                                      "broadcast",  "reduce",     "sendrecv"};
  return op >= 0 && op <= SL_COLL_SENDRECV ? names[op] : "unknown";
}

static int reduces(int32_t op) {
  return op == SL_COLL_ALL_REDUCE || op == SL_COLL_REDUCE_SCATTER || op == SL_COLL_REDUCE;
}

/* Elements of the send (send != 0) or receive buffer of desc over nranks (header's table). */
static uint64_t buffer_elems(const sl_collective_desc *d, int32_t nranks, int send) {
  const uint64_t n = (uint64_t)nranks;
  switch (d->op) {
  case SL_COLL_ALL_GATHER: return send ? d->count : n * d->count;
  case SL_COLL_REDUCE_SCATTER: return send ? n * d->count : d->count;
  case SL_COLL_ALL_TO_ALL: return n * d->count;
  default: return d->count;
  }
}

static sl_status owned_comm(sl_context *ctx, const sl_comm *comm, const char *call) {
  if (ex_need_context(ctx, call) != SL_OK) {
    return SL_INVALID_ARGUMENT;
  }
  for (const sl_comm *c = ctx->comms; c != NULL; c = c->next) {
    if (c == comm) {
      return SL_OK;
    }
  }
  return ex_fail(ctx, SL_INVALID_ARGUMENT,
                 "%s: communicator is NULL or not a live communicator of this context", call);
}

sl_status ex_comm_unique_id_size(sl_context *ctx, uint64_t *bytes) {
  if (ex_need_context(ctx, "comm_unique_id_size") != SL_OK) {
    return SL_INVALID_ARGUMENT;
  }
  if (bytes == NULL) {
    return ex_fail(ctx, SL_INVALID_ARGUMENT, "comm_unique_id_size: output pointer is NULL");
  }
  /* VENDOR: sizeof(HcclRootInfo) (Ascend), sizeof(cnclCliqueId) (Cambricon),
   * sizeof(BKCLUniqueId) (Kunlun), sizeof(ncclUniqueId) for RCCL/MCCL (Hygon, Moore Threads,
   * MetaX): at most 4096 bytes. */
  *bytes = EX_UNIQUE_ID_BYTES;
  return SL_OK;
}

sl_status ex_comm_unique_id(sl_context *ctx, void *id, uint64_t bytes) {
  if (ex_need_context(ctx, "comm_unique_id") != SL_OK) {
    return SL_INVALID_ARGUMENT;
  }
  if (id == NULL || bytes != EX_UNIQUE_ID_BYTES) {
    return ex_fail(ctx, SL_INVALID_ARGUMENT,
                   "comm_unique_id: id is NULL or bytes = %llu, expected %u "
                   "(comm_unique_id_size)",
                   (unsigned long long)bytes, EX_UNIQUE_ID_BYTES);
  }
  /* VENDOR: HcclGetRootInfo(&root_info) (Ascend), cnclGetCliqueId(&id) (Cambricon),
   * bkcl_get_unique_id(&id) (Kunlun), ncclGetUniqueId / mcclGetUniqueId (Hygon RCCL, Moore
   * Threads, MetaX). The host sends these bytes to every rank (over MPI) before comm_init. */
  const uint64_t unique =
      sl_mix64(ex_monotonic_ns() ^ (uint64_t)(uintptr_t)ctx) + atomic_fetch_add(&g_id_counter, 1);
  memcpy(id, k_id_magic, sizeof k_id_magic);
  memcpy((unsigned char *)id + sizeof k_id_magic, &unique, sizeof unique);
  return SL_OK;
}

sl_status ex_comm_init(sl_context *ctx, int32_t device, int32_t rank, int32_t nranks,
                       const void *id, uint64_t bytes, sl_comm **comm) {
  if (ex_check_device(ctx, device, "comm_init") != SL_OK) {
    return SL_INVALID_ARGUMENT;
  }
  if (comm == NULL) {
    return ex_fail(ctx, SL_INVALID_ARGUMENT, "comm_init: comm output pointer is NULL");
  }
  *comm = NULL;
  if (nranks < 1 || rank < 0 || rank >= nranks) {
    return ex_fail(ctx, SL_INVALID_ARGUMENT,
                   "comm_init: rank = %d of nranks = %d, expected nranks >= 1 and 0 <= rank < "
                   "nranks",
                   (int)rank, (int)nranks);
  }
  if (id == NULL || bytes != EX_UNIQUE_ID_BYTES || memcmp(id, k_id_magic, sizeof k_id_magic) != 0) {
    return ex_fail(ctx, SL_INVALID_ARGUMENT,
                   "comm_init: id is NULL, has %llu bytes (expected %u) or was not made by "
                   "comm_unique_id of the example backend",
                   (unsigned long long)bytes, EX_UNIQUE_ID_BYTES);
  }
  if (nranks > 1) {
    return ex_fail(ctx, SL_UNSUPPORTED,
                   "comm_init: %d ranks asked, but the example device has no interconnect: its "
                   "communicators have exactly one rank (a vendor maps this call to HCCL, CNCL, "
                   "BKCL, RCCL or MCCL)",
                   (int)nranks);
  }
  /* VENDOR: join here; this call may block until all nranks have joined.
   * HcclCommInitRootInfo(nranks, &root_info, rank, &comm) after aclrtSetDevice(device)
   * (Ascend), cnclInitComms(&comm, 1, &device, &rank, nranks, &clique_id) (Cambricon),
   * bkcl_init_rank(&ctx, rank, nranks, &id) (Kunlun), ncclCommInitRank / mcclCommInitRank
   * (Hygon RCCL, Moore Threads, MetaX). */
  sl_comm *created = calloc(1, sizeof *created);
  if (created == NULL) {
    return ex_fail(ctx, SL_OUT_OF_MEMORY, "comm_init: cannot allocate the communicator");
  }
  created->device = device;
  created->rank = rank;
  created->nranks = nranks;
  created->next = ctx->comms;
  ctx->comms = created;
  *comm = created;
  return SL_OK;
}

sl_status ex_comm_destroy(sl_context *ctx, sl_comm *comm) {
  if (owned_comm(ctx, comm, "comm_destroy") != SL_OK) {
    return SL_INVALID_ARGUMENT;
  }
  /* VENDOR: HcclCommDestroy / cnclDestroyComms / bkcl_destroy_context / ncclCommDestroy. */
  sl_comm **link = &ctx->comms;
  while (*link != comm) {
    link = &(*link)->next;
  }
  *link = comm->next;
  free(comm);
  return SL_OK;
}

/* Local validation of desc on comm (no communication); call names the ABI function. */
static sl_status check_desc(sl_context *ctx, const sl_comm *comm, const sl_collective_desc *d,
                            const char *call) {
  if (d == NULL) {
    return ex_fail(ctx, SL_INVALID_ARGUMENT, "%s: desc is NULL", call);
  }
  if (d->struct_size < sizeof(sl_collective_desc)) {
    return ex_fail(ctx, SL_INVALID_ARGUMENT, "%s: desc->struct_size = %u, expected >= %zu", call,
                   (unsigned)d->struct_size, sizeof(sl_collective_desc));
  }
  if (d->op < SL_COLL_ALL_REDUCE || d->op > SL_COLL_SENDRECV) {
    return ex_fail(ctx, SL_INVALID_ARGUMENT, "%s: op = %d is not an sl_collective_op (0 to 6)",
                   call, (int)d->op);
  }
  const char *op = op_name(d->op);
  if (sl_dtype_size(d->dtype) == 0) {
    return ex_fail(ctx, SL_INVALID_ARGUMENT, "%s: %s: dtype %d is not an sl_dtype value", call, op,
                   (int)d->dtype);
  }
  if (reduces(d->op) && (d->reduce < SL_REDUCE_SUM || d->reduce > SL_REDUCE_MAX)) {
    return ex_fail(ctx, SL_INVALID_ARGUMENT,
                   "%s: %s needs a reduction (sum, prod, min or max), got reduce = %d", call, op,
                   (int)d->reduce);
  }
  if (!reduces(d->op) && d->reduce != SL_REDUCE_NONE) {
    return ex_fail(ctx, SL_INVALID_ARGUMENT,
                   "%s: %s takes no reduction, got reduce = %d; expected SL_REDUCE_NONE", call, op,
                   (int)d->reduce);
  }
  const int rooted = d->op == SL_COLL_BROADCAST || d->op == SL_COLL_REDUCE;
  if (rooted ? (d->root < 0 || d->root >= comm->nranks) : d->root != 0) {
    return ex_fail(ctx, SL_INVALID_ARGUMENT, "%s: %s: root = %d, expected %s", call, op,
                   (int)d->root, rooted ? "a rank of the communicator" : "0");
  }
  if (d->reserved != 0) {
    return ex_fail(ctx, SL_INVALID_ARGUMENT, "%s: desc->reserved = %d, expected 0", call,
                   (int)d->reserved);
  }
  if (d->count < 1 || d->count > (uint64_t)EX_MAX_EXTENT / (uint64_t)comm->nranks) {
    return ex_fail(ctx, SL_INVALID_ARGUMENT, "%s: %s: count = %llu, expected 1 to 2^52 / nranks",
                   call, op, (unsigned long long)d->count);
  }
  /* VENDOR: refuse what the collective library lacks, with the reason: e.g. HCCL has no prod
   * for int8 and no fp64 on some products; BKCL's dtype list is short; check before the host
   * allocates anything. */
  if (reduces(d->op) && (d->dtype == SL_DTYPE_FP8_E4M3 || d->dtype == SL_DTYPE_FP8_E5M2)) {
    return ex_fail(ctx, SL_UNSUPPORTED,
                   "%s: %s: the example device has no fp8 arithmetic: reductions in %s are not "
                   "offered (moving fp8 data is)",
                   call, op, ex_dtype_name(d->dtype));
  }
  return SL_OK;
}

sl_status ex_collective_check(sl_context *ctx, const sl_comm *comm,
                              const sl_collective_desc *desc) {
  if (owned_comm(ctx, comm, "collective_check") != SL_OK) {
    return SL_INVALID_ARGUMENT;
  }
  return check_desc(ctx, comm, desc, "collective_check");
}

sl_status ex_collective_run(sl_context *ctx, sl_comm *comm, const sl_collective_desc *desc,
                            const void *send, void *recv, sl_stream *stream) {
  static const char call[] = "collective_run";
  if (owned_comm(ctx, comm, call) != SL_OK) {
    return SL_INVALID_ARGUMENT;
  }
  const sl_status s = check_desc(ctx, comm, desc, call);
  if (s != SL_OK) {
    return s;
  }
  if (ex_check_stream(ctx, stream, comm->device, call) != SL_OK) {
    return SL_INVALID_ARGUMENT;
  }
  const uint64_t size = sl_dtype_size(desc->dtype);
  const uint64_t send_bytes = buffer_elems(desc, comm->nranks, 1) * size;
  const uint64_t recv_bytes = buffer_elems(desc, comm->nranks, 0) * size;
  if (ex_check_range(ctx, comm->device, send, send_bytes, call, "send") != SL_OK ||
      ex_check_range(ctx, comm->device, recv, recv_bytes, call, "recv") != SL_OK) {
    return SL_INVALID_ARGUMENT;
  }
  /* NCCL's in-place forms; with one rank every shift (rank * count) is 0, so in place always
   * means send == recv. ALL_TO_ALL and SENDRECV have no in-place form. */
  const int out_of_place_only = desc->op == SL_COLL_ALL_TO_ALL || desc->op == SL_COLL_SENDRECV;
  const int in_place = send == recv && !out_of_place_only;
  if (!in_place && ex_overlap(send, send_bytes, recv, recv_bytes)) {
    return ex_fail(ctx, SL_INVALID_ARGUMENT,
                   "%s: %s: send and recv overlap but are not the operation's in-place form%s",
                   call, op_name(desc->op),
                   out_of_place_only ? " (this operation is out of place only)" : "");
  }
  ex_collective_command *command = calloc(1, sizeof *command);
  if (command == NULL) {
    return ex_fail(ctx, SL_OUT_OF_MEMORY, "%s: cannot allocate the command", call);
  }
  /* VENDOR: enqueue on the stream, mapping NCCL's conventions onto the library's:
   * HcclAllReduce(send, recv, count, dtype, op, comm, stream); HcclBroadcast(buf, count, dtype,
   * root, comm, stream) is in place on one buffer: copy send to recv on the root first;
   * HcclAllGather(send, recv, send_count, ...); HcclReduceScatter(send, recv, recv_count, ...);
   * HcclAlltoAll(send, count, dtype, recv, count, dtype, comm, stream). Kunlun's BKCL puts the
   * communicator first and, in bkcl_all_gather, the count before recv. Cambricon's CNCL and
   * RCCL/MCCL follow NCCL's argument order. */
  command->base.execute = execute_collective;
  command->send = send;
  command->recv = recv;
  command->bytes = recv_bytes; /* one rank: the output is the input (send block 0) */
  return ex_enqueue(ctx, stream, &command->base);
}

void ex_free_all_comms(sl_context *ctx) {
  while (ctx->comms != NULL) {
    sl_comm *c = ctx->comms;
    ctx->comms = c->next;
    free(c);
  }
}
