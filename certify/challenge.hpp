#pragma once
// A platform challenge: a DSSE envelope, signed by the platform, over
// {"schema":"suanli.challenge.v1","nonce","issued","expires","scope"}. A run that embeds one
// derives every input seed from its nonce, so its report cannot have been made before the
// challenge was issued.

#include <reports/dsse.hpp>
#include <reports/keys.hpp>
#include <reports/verify_result.hpp>

#include <nlohmann/json.hpp>

#include <cstdint>
#include <filesystem>
#include <map>
#include <string>
#include <string_view>

namespace suanli::certify {

/// DSSE payloadType of a challenge.
inline constexpr std::string_view challenge_payload_type = "application/vnd.suanli.challenge+json";
/// The payload's "schema" value.
inline constexpr std::string_view challenge_schema_id = "suanli.challenge.v1";
/// The longest validity a challenge may have [s] (30 days).
inline constexpr int64_t max_challenge_validity_s = 30LL * 86400;

/// The payload of a challenge.
struct challenge {
  std::string nonce;                        ///< 64 lower-case hex characters (32 random bytes)
  int64_t issued_s = 0;                     ///< issue time, Unix seconds (UTC)
  int64_t expires_s = 0;                    ///< expiry time, Unix seconds (UTC), > issued_s
  std::map<std::string, std::string> scope; ///< at least "provider"
};

/// Current time as Unix seconds (the system clock).
[[nodiscard]] int64_t unix_now();

/// Unix seconds as "YYYY-MM-DDTHH:MM:SSZ".
[[nodiscard]] std::string format_utc(int64_t unix_s);

/// "YYYY-MM-DDTHH:MM:SSZ" (exactly) as Unix seconds; false when the text is not such a time.
[[nodiscard]] bool parse_utc(std::string_view text, int64_t &unix_s);

/// A duration "<positive integer><s|m|h|d>" in seconds, from 1 s to 30 days. Throws bench::error
/// (exit 2) naming `option` otherwise (zero, negative, no unit, over 30 days).
[[nodiscard]] int64_t parse_duration(std::string_view text, std::string_view option);

/// "key=value,key=value" as a map: keys of [a-z0-9_.-], non-empty values without ',' or '=',
/// each key once, "provider" required. Throws bench::error (exit 2) naming `option` otherwise.
[[nodiscard]] std::map<std::string, std::string> parse_scope(std::string_view text,
                                                             std::string_view option);

/// A new challenge: a fresh nonce from the OS CSPRNG, issued at `now_s`, valid `valid_s` seconds.
[[nodiscard]] challenge make_challenge(std::map<std::string, std::string> scope, int64_t valid_s,
                                       int64_t now_s);

/// The payload bytes: compact JSON, fields in the documented order.
[[nodiscard]] std::string challenge_payload(const challenge &c);

/// The challenge signed by the platform key (one Ed25519 DSSE signature).
[[nodiscard]] reports::dsse_envelope sign_challenge(const challenge &c,
                                                    const reports::private_key &key);

/// Reads the challenge in an envelope: payloadType, JSON, schema, nonce, times (expires after
/// issued, at most 30 days apart), scope. Throws bench::error (exit 2), one line starting with
/// `source`.
[[nodiscard]] challenge read_challenge(const reports::dsse_envelope &envelope,
                                       std::string_view source);

/// Why the challenge is not valid at `now_s` ("expired at ...", "not valid before ..."), or empty.
[[nodiscard]] std::string time_problem(const challenge &c, int64_t now_s);

/// Checks the signature against the platform's public key (reports::verify_envelope).
[[nodiscard]] reports::verify_result verify_challenge(const reports::dsse_envelope &envelope,
                                                      const reports::public_key &platform);

/// A challenge file as read: its envelope (parsed and as the file's JSON) and its payload.
struct challenge_file {
  std::string path;                ///< where it was read from
  reports::dsse_envelope envelope; ///< parsed envelope
  nlohmann::json envelope_json;    ///< the file's JSON object, verbatim (what reports embed)
  challenge value;                 ///< the payload
};

/// Reads and parses a challenge file (exit 2 on any problem, one line naming the file).
[[nodiscard]] challenge_file load_challenge(const std::filesystem::path &path);

/// What a run embeds: the file checked for use at `now_s`. Refuses (bench::error, exit 2) an
/// unsigned challenge, one not valid at `now_s`, and, when `platform` is given, one whose
/// signature does not verify against it.
struct accepted_challenge {
  challenge_file file;        ///< the challenge
  std::string platform_keyid; ///< keyid of the key that verified it; empty when none was given
};

/// Loads `path` and checks it as accepted_challenge says.
[[nodiscard]] accepted_challenge accept_challenge(const std::filesystem::path &path,
                                                  const reports::public_key *platform,
                                                  int64_t now_s);

/// The report's "challenge" field: {"envelope", "nonce", "platform_keyid"}.
[[nodiscard]] nlohmann::json challenge_report_json(const accepted_challenge &c);

} // namespace suanli::certify
