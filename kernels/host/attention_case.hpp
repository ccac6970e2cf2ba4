#pragma once

#include <bench/attention_problem.hpp>
#include <bench/backend.hpp>
#include <kernels/host/plugin_backend.hpp>

#include <memory>

namespace suanli::host {

/// Prepare an attention forward on a plugin device: refuse it before allocating when it does
/// not fit (exit 2), create the plan (unsupported -> the plugin's reason; a plugin older than
/// ABI 1.1 offers no attention), allocate Q, K, V, O, LSE and workspace, and fill Q, K, V from
/// the seeds (a, b, c).
[[nodiscard]] bench::prepare_result prepare_attention(const std::shared_ptr<plugin_context> &ctx,
                                                      const bench::attention_problem &problem,
                                                      const bench::device_info &device,
                                                      const bench::tensor_seeds &seeds);

} // namespace suanli::host
