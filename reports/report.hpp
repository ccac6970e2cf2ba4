#pragma once

#include <bench/case_result.hpp>
#include <bench/suite.hpp>

#include <nlohmann/json.hpp>

#include <string>
#include <vector>

namespace suanli::reports {

/// Identifier of the report payload format (also the JSON Schema's $id suffix).
inline constexpr const char *report_schema_id = "suanli.report.v1";

/// What a report says about the run besides its results.
struct run_context {
  std::string suite_name;        ///< suite name
  std::string suite_file;        ///< suite file path
  std::string suite_sha256;      ///< SHA-256 of the suite file
  std::string suite_description; ///< suite description
  std::string nonce;             ///< nonce all seeds derive from
  std::string nonce_source;      ///< "random" (drawn by the tool), "user" (--nonce), "challenge"
  std::vector<std::string> argv; ///< the command line
  int32_t threads = 0;           ///< --threads (0 = all cores)
  std::string created_utc;       ///< ISO 8601 UTC time the run started
  nlohmann::json tool;           ///< bench::tool_identity()
  nlohmann::json system;         ///< bench::probe_system()
  nlohmann::json backend;        ///< backend_json() of the backend used
  nlohmann::json challenge;      ///< {"envelope", "nonce", "platform_keyid"}, or null
  nlohmann::json claims;         ///< the provider's parsed claims (suanli.claims.v1), or null
};

/// Describe a backend: name, version, plugin file and SHA-256, libraries, devices, and the
/// links between its devices (ABI 1.4) with links_reason when they are not known.
[[nodiscard]] nlohmann::json backend_json(const bench::backend &b);

/// What every report starts with: schema, creation time, tool, run (argv, nonce, seed
/// derivation), suite, challenge, claims, system, backends and conventions.
[[nodiscard]] nlohmann::json report_header(const run_context &ctx);

/// The report payload (the in-toto predicate): context, conventions, peaks, cases with raw
/// samples, statistics, metrics and verification, and totals over passed cases only.
[[nodiscard]] nlohmann::json make_report(const run_context &context,
                                         const bench::run_result &result);

/// One case as the report holds it (parameters, convention, samples, statistics, verification,
/// metrics).
[[nodiscard]] nlohmann::json case_json(const bench::case_result &r);

/// One peak record as the report holds it.
[[nodiscard]] nlohmann::json peak_json(const bench::peak_record &p);

/// The conventions every report lists (id and text).
[[nodiscard]] nlohmann::json conventions_json();

/// Current UTC time as "YYYY-MM-DDTHH:MM:SSZ".
[[nodiscard]] std::string utc_now();

} // namespace suanli::reports
