// Cross-report rules over the small records kept while streaming: the same device identity in
// two places (double-counted capacity), the same challenge nonce in two reports (replay).

#include <audit/rules.hpp>

#include <string>
#include <unordered_map>
#include <utility>

namespace suanli::audit {

void check_duplicate_identity(std::span<const report_record> records, reporter &out) {
  // First place of every "kind:value": index of its record and its place within it.
  std::unordered_map<std::string, std::pair<size_t, const identity *>> seen;
  seen.reserve(records.size() * 2);
  for (size_t r = 0; r < records.size(); ++r) {
    for (const auto &id : records[r].identities) {
      const auto [it, fresh] = seen.try_emplace(id.kind + ":" + id.value, r, &id);
      if (fresh) {
        continue;
      }
      const auto &[first_r, first] = it->second;
      out.add(id.where,
              "device " + id.kind + " " + id.value + " also appears in " + records[first_r].file +
                  " (" + first->where + ")",
              records[r].file + ": " + id.where, records[first_r].file + ": " + first->where,
              records[r].file);
    }
  }
}

void check_challenge_replayed(std::span<const report_record> records, reporter &out) {
  std::unordered_map<std::string, size_t> seen;
  for (size_t r = 0; r < records.size(); ++r) {
    const auto &nonce = records[r].challenge_nonce;
    if (nonce.empty()) {
      continue;
    }
    const auto [it, fresh] = seen.try_emplace(nonce, r);
    if (!fresh) {
      out.add("challenge", "challenge nonce already used by " + records[it->second].file, nonce,
              "a fresh challenge per report", records[r].file);
    }
  }
}

} // namespace suanli::audit
