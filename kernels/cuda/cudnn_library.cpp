// cuDNN loaded at run time: dlopen("libcudnn.so.9") on first use, dlsym of the backend API's
// entry points, and a major-version check (the backend API as used here is cuDNN 9's).

#include <kernels/cuda/cudnn_library.hpp>

#include <dlfcn.h>

namespace suanli::cuda {

namespace {

constexpr const char *k_library = "libcudnn.so.9";
constexpr int k_major = 9;

template <class Fn> void resolve(void *lib, const char *name, Fn &fn, std::string &missing) {
  fn = reinterpret_cast<Fn>(dlsym(lib, name));
  if (fn == nullptr && missing.empty()) {
    missing = name;
  }
}

cudnn_library load() {
  cudnn_library out;
  void *lib = dlopen(k_library, RTLD_NOW | RTLD_LOCAL);
  if (lib == nullptr) {
    const char *why = dlerror();
    out.note = std::string("cuDNN (") + k_library +
               ") not found: " + (why != nullptr ? why : "dlopen failed") +
               " (install cuDNN 9, or add its directory to LD_LIBRARY_PATH)";
    return out;
  }
  cudnn_api &f = out.fn;
  std::string missing;
  resolve(lib, "cudnnGetVersion", f.get_version, missing);
  resolve(lib, "cudnnGetErrorString", f.get_error_string, missing);
  resolve(lib, "cudnnGetLastErrorString", f.get_last_error_string, missing);
  resolve(lib, "cudnnCreate", f.create, missing);
  resolve(lib, "cudnnDestroy", f.destroy, missing);
  resolve(lib, "cudnnSetStream", f.set_stream, missing);
  resolve(lib, "cudnnBackendCreateDescriptor", f.create_descriptor, missing);
  resolve(lib, "cudnnBackendDestroyDescriptor", f.destroy_descriptor, missing);
  resolve(lib, "cudnnBackendSetAttribute", f.set_attribute, missing);
  resolve(lib, "cudnnBackendGetAttribute", f.get_attribute, missing);
  resolve(lib, "cudnnBackendFinalize", f.finalize, missing);
  resolve(lib, "cudnnBackendExecute", f.execute, missing);
  const int code = f.get_version != nullptr ? static_cast<int>(f.get_version()) : 0;
  if (!missing.empty()) {
    out.note = std::string("cuDNN unusable: ") + k_library + " (version " +
               cudnn_version_text(code) + ") has no " + missing;
  } else if (code / 10000 != k_major) {
    out.note = std::string("cuDNN unusable: ") + k_library + " reports version " +
               cudnn_version_text(code) + ", expected 9.x";
  }
  if (!out.note.empty()) {
    out.fn = cudnn_api{};
    dlclose(lib);
    return out;
  }
  out.available = true;
  out.version_code = code;
  out.version = cudnn_version_text(code);
  return out; // lib stays loaded for the life of the process
}

} // namespace

const cudnn_library &cudnn() {
  static const cudnn_library library = load();
  return library;
}

std::string cudnn_version_text(int code) {
  return std::to_string(code / 10000) + "." + std::to_string(code / 100 % 100) + "." +
         std::to_string(code % 100);
}

std::string cudnn_error_text(cudnnStatus_t status) {
  const cudnn_library &lib = cudnn();
  std::string text = "cuDNN status " + std::to_string(static_cast<int>(status));
  if (lib.fn.get_error_string != nullptr) {
    text = lib.fn.get_error_string(status);
  }
  if (lib.fn.get_last_error_string != nullptr) {
    char last[1024] = {};
    lib.fn.get_last_error_string(last, sizeof last);
    if (last[0] != '\0') {
      text += std::string(": ") + last;
    }
  }
  return text;
}

} // namespace suanli::cuda
