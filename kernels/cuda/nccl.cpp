// NCCL loaded at run time: dlopen("libnccl.so.2") on first use, dlsym of the entry points the
// collectives call, and a version check (2.10 brought bf16, the newest dtype offered).

#include <kernels/cuda/collective_desc.hpp>
#include <kernels/cuda/nccl.hpp>

#include <dlfcn.h>

namespace suanli::cuda {

namespace {

constexpr const char *k_library = "libnccl.so.2";
constexpr int k_min_version = 21000; // NCCL 2.10.0: ncclBfloat16

// Resolve name into fn; false (with the name in missing) when it is required and absent.
template <class Fn> bool resolve(void *lib, const char *name, Fn &fn, std::string &missing) {
  fn = reinterpret_cast<Fn>(dlsym(lib, name));
  if (fn == nullptr && missing.empty()) {
    missing = name;
  }
  return fn != nullptr;
}

nccl_library load() {
  nccl_library out;
  void *lib = dlopen(k_library, RTLD_NOW | RTLD_LOCAL);
  if (lib == nullptr) {
    const char *why = dlerror();
    out.note = std::string("NCCL not loaded: ") + (why != nullptr ? why : "dlopen failed") +
               " (install NCCL 2.10 or later, or add its directory to LD_LIBRARY_PATH)";
    return out;
  }
  nccl_api &f = out.fn;
  std::string missing;
  resolve(lib, "ncclGetVersion", f.get_version, missing);
  resolve(lib, "ncclGetErrorString", f.get_error_string, missing);
  resolve(lib, "ncclGetUniqueId", f.get_unique_id, missing);
  resolve(lib, "ncclCommInitRank", f.comm_init_rank, missing);
  resolve(lib, "ncclCommDestroy", f.comm_destroy, missing);
  resolve(lib, "ncclCommAbort", f.comm_abort, missing);
  resolve(lib, "ncclCommGetAsyncError", f.comm_get_async_error, missing);
  resolve(lib, "ncclAllReduce", f.all_reduce, missing);
  resolve(lib, "ncclAllGather", f.all_gather, missing);
  resolve(lib, "ncclReduceScatter", f.reduce_scatter, missing);
  resolve(lib, "ncclBroadcast", f.broadcast, missing);
  resolve(lib, "ncclReduce", f.reduce, missing);
  resolve(lib, "ncclSend", f.send, missing);
  resolve(lib, "ncclRecv", f.recv, missing);
  resolve(lib, "ncclGroupStart", f.group_start, missing);
  resolve(lib, "ncclGroupEnd", f.group_end, missing);
  std::string optional; // absent ones are worked around
  resolve(lib, "ncclGetLastError", f.get_last_error, optional);
  resolve(lib, "ncclAlltoAll", f.all_to_all, optional);
  int code = 0;
  if (f.get_version != nullptr && f.get_version(&code) != ncclSuccess) {
    code = 0;
  }
  if (!missing.empty()) {
    out.note = std::string("NCCL unusable: ") + k_library + " (version " + nccl_version_text(code) +
               ") has no " + missing;
  } else if (code < k_min_version) {
    out.note = std::string("NCCL unusable: ") + k_library + " is version " +
               nccl_version_text(code) + ", older than " + nccl_version_text(k_min_version) +
               " (the first with bf16)";
  }
  if (!out.note.empty()) {
    out.fn = nccl_api{};
    dlclose(lib);
    return out;
  }
  out.available = true;
  out.version = nccl_version_text(code);
  return out; // lib stays loaded for the life of the process
}

} // namespace

const nccl_library &nccl() {
  static const nccl_library library = load();
  return library;
}

std::string nccl_error_text(ncclResult_t result, ncclComm_t comm) {
  const nccl_library &lib = nccl();
  std::string text = nccl_result_name(result);
  if (lib.fn.get_error_string != nullptr) {
    text += std::string(" (") + lib.fn.get_error_string(result) + ")";
  }
  if (lib.fn.get_last_error != nullptr) {
    const char *last = lib.fn.get_last_error(comm);
    if (last != nullptr && *last != '\0') {
      text += std::string(": ") + last;
    }
  }
  return text;
}

} // namespace suanli::cuda
