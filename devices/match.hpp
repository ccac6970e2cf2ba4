#pragma once
// Finding the database entry of a device as a backend reports it (vendor and device name, or PCI
// id). A match is exact or refused with a reason: never a nearest guess.

#include <devices/database.hpp>

#include <string>
#include <string_view>

namespace suanli::devices {

/// The entry of a device, or why there is none.
struct match_result {
  const device_entry *entry = nullptr; ///< the matched entry; nullptr when refused
  std::string reason; ///< why there is no match (empty on a match), one line for reports

  /// Whether an entry matched.
  explicit operator bool() const { return entry != nullptr; }
};

/// Compact form of a name for matching: ASCII letters lower-cased and digits kept, other ASCII
/// dropped, non-ASCII bytes kept ("NVIDIA A100-SXM4-80GB" -> "nvidiaa100sxm480gb"). With
/// keep_star, '*' is kept too (for name patterns).
[[nodiscard]] std::string compact_name(std::string_view text, bool keep_star = false);

/// Whether a compacted name matches a compacted glob pattern ('*' matches any run).
[[nodiscard]] bool glob_match(std::string_view pattern, std::string_view text);

/// The entry for a device name as the vendor runtime reports it ("NVIDIA H100 80GB HBM3",
/// "Ascend910B3"), compared in compact form. Names listed in entries win; otherwise name
/// patterns, where two entries matching is ambiguous and refused. vendor (as the backend reports
/// it; may be empty) must be the entry's vendor or one of its aliases, else the match is
/// refused. An unknown name is refused with a reason that lists similar entries, if any.
[[nodiscard]] match_result match(const database &db, std::string_view vendor,
                                 std::string_view name);

/// The entry whose pci_ids list this "vvvv:dddd" id (case-insensitive; a leading "0x" on either
/// half is accepted); refused with a reason when none does.
[[nodiscard]] match_result match_pci(const database &db, std::string_view pci_id);

} // namespace suanli::devices
