// init, finalize, last_error, library_versions.

#include <kernels/cuda/api.hpp>
#include <kernels/cuda/context.hpp>
#include <kernels/cuda/inventory_text.hpp>
#include <kernels/cuda/nccl.hpp>
#ifdef SUANLI_CUDA_CUDNN
#include <kernels/cuda/cudnn_library.hpp>
#endif

#include <cublas_api.h>

#include <cstring>

namespace suanli::cuda {

sl_status init(const sl_init_options * /*options: threads do not apply to GPUs*/,
               sl_context **ctx) {
  return guarded(nullptr, "init", [&]() -> sl_status {
    if (ctx == nullptr) {
      return fail(nullptr, SL_INVALID_ARGUMENT, "init: ctx output pointer is NULL");
    }
    *ctx = nullptr;
    int count = 0;
    if (const cudaError_t err = cudaGetDeviceCount(&count); err != cudaSuccess) {
      int driver = 0, runtime = 0;
      cudaDriverGetVersion(&driver);
      cudaRuntimeGetVersion(&runtime);
      cudaGetLastError();
      return fail(nullptr, SL_DEVICE_ERROR,
                  "no usable CUDA driver or device: cudaGetDeviceCount: " + cuda_text(err) +
                      (driver == 0
                           ? " (no NVIDIA driver is loaded"
                           : " (the driver supports up to CUDA " + cuda_version_text(driver)) +
                      "; the plugin's runtime is CUDA " + cuda_version_text(runtime) + ")");
    }
    auto created = std::make_unique<sl_context>();
    created->devices = count;
    created->state.resize(static_cast<size_t>(count));
    *ctx = created.release();
    return SL_OK;
  });
}

void finalize(sl_context *ctx) {
  if (ctx != nullptr) {
    ctx->comms.clear(); // ncclCommDestroy while the streams and buffers still exist
  }
  delete ctx;
}

const char *last_error(const sl_context *ctx) {
  return ctx != nullptr ? ctx->error.c_str() : thread_error();
}

sl_status library_versions(sl_context *ctx, char *buf, size_t buf_size) {
  if (const sl_status s = need_ctx(ctx, "library_versions"); s != SL_OK) {
    return s;
  }
  return guarded(ctx, "library_versions", [&] {
    int driver = 0, runtime = 0;
    cudaDriverGetVersion(&driver);
    cudaRuntimeGetVersion(&runtime);
    std::vector<std::pair<std::string, std::string>> items = {
        {"CUDA runtime", cuda_version_text(runtime)},
        {"CUDA driver API", cuda_version_text(driver)},
        {"cuBLASLt", cublas_version_text(cublasLtGetVersion()) + " (built with " +
                         cublas_version_text(CUBLAS_VERSION) + ")"},
    };
    if (!ctx->nvml.available()) {
      items.emplace_back("NVML", "unavailable: " + ctx->nvml.note());
    } else {
      items.emplace_back("NVML", ctx->nvml.library_version());
      items.emplace_back("NVIDIA driver", ctx->nvml.driver_version());
      for (int32_t d = 0; d < ctx->devices; ++d) {
        cudaDeviceProp p{};
        if (cudaGetDeviceProperties(&p, d) != cudaSuccess) {
          continue;
        }
        unsigned char bytes[16];
        std::memcpy(bytes, p.uuid.bytes, sizeof bytes);
        const nvml_device_info info = ctx->nvml.device(gpu_uuid_text(bytes));
        const std::string key = "gpu" + std::to_string(d);
        items.emplace_back(key + ".ecc", info.ecc_enabled < 0    ? "unknown"
                                         : info.ecc_enabled == 1 ? "enabled"
                                                                 : "disabled");
        items.emplace_back(key + ".power_limit",
                           info.power_limit_mw == 0
                               ? "unknown"
                               : std::to_string(info.power_limit_mw / 1000) + " W");
      }
    }
    const nccl_library &lib = nccl();
    items.emplace_back("NCCL", lib.available ? lib.version : "unavailable: " + lib.note);
#ifdef SUANLI_CUDA_CUDNN
    const cudnn_library &dnn = cudnn(); // loaded here if no attention plan loaded it yet
    items.emplace_back("cuDNN", dnn.available ? dnn.version : "unavailable: " + dnn.note);
#endif
    return copy_text(ctx, join_versions(items), buf, buf_size, "library_versions");
  });
}

} // namespace suanli::cuda
