#pragma once

#include <reports/dsse.hpp>
#include <reports/keys.hpp>
#include <reports/verify_result.hpp>

#include <nlohmann/json.hpp>

#include <string>
#include <string_view>

namespace suanli::reports {

/// in-toto Statement v1 type.
inline constexpr std::string_view statement_type = "https://in-toto.io/Statement/v1";
/// predicateType of a suanli report.
inline constexpr std::string_view report_predicate_type = "https://suanli.dev/report/v1";
/// DSSE payloadType of an in-toto Statement serialised as JSON.
inline constexpr std::string_view in_toto_payload_type = "application/vnd.in-toto+json";

/// The bytes a Statement's subject digest covers: predicate.dump() (compact, keys sorted, UTF-8;
/// invalid UTF-8 replaced by U+FFFD so that dumping never throws and parse + dump is stable).
[[nodiscard]] std::string predicate_bytes(const nlohmann::json &predicate);

/// {"_type": statement_type, "subject": [{"name": subject_name, "digest": {"sha256": <hex of
/// predicate_bytes(predicate)>}}], "predicateType": report_predicate_type, "predicate": predicate}.
[[nodiscard]] nlohmann::json make_statement(std::string_view subject_name,
                                            const nlohmann::json &predicate);

/// The DSSE payload bytes of a Statement (compact JSON, same rules as predicate_bytes).
[[nodiscard]] std::string statement_payload(const nlohmann::json &statement);

/// A signed envelope over statement_payload(statement), payloadType in_toto_payload_type.
[[nodiscard]] dsse_envelope sign_statement(const nlohmann::json &statement, const private_key &key);

/// The unsigned envelope over statement_payload(statement), payloadType in_toto_payload_type.
[[nodiscard]] dsse_envelope make_unsigned_statement_envelope(const nlohmann::json &statement);

/// The outcome of reading a Statement: on success the predicate (the report) and subject name.
struct statement_check {
  verify_result result;     ///< valid, or bad_statement / digest_mismatch / wrong_payload_type
  nlohmann::json predicate; ///< the report JSON; null unless result.ok()
  std::string subject_name; ///< the subject's name; empty unless result.ok()
};

/// Checks a parsed Statement: _type, predicateType, exactly one subject with a name and a
/// digest.sha256 equal to the SHA-256 of predicate_bytes(predicate). Never throws for a bad
/// statement: the answer is in `result`.
[[nodiscard]] statement_check statement_predicate(const nlohmann::json &statement);

/// Reads the Statement in an envelope's payload: checks payloadType, parses the payload bytes
/// (use it on the very envelope whose signature was verified) and calls statement_predicate.
[[nodiscard]] statement_check read_statement(const dsse_envelope &envelope);

} // namespace suanli::reports
