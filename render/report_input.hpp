#pragma once
// Reading a report for rendering: a DSSE envelope (signed or not) or a bare report payload,
// with what can be said about its signature.

#include <nlohmann/json.hpp>

#include <string>
#include <vector>

namespace suanli::render {

/// A report read from disk for rendering or comparison.
struct report_input {
  std::string path;                ///< the file as named on the command line
  nlohmann::json report;           ///< the report payload (the Statement's predicate)
  bool is_signed = false;          ///< the envelope carries at least one signature
  std::vector<std::string> keyids; ///< signers' keyids as the envelope names them (unchecked)
  bool checked = false;            ///< the signature was checked against a given public key
  bool valid = false;              ///< checked and valid
  std::string signature_text;      ///< one line: "signed by keyid ...: not checked; run ..."
};

/// Reads `path`: a DSSE envelope holding an in-toto Statement of a suanli report, or a bare
/// report payload ({"schema": "suanli.report.v1", ...}). With `pubkey_path` the signature is
/// verified (the outcome goes to `checked`, `valid` and `signature_text`; a bad signature is not
/// an exception). Throws bench::error (exit 2) naming the file when it is missing, not JSON, or
/// not a well-formed suanli report.
[[nodiscard]] report_input load_report(const std::string &path,
                                       const std::string &pubkey_path = "");

} // namespace suanli::render
