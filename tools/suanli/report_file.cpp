#include "report_file.hpp"

#include <reports/atomic_file.hpp>
#include <reports/report.hpp>

namespace suanli::tools {

report_file read_report_file(const std::string &path) {
  report_file r;
  r.envelope = reports::parse_envelope(reports::read_file(path, "report"), path);
  r.statement = reports::read_statement(r.envelope);
  if (r.statement.result.ok() &&
      r.statement.predicate.value("schema", std::string()) != reports::report_schema_id) {
    r.statement.result = {reports::verify_result::status::bad_statement,
                          path + ": payload is not a " + reports::report_schema_id + " report"};
    r.statement.predicate = nullptr;
  }
  return r;
}

} // namespace suanli::tools
