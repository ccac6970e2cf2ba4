#pragma once

#include <bench/backend.hpp>
#include <kernels/host/plugin_backend.hpp>

#include <memory>
#include <string>

namespace suanli::host {

/// Whether a plugin offers collectives: ABI >= 1.2 with every collectives entry set.
[[nodiscard]] bool plugin_has_collectives(const plugin_library &lib, std::string &reason);

/// Join the plugin communicator of all ranks (rank 0 makes the unique id, `ranks` broadcasts
/// it, every rank calls comm_init). Throws bench::error (exit 3) on failure.
[[nodiscard]] std::unique_ptr<bench::communicator>
join_plugin_communicator(const std::shared_ptr<plugin_context> &ctx, int32_t device,
                         bench::coordinator &ranks);

/// Check a collective with the plugin (collective_check) and allocate its buffers; null with
/// the plugin's reason when unsupported.
[[nodiscard]] std::unique_ptr<bench::prepared_collective>
prepare_plugin_collective(const std::shared_ptr<plugin_context> &ctx, bench::communicator &comm,
                          const bench::collective_problem &p, const bench::device_info &device,
                          int32_t rank, int32_t nranks, std::string &reason);

} // namespace suanli::host
