// init, finalize, last_error, library_versions.

#include <kernels/cpu/api.hpp>
#include <kernels/cpu/context.hpp>
#include <kernels/cpu/gemm_plan.hpp>

#include <cblas.h>

#include <cstddef>
#include <cstdlib>
#include <sstream>

/* Fault injection, for tests of the host's verification only: when the environment variable
 * SUANLI_CPU_FAULT is "corrupt_gemm_output" at init, every gemm_run of that context adds 1024
 * (floating outputs) or 1 (int32 outputs) to element (m/2, n/2) of batch entry 0 of C after
 * computing it. Any other non-empty value makes init fail, so a typo cannot go unnoticed. */
namespace {
constexpr const char *k_fault_env = "SUANLI_CPU_FAULT";
constexpr const char *k_fault_corrupt_gemm = "corrupt_gemm_output";
} // namespace

sl_context::sl_context() : engine(dnnl::engine::kind::cpu, 0), stream(engine) {}

sl_context::~sl_context() {
  plans.clear();
  for (const auto &[ptr, bytes] : allocations) {
    std::free(ptr);
  }
}

namespace suanli::cpu {

namespace {

const char *dnnl_runtime_name(unsigned runtime) {
  switch (runtime) {
  case DNNL_RUNTIME_SEQ: return "sequential";
  case DNNL_RUNTIME_OMP: return "OpenMP";
  case DNNL_RUNTIME_TBB: return "TBB";
  case DNNL_RUNTIME_THREADPOOL: return "threadpool";
  default: return "other";
  }
}

} // namespace

sl_status init(const sl_init_options *options, sl_context **ctx) {
  return guarded(nullptr, "init", [&]() -> sl_status {
    if (ctx == nullptr) {
      return fail(nullptr, SL_INVALID_ARGUMENT, "init: ctx output pointer is NULL");
    }
    *ctx = nullptr;
    int32_t threads = 0;
    if (options != nullptr &&
        options->struct_size >= offsetof(sl_init_options, threads) + sizeof(int32_t)) {
      threads = options->threads;
    }
    if (threads < 0) {
      return fail(nullptr, SL_INVALID_ARGUMENT,
                  "init: threads = " + std::to_string(threads) + ", expected >= 0 (0 = all cores)");
    }
    const char *fault = std::getenv(k_fault_env);
    const bool corrupt = fault != nullptr && std::string(fault) == k_fault_corrupt_gemm;
    if (fault != nullptr && *fault != '\0' && !corrupt) {
      return fail(nullptr, SL_INVALID_ARGUMENT,
                  std::string("init: ") + k_fault_env + "=" + fault +
                      " is not a known fault (known: " + k_fault_corrupt_gemm + ")");
    }
    auto created = std::make_unique<sl_context>();
    created->cpu = probe_cpu();
    created->threads = threads == 0 ? static_cast<int32_t>(created->cpu.logical_cpus) : threads;
    created->fault_corrupt_gemm = corrupt;
    apply_threads(*created);
    *ctx = created.release();
    return SL_OK;
  });
}

void finalize(sl_context *ctx) {
  delete ctx;
}

const char *last_error(const sl_context *ctx) {
  return ctx != nullptr ? ctx->error.c_str() : thread_error();
}

sl_status library_versions(sl_context *ctx, char *buf, size_t buf_size) {
  if (ctx == nullptr) {
    return fail(nullptr, SL_INVALID_ARGUMENT, "library_versions: context is NULL");
  }
  return guarded(ctx, "library_versions", [&] {
    const dnnl_version_t *dnnl = dnnl_version();
    // openblas_get_config(): "OpenBLAS 0.3.21 DYNAMIC_ARCH NO_AFFINITY Zen MAX_THREADS=64"
    std::istringstream config(openblas_get_config());
    std::string word, blas_version, blas_config;
    config >> word >> blas_version;
    while (config >> word) {
      blas_config += (blas_config.empty() ? "" : " ") + word;
    }
    std::ostringstream out;
    out << "oneDNN=" << dnnl->major << '.' << dnnl->minor << '.' << dnnl->patch << " (git "
        << (dnnl->hash != nullptr ? dnnl->hash : "unknown") << ", "
        << dnnl_runtime_name(dnnl->cpu_runtime) << " runtime)"
        << ";OpenBLAS=" << blas_version << " (" << blas_config << ", core "
        << openblas_get_corename() << ')';
    return copy_text(ctx, out.str(), buf, buf_size, "library_versions");
  });
}

} // namespace suanli::cpu
