#pragma once

#include <reports/dsse.hpp>
#include <reports/statement.hpp>

#include <string>

namespace suanli::tools {

/// A report file read from disk: its envelope and (when well-formed) its statement.
struct report_file {
  reports::dsse_envelope envelope;  ///< as parsed
  reports::statement_check statement; ///< the predicate is the report payload
};

/// Read and parse a report file. Throws bench::error (exit 2) when unreadable or not a DSSE
/// envelope; a payload that is not a suanli report is reported in `statement.result`.
[[nodiscard]] report_file read_report_file(const std::string &path);

} // namespace suanli::tools
