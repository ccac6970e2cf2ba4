#pragma once

#include <bench/backend.hpp>
#include <bench/gemm_problem.hpp>
#include <kernels/host/plugin_backend.hpp>

#include <memory>

namespace suanli::host {

/// Prepare a GEMM on a plugin device: refuse it before allocating when it does not fit in the
/// device's memory (exit 2), create the plan (unsupported -> the plugin's reason), allocate
/// A, B, C and workspace, and fill A and B from the seeds.
[[nodiscard]] bench::prepare_result prepare_gemm(const std::shared_ptr<plugin_context> &ctx,
                                                 const bench::gemm_problem &problem,
                                                 const bench::device_info &device,
                                                 const bench::tensor_seeds &seeds);

} // namespace suanli::host
