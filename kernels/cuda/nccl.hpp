#pragma once
// NCCL through dlopen("libnccl.so.2") at first use: never linked, so the plugin loads and runs
// GEMM where NCCL is absent. Only nccl.h's types and declarations (for the function pointer
// types) are used; every entry point is resolved with dlsym.

#include <nccl.h>

#include <string>

namespace suanli::cuda {

/// The NCCL entry points the plugin calls, typed from nccl.h.
struct nccl_api {
  decltype(&::ncclGetVersion) get_version = nullptr;                 ///< version code
  decltype(&::ncclGetErrorString) get_error_string = nullptr;        ///< text of a result
  decltype(&::ncclGetLastError) get_last_error = nullptr;            ///< optional: last message
  decltype(&::ncclGetUniqueId) get_unique_id = nullptr;              ///< bootstrap id
  decltype(&::ncclCommInitRank) comm_init_rank = nullptr;            ///< join a communicator
  decltype(&::ncclCommDestroy) comm_destroy = nullptr;               ///< leave, after flushing
  decltype(&::ncclCommAbort) comm_abort = nullptr;                   ///< leave, stopping work
  decltype(&::ncclCommGetAsyncError) comm_get_async_error = nullptr; ///< asynchronous failure
  decltype(&::ncclAllReduce) all_reduce = nullptr;                   ///< all_reduce
  decltype(&::ncclAllGather) all_gather = nullptr;                   ///< all_gather
  decltype(&::ncclReduceScatter) reduce_scatter = nullptr;           ///< reduce_scatter
  decltype(&::ncclAlltoAll) all_to_all = nullptr;    ///< optional (2.28+): else grouped send/recv
  decltype(&::ncclBroadcast) broadcast = nullptr;    ///< broadcast
  decltype(&::ncclReduce) reduce = nullptr;          ///< reduce
  decltype(&::ncclSend) send = nullptr;              ///< point-to-point send
  decltype(&::ncclRecv) recv = nullptr;              ///< point-to-point receive
  decltype(&::ncclGroupStart) group_start = nullptr; ///< open a group of calls
  decltype(&::ncclGroupEnd) group_end = nullptr;     ///< launch the group
};

/// The process's NCCL: loaded once, on the first call of nccl(), and never unloaded (NCCL's
/// threads and caches are not made to be unloaded).
struct nccl_library {
  bool available = false; ///< libnccl.so.2 loaded, every required symbol found, version >= 2.10
  std::string note;       ///< why NCCL is unavailable (empty when available)
  std::string version;    ///< "2.28.9" from ncclGetVersion (empty when unavailable)
  nccl_api fn;            ///< the entry points (required ones non-NULL when available)
};

/// The process's NCCL, loading it on the first call (thread-safe).
const nccl_library &nccl();

/// "ncclX (text from ncclGetErrorString)" plus NCCL's last message (ncclGetLastError, about
/// comm when given) where it has one.
std::string nccl_error_text(ncclResult_t result, ncclComm_t comm = nullptr);

} // namespace suanli::cuda
