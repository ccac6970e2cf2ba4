#include <render/report_input.hpp>

#include <bench/error.hpp>
#include <reports/atomic_file.hpp>
#include <reports/dsse.hpp>
#include <reports/keys.hpp>
#include <reports/report.hpp>
#include <reports/report_shape.hpp>
#include <reports/statement.hpp>

namespace suanli::render {
namespace {

using nlohmann::json;

void check_shape(const std::string &path, const json &report) {
  if (const auto why = reports::report_shape_problem(report); !why.empty()) {
    bench::fail_input(path + ": not a well-formed " + std::string(reports::report_schema_id) +
                      " report: " + why);
  }
}

void describe_signature(report_input &in, const reports::dsse_envelope &env,
                        const std::string &pubkey_path) {
  for (const auto &s : env.signatures) {
    in.keyids.push_back(s.keyid);
  }
  in.is_signed = !env.signatures.empty();
  if (!pubkey_path.empty()) {
    const auto key = reports::load_public_key(pubkey_path);
    const auto r = reports::verify_envelope(env, key);
    in.checked = true;
    in.valid = r.ok();
    in.signature_text = (r.ok() ? "signature verified: " : "signature NOT valid: ") + r.reason;
    return;
  }
  if (!in.is_signed) {
    in.signature_text = "unsigned: the report carries no signature";
    return;
  }
  const auto &id = in.keyids.front();
  in.signature_text = "signed by keyid " + (id.empty() ? std::string("(none named)") : id) +
                      ": signature not checked; run suanli verify (or render with --pub)";
}

} // namespace

report_input load_report(const std::string &path, const std::string &pubkey_path) {
  const auto text = reports::read_file(path, "report");
  report_input in;
  in.path = path;
  const auto doc = json::parse(text, nullptr, false);
  if (doc.is_discarded() || !doc.is_object()) {
    bench::fail_input(path + ": not a suanli report: not a JSON object");
  }
  if (!doc.contains("payloadType")) {
    if (doc.value("schema", "") != reports::report_schema_id) {
      bench::fail_input(path +
                        ": not a suanli report: expected a DSSE envelope or a JSON "
                        "object with \"schema\": \"" +
                        std::string(reports::report_schema_id) + "\"");
    }
    check_shape(path, doc);
    in.report = doc;
    in.signature_text = pubkey_path.empty() ? "unsigned: a bare report payload, no envelope"
                                            : "signature NOT valid: a bare report payload has "
                                              "no envelope and no signature";
    in.checked = !pubkey_path.empty();
    return in;
  }
  const auto env = reports::parse_envelope(text, path);
  const auto st = reports::read_statement(env);
  if (!st.result.ok()) {
    bench::fail_input(path + ": not a suanli report: " + st.result.reason);
  }
  check_shape(path, st.predicate);
  in.report = st.predicate;
  describe_signature(in, env, pubkey_path);
  return in;
}

} // namespace suanli::render
