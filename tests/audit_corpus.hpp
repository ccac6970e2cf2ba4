#pragma once
// The fraud corpus of `suanli audit` (issue 7, item 5): decode a genuine signed report, apply one
// manipulation, re-sign it with the provider key, as a forger holding that key would.

#include <reports/keys.hpp>

#include <nlohmann/json.hpp>

#include <filesystem>
#include <functional>
#include <string>
#include <vector>

namespace suanli::test {

/// The report payload (the Statement's predicate) of a report file; throws when unreadable.
[[nodiscard]] nlohmann::json decode_report(const std::filesystem::path &file);

/// Writes `report` as a report file signed by `key` (a fresh Statement over it).
void write_signed(const nlohmann::json &report, const reports::private_key &key,
                  const std::filesystem::path &file);

/// Recomputes a case's statistics, metrics and sampled time from its raw samples, as a careful
/// forger would after editing them.
void resummarize(nlohmann::json &c);

/// Sets every device UUID and serial of a single-node report to "<tag>-uuid-N" / "<tag>-sn-N".
void set_identities(nlohmann::json &report, const std::string &tag);

/// A challenge object as a report embeds it: {"envelope": platform-signed DSSE challenge,
/// "nonce", "platform_keyid"}, valid from `issued` to `expires` (UTC "YYYY-MM-DDTHH:MM:SSZ").
[[nodiscard]] nlohmann::json make_challenge(const reports::private_key &platform,
                                            const std::string &nonce, const std::string &issued,
                                            const std::string &expires);

/// Embeds `challenge` in a report and binds the run to its nonce (run.nonce and every input
/// seed re-derived from it).
void embed_challenge(nlohmann::json &report, const nlohmann::json &challenge);

/// One manipulation and the one rule that must catch it.
struct tamper {
  std::string name;                           ///< what was done, for test names
  std::string rule;                           ///< the rule id audit must report
  std::function<void(nlohmann::json &)> edit; ///< edits the report payload in place
};

/// One manipulation per single-report rule, for a genuine report of the tiny suite.
[[nodiscard]] std::vector<tamper> single_report_tampers();

} // namespace suanli::test
