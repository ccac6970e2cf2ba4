// init, finalize, last_error, library_versions.

#include <kernels/cpu/api.hpp>
#include <kernels/cpu/attention_plan.hpp>
#include <kernels/cpu/collective.hpp>
#include <kernels/cpu/context.hpp>
#include <kernels/cpu/gemm_plan.hpp>

#include <cblas.h>

#include <cstddef>
#include <cstdlib>
#include <sstream>

/* Fault injection, for tests of the host's verification only: when the environment variable
 * SUANLI_CPU_FAULT is "corrupt_gemm_output" at init, every gemm_run of that context adds 1024
 * (floating outputs) or 1 (int32 outputs) to element (m/2, n/2) of batch entry 0 of C after
 * computing it; with "corrupt_attention_output", every attention_forward adds 1024 to
 * O[batch 0, head heads_q - 1, query seq_q / 2, dim 0]; with "corrupt_collective_output", after
 * every successful collective_run the rank with the highest rank number (for reduce: the root,
 * the only rank with an output) adds 1 to element count / 2 of its output at recv (flipping its
 * lowest bit where adding 1 would leave it unchanged), so exactly one element of one rank is
 * wrong. Any other non-empty value makes init fail, so a typo cannot go unnoticed.
 * SUANLI_CPU_ISA (tests only) caps the ISA of the plugin's own attention kernels: "portable",
 * "avx2", "avx512f" or "avx512_bf16"; the best level the CPU has at or below the cap is used
 * (naming "avx512_bf16" also forces its bf16 dot-product kernels, which are otherwise chosen
 * only where they are faster than fp32 FMAs). Unset or empty: the best level. Any other value
 * makes init fail. */
namespace {
constexpr const char *k_fault_env = "SUANLI_CPU_FAULT";
constexpr const char *k_fault_corrupt_gemm = "corrupt_gemm_output";
constexpr const char *k_fault_corrupt_attention = "corrupt_attention_output";
constexpr const char *k_fault_corrupt_collective = "corrupt_collective_output";
constexpr const char *k_isa_env = "SUANLI_CPU_ISA";
} // namespace

sl_context::sl_context() : engine(dnnl::engine::kind::cpu, 0), stream(engine) {}

sl_context::~sl_context() {
  plans.clear();
  attention_plans.clear();
  comms.clear(); // MPI_Comm_free while MPI is up
  if (collective_user) {
    suanli::cpu::release_reduce_ops();
  }
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
    const std::string fault_name = fault != nullptr ? fault : "";
    const bool corrupt = fault_name == k_fault_corrupt_gemm;
    const bool corrupt_attention = fault_name == k_fault_corrupt_attention;
    const bool corrupt_collective = fault_name == k_fault_corrupt_collective;
    if (!fault_name.empty() && !corrupt && !corrupt_attention && !corrupt_collective) {
      return fail(nullptr, SL_INVALID_ARGUMENT,
                  std::string("init: ") + k_fault_env + "=" + fault_name +
                      " is not a known fault (known: " + k_fault_corrupt_gemm + ", " +
                      k_fault_corrupt_attention + ", " + k_fault_corrupt_collective + ")");
    }
    const char *isa = std::getenv(k_isa_env);
    const std::string isa_cap = isa != nullptr ? isa : "";
    if (std::string reason; !valid_attention_isa_cap(isa_cap, reason)) {
      return fail(nullptr, SL_INVALID_ARGUMENT, "init: " + reason);
    }
    auto created = std::make_unique<sl_context>();
    created->cpu = probe_cpu();
    created->threads = threads == 0 ? static_cast<int32_t>(created->cpu.logical_cpus) : threads;
    created->fault_corrupt_gemm = corrupt;
    created->fault_corrupt_attention = corrupt_attention;
    created->fault_corrupt_collective = corrupt_collective;
    created->attention_isa = isa_cap;
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
