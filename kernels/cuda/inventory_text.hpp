#pragma once
// Inventory strings (plain C++, no CUDA): the runtime's integer versions, UUIDs and PCI ids as
// text, and the "name=version;..." list that library_versions returns.

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace suanli::cuda {

/// A CUDA version integer (1000 * major + 10 * minor, e.g. 13000) as "13.0"; "none" for 0.
std::string cuda_version_text(int version);

/// A cuBLAS(Lt) version integer (10000 * major + 100 * minor + patch, e.g. 130100) as "13.1.0".
std::string cublas_version_text(uint64_t version);

/// A 16-byte CUDA UUID as NVML writes it: "GPU-xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx".
std::string gpu_uuid_text(const unsigned char (&bytes)[16]);

/// PCI location as NVML writes it: "00000000:19:00.0" (domain:bus:device.function).
std::string pci_bus_id_text(int domain, int bus, int device);

/// Compute capability as an architecture name: (9, 0) -> "sm_90".
std::string arch_text(int major, int minor);

/// "name=value;name=value" with ';' and '=' inside names and values replaced by ','.
std::string join_versions(const std::vector<std::pair<std::string, std::string>> &items);

} // namespace suanli::cuda
