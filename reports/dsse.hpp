#pragma once

#include <reports/keys.hpp>
#include <reports/verify_result.hpp>

#include <nlohmann/json.hpp>

#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace suanli::reports {

/// One DSSE signature.
struct dsse_signature {
  std::string keyid; ///< unauthenticated hint: lower-case hex SHA-256 of the signer's SPKI DER
  std::string sig;   ///< raw signature bytes (64 for Ed25519), not base64
};

/// A DSSE envelope (secure-systems-lab/dsse envelope.md), with payload and signatures decoded.
struct dsse_envelope {
  std::string payload_type;               ///< e.g. "application/vnd.in-toto+json"
  std::string payload;                    ///< the exact payload bytes, decoded
  std::vector<dsse_signature> signatures; ///< empty for an unsigned report
};

/// DSSE pre-authentication encoding: "DSSEv1" SP LEN(type) SP type SP LEN(body) SP body, LEN the
/// decimal byte length. These bytes are what Ed25519 signs.
[[nodiscard]] std::string dsse_pae(std::string_view payload_type, std::string_view payload);

/// An envelope over `payload` with one Ed25519 signature by `key` over the PAE.
[[nodiscard]] dsse_envelope sign_envelope(std::string_view payload, std::string_view payload_type,
                                          const private_key &key);

/// An envelope over `payload` with no signature (an unsigned report).
[[nodiscard]] dsse_envelope make_unsigned_envelope(std::string_view payload,
                                                   std::string_view payload_type);

/// The envelope as DSSE JSON: {"payloadType", "payload" (standard base64), "signatures":
/// [{"keyid", "sig" (standard base64)}]}.
[[nodiscard]] nlohmann::json envelope_to_json(const dsse_envelope &envelope);

/// The envelope as file text: envelope_to_json indented by 2, with a final newline.
[[nodiscard]] std::string serialize_envelope(const dsse_envelope &envelope);

/// Parses DSSE JSON text strictly; `source_name` (the file) starts every message. Throws
/// bench::error (exit 2): "<file>: not a JSON DSSE envelope: <parser message, byte position>"
/// (also for truncated files), a missing or mistyped field (named, e.g. "signatures[0].sig"), or
/// bad base64. Standard and URL-safe base64 are accepted; keyid is optional.
[[nodiscard]] dsse_envelope parse_envelope(std::string_view text, std::string_view source_name);

/// Checks the envelope's signatures against one trusted key. Never throws for "the check said
/// no": unsigned, wrong_key (names the keyids expected and found) or bad_signature.
[[nodiscard]] verify_result verify_envelope(const dsse_envelope &envelope, const public_key &key);

/// As above with several trusted keys: valid iff some signature verifies under a trusted key whose
/// keyid it names (or that it names no keyid); `reason` then says which keyid and key source.
[[nodiscard]] verify_result verify_envelope(const dsse_envelope &envelope,
                                            std::span<const public_key> trusted);

} // namespace suanli::reports
