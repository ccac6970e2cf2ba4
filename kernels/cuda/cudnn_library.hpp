#pragma once
// cuDNN through dlopen("libcudnn.so.9") at first use, exactly as nccl.hpp loads NCCL: never
// linked, so the plugin loads and runs GEMM where cuDNN is absent. Only cudnn_graph.h's types
// and declarations are used (for the function pointer types); every entry point is resolved
// with dlsym. Only the backend (graph) API is called.

#include <cudnn_graph.h>

#include <string>

namespace suanli::cuda {

/// The cuDNN entry points the plugin calls, typed from cudnn_graph.h.
struct cudnn_api {
  decltype(&::cudnnGetVersion) get_version = nullptr;                      ///< version code
  decltype(&::cudnnGetErrorString) get_error_string = nullptr;             ///< text of a status
  decltype(&::cudnnGetLastErrorString) get_last_error_string = nullptr;    ///< last message
  decltype(&::cudnnCreate) create = nullptr;                               ///< handle on a device
  decltype(&::cudnnDestroy) destroy = nullptr;                             ///< destroy a handle
  decltype(&::cudnnSetStream) set_stream = nullptr;                        ///< stream of a handle
  decltype(&::cudnnBackendCreateDescriptor) create_descriptor = nullptr;   ///< new descriptor
  decltype(&::cudnnBackendDestroyDescriptor) destroy_descriptor = nullptr; ///< free one
  decltype(&::cudnnBackendSetAttribute) set_attribute = nullptr;           ///< set attribute
  decltype(&::cudnnBackendGetAttribute) get_attribute = nullptr;           ///< read attribute
  decltype(&::cudnnBackendFinalize) finalize = nullptr;                    ///< validate, freeze
  decltype(&::cudnnBackendExecute) execute = nullptr;                      ///< run a plan
};

/// The process's cuDNN: loaded once, on the first call of cudnn(), and never unloaded.
struct cudnn_library {
  bool available = false; ///< libcudnn.so.9 loaded, every symbol found, major version 9
  std::string note;       ///< why cuDNN is unavailable (empty when available)
  int version_code = 0;   ///< cudnnGetVersion(), e.g. 91900 (0 when unavailable)
  std::string version;    ///< "9.19.0" (empty when unavailable)
  cudnn_api fn;           ///< the entry points (all non-NULL when available)
};

/// The process's cuDNN, loading it on the first call (thread-safe).
const cudnn_library &cudnn();

/// "9.19.0" from a cudnnGetVersion() code (9.x: major * 10000 + minor * 100 + patch).
std::string cudnn_version_text(int code);

/// "CUDNN_STATUS_X (text): <cudnnGetLastErrorString>" for a failed call.
std::string cudnn_error_text(cudnnStatus_t status);

} // namespace suanli::cuda
