#pragma once
// Reading a report file for the auditor, fast: a strict scanner for the DSSE envelope as
// `suanli run` writes it and a statement check that hashes the predicate's bytes as signed,
// falling back to reports::parse_envelope / read_statement (same answers and messages) for
// anything else.

#include <reports/dsse.hpp>
#include <reports/statement.hpp>

#include <string>

namespace suanli::audit {

/// A report file as read: its envelope and statement (predicate = the report payload).
struct read_report {
  reports::dsse_envelope envelope;    ///< as parsed
  reports::statement_check statement; ///< valid, or why the payload is not a report
};

/// Reads a report file. Throws bench::error (exit 2) naming the file when it is unreadable or
/// not a DSSE envelope; a payload that is not a suanli report is reported in `statement`.
[[nodiscard]] read_report read_report_file(const std::string &file);

} // namespace suanli::audit
