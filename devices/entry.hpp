#pragma once
// One accelerator of the rated-peak device database: identity, memory, interconnect, power and
// the dense rated peak of every dtype its sources state.

#include <devices/peak_key.hpp>
#include <devices/rated.hpp>

#include <kernels/abi/suanli_backend.h>

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace suanli::devices {

/// What an entry says about the rated peak of a dtype.
enum class peak_status {
  rated,         ///< a rated figure with its source
  not_published, ///< the entry states that no published figure was found
  unsupported,   ///< the entry states that the hardware has no such unit (e.g. fp8 on A100)
  not_listed     ///< the entry says nothing: no source gives it
};

/// Spelling of a status for messages and reports ("not published").
[[nodiscard]] std::string_view name(peak_status status);

/// One [[device]] of a database file. Figures are per device as the vendor runtime enumerates it
/// (one die of an Ascend 910C, one GCD of an MI250X); devices_per_package says how many such
/// devices one package holds.
struct device_entry {
  std::string id;                          ///< unique key, e.g. "nvidia-h100-sxm"
  std::string vendor;                      ///< the file's [vendor] name, e.g. "NVIDIA"
  std::vector<std::string> vendor_aliases; ///< other spellings of the vendor a runtime may report
  std::string model;                       ///< marketing name, e.g. "H100 SXM5 80GB"
  std::string form_factor;                 ///< e.g. "SXM5", "OAM"; empty when no source says
  int devices_per_package = 1;             ///< runtime devices per physical package
  std::vector<std::string> names;          ///< device names exactly as runtimes report them
  std::vector<std::string> name_patterns;  ///< glob patterns ('*') over reported names
  std::vector<std::string> pci_ids;        ///< "vvvv:dddd", lower-case hex
  std::optional<source> pci_source;        ///< where the PCI ids come from
  std::optional<figure> memory_gib;        ///< device memory [GiB]
  std::optional<figure> memory_bandwidth_gbps; ///< device memory bandwidth [GB/s]
  std::optional<figure> tdp_watts;             ///< thermal design power [W]
  std::optional<link_spec> link;               ///< scale-up interconnect
  std::map<peak_key, rated_peak> peaks;        ///< dense rated peaks by database field
  std::vector<std::string> not_published;      ///< fields stated to have no published figure
  std::vector<peak_key> unsupported;           ///< dtype fields the hardware has no unit for
  std::string note;                            ///< caveats of the entry as a whole
  std::string file;                            ///< database file it came from
  std::string origin;                          ///< "file:line:column" of its [[device]] header

  /// The rated peak of a GEMM in this project dtype: the first field of peak_keys_for(dtype)
  /// the entry has (an fp64 GEMM is rated by fp64_tensor where given, else fp64). nullopt when
  /// none: status(dtype) says why.
  [[nodiscard]] std::optional<rated_peak> rated(sl_dtype dtype) const;

  /// The figure of one database field, nullopt when absent.
  [[nodiscard]] std::optional<rated_peak> rated(peak_key key) const;

  /// Why rated(dtype) gives what it gives: rated, not published, unsupported or not listed.
  [[nodiscard]] peak_status status(sl_dtype dtype) const;

  /// Whether field (a peak key name or "memory_gib", ...) is stated to have no published figure.
  [[nodiscard]] bool is_not_published(std::string_view field) const;
};

} // namespace suanli::devices
