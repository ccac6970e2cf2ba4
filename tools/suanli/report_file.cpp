#include "report_file.hpp"

#include <reports/atomic_file.hpp>
#include <reports/report.hpp>
#include <reports/report_shape.hpp>

namespace suanli::tools {

report_file read_report_file(const std::string &path) {
  report_file r;
  r.envelope = reports::parse_envelope(reports::read_file(path, "report"), path);
  r.statement = reports::read_statement(r.envelope);
  if (r.statement.result.ok()) {
    if (const auto why = reports::report_shape_problem(r.statement.predicate); !why.empty()) {
      r.statement.result = {reports::verify_result::status::bad_statement,
                            std::string("not a well-formed ") + reports::report_schema_id +
                                " report: " + why};
      r.statement.predicate = nullptr;
    }
  }
  return r;
}

} // namespace suanli::tools
