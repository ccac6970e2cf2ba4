// Rules on the envelope and the payload's form: signature by a trusted provider key, schema.

#include <audit/rules.hpp>

#include <reports/report_shape.hpp>
#include <reports/statement.hpp>

namespace suanli::audit {

void check_signature_trusted(const report_input &in, reporter &out) {
  const auto result = reports::verify_envelope(in.envelope, in.options.trusted);
  if (!result.ok()) {
    out.add("", result.reason, std::string(reports::to_string(result.outcome)), "valid");
  }
}

void check_schema(const report_input &in, reporter &out) {
  if (const auto why = reports::report_shape_problem(in.report); !why.empty()) {
    out.add("", "not a well-formed report: " + why);
  }
}

} // namespace suanli::audit
