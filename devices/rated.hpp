#pragma once
// Records of the device database: a rated figure with where it comes from and how far it can be
// trusted. Schema of the database files: suites/devices/README.md.

#include <devices/peak_key.hpp>

#include <optional>
#include <string>
#include <string_view>

namespace suanli::devices {

/// How far a figure can be trusted, from most to least.
enum class confidence {
  vendor_datasheet, ///< "vendor datasheet": the vendor's own document (or a faithful copy)
  derived,          ///< "derived": computed from vendor-published parameters by a stated formula
  press,            ///< "press/third party": press, resellers, spec sites, third-party tables
  estimate          ///< "estimate": assumed or inferred; marked to be verified
};

/// The database spelling of a confidence ("vendor datasheet", "press/third party", ...).
[[nodiscard]] std::string_view name(confidence c);

/// Parse a database confidence spelling; nullopt when unknown.
[[nodiscard]] std::optional<confidence> parse_confidence(std::string_view text);

/// The four spellings, quoted and comma-separated, for error messages.
[[nodiscard]] std::string confidence_names();

/// Where a figure comes from: one [sources] entry of a database file.
struct source {
  std::string key;  ///< name of the entry in [sources], e.g. "klockwood-h100"
  std::string ref;  ///< URL or document name
  confidence trust; ///< confidence of figures taken from it, unless a figure overrides it
  std::string note; ///< what the source says, where that helps a reader (may be empty)
};

/// A rated (non-peak) figure of a device: memory size, bandwidth, power, with its provenance.
struct figure {
  double value = 0;   ///< in the unit its field names (GiB, GB/s, W)
  source from;        ///< where it comes from
  confidence trust{}; ///< the source's confidence or the figure's own override
  std::string note;   ///< e.g. "the product brief says 'greater than 2,000 GB/s'"
  std::string origin; ///< "file:line:column" of the figure in the database
};

/// Scale-up interconnect of a device (NVLink, HCCS, MLU-Link, ...).
struct link_spec {
  std::string kind;      ///< e.g. "NVLink 4", "HCCS (8-card full mesh)"
  double gbps = 0;       ///< bandwidth per device [GB/s = 1e9 B/s]; 0 when no source gives it
  std::string direction; ///< "bidirectional", "unidirectional" or "not stated"
  source from;           ///< where it comes from
  confidence trust{};    ///< the source's confidence or the link's own override
  std::string note;      ///< e.g. "per package, not per die"
  std::string origin;    ///< "file:line:column" of the link in the database
};

/// The dense rated peak of one dtype on one device, with its source.
struct rated_peak {
  double tflops = 0;  ///< [TFLOP/s = 1e12 FLOP/s]; for int8, tera-operations/s (TOPS)
  peak_key key{};     ///< the database field it was read from (fp64_tensor for an fp64 GEMM)
  source from;        ///< where it comes from: from.ref is the URL or document
  confidence trust{}; ///< the source's confidence or the figure's own override
  std::string note;   ///< e.g. "dense = half of 1,513 with sparsity"
  std::string origin; ///< "file:line:column" of the figure in the database

  /// "TFLOP/s", or "TOPS" for integer dtypes.
  [[nodiscard]] std::string_view unit() const { return devices::unit(key); }
};

} // namespace suanli::devices
