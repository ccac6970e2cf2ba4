#pragma once

#include <string>
#include <string_view>

namespace suanli::reports {

/// The answer of a signature or statement check. Only `valid` passes; every other status is a
/// "check said no" answer (the CLI maps it to exit 1), never an exception.
struct verify_result {
  /// What the check found.
  enum class status {
    valid,              ///< a signature by a trusted key verifies over the payload
    unsigned_report,    ///< the envelope carries no signature
    wrong_key,          ///< signed, but by none of the keys given (by keyid)
    bad_signature,      ///< the keyid matches but the signature does not verify
    wrong_payload_type, ///< the envelope's payloadType is not the one expected
    bad_statement,      ///< the payload is not a well-formed in-toto Statement of a suanli report
    digest_mismatch     ///< the Statement's subject digest does not match its predicate
  };

  status outcome = status::valid; ///< what the check found
  std::string reason;             ///< one line for the user; on success, who signed

  /// True iff the check passed.
  [[nodiscard]] bool ok() const noexcept { return outcome == status::valid; }
};

/// Stable lower-case name of a status ("valid", "unsigned", "wrong_key", ...), for JSON output.
[[nodiscard]] constexpr std::string_view to_string(verify_result::status s) noexcept {
  switch (s) {
  case verify_result::status::valid: return "valid";
  case verify_result::status::unsigned_report: return "unsigned";
  case verify_result::status::wrong_key: return "wrong_key";
  case verify_result::status::bad_signature: return "bad_signature";
  case verify_result::status::wrong_payload_type: return "wrong_payload_type";
  case verify_result::status::bad_statement: return "bad_statement";
  case verify_result::status::digest_mismatch: return "digest_mismatch";
  }
  return "unknown";
}

} // namespace suanli::reports
