#include <reports/statement.hpp>

#include <bench/sha256.hpp>

namespace suanli::reports {
namespace {

using json = nlohmann::json;
using status = verify_result::status;

std::string compact(const json &value) {
  return value.dump(-1, ' ', false, json::error_handler_t::replace);
}

statement_check refuse(status outcome, std::string reason) {
  return {{outcome, std::move(reason)}, json(), {}};
}

statement_check bad(const std::string &what) {
  return refuse(status::bad_statement, "not a suanli report statement: " + what);
}

/// True iff object[name] exists and is a string equal to `expected`.
bool has_string(const json &object, const char *name, std::string_view expected) {
  const auto it = object.find(name);
  return it != object.end() && it->is_string() && it->get_ref<const std::string &>() == expected;
}

} // namespace

std::string predicate_bytes(const json &predicate) {
  return compact(predicate);
}

json make_statement(std::string_view subject_name, const json &predicate) {
  return {
      {"_type", statement_type},
      {"subject",
       json::array({{{"name", subject_name},
                     {"digest", {{"sha256", bench::sha256_hex(predicate_bytes(predicate))}}}}})},
      {"predicateType", report_predicate_type},
      {"predicate", predicate}};
}

std::string statement_payload(const json &statement) {
  return compact(statement);
}

dsse_envelope sign_statement(const json &statement, const private_key &key) {
  return sign_envelope(statement_payload(statement), in_toto_payload_type, key);
}

dsse_envelope make_unsigned_statement_envelope(const json &statement) {
  return make_unsigned_envelope(statement_payload(statement), in_toto_payload_type);
}

statement_check statement_predicate(const json &statement) {
  if (!statement.is_object()) {
    return bad(std::string("the payload is ") + statement.type_name() + ", expected an object");
  }
  if (!has_string(statement, "_type", statement_type)) {
    return bad("'_type' is not \"" + std::string(statement_type) + "\"");
  }
  if (!has_string(statement, "predicateType", report_predicate_type)) {
    return bad("'predicateType' is not \"" + std::string(report_predicate_type) + "\"");
  }
  const auto predicate = statement.find("predicate");
  if (predicate == statement.end()) {
    return bad("'predicate' is missing");
  }
  const auto subject = statement.find("subject");
  if (subject == statement.end() || !subject->is_array() || subject->size() != 1) {
    return bad("'subject' must be an array of exactly one entry");
  }
  const json &entry = subject->front();
  if (!entry.is_object() || !entry.contains("name") || !entry["name"].is_string()) {
    return bad("'subject[0].name' is missing or not a string");
  }
  if (!entry.contains("digest") || !entry["digest"].is_object() ||
      !entry["digest"].contains("sha256") || !entry["digest"]["sha256"].is_string()) {
    return bad("'subject[0].digest.sha256' is missing or not a string");
  }
  const auto &claimed = entry["digest"]["sha256"].get_ref<const std::string &>();
  const std::string actual = bench::sha256_hex(predicate_bytes(*predicate));
  if (claimed != actual) {
    return refuse(status::digest_mismatch, "subject digest sha256:" + claimed +
                                               " does not match the predicate (sha256:" + actual +
                                               ")");
  }
  return {{status::valid, "statement subject digest matches the predicate"},
          *predicate,
          entry["name"].get<std::string>()};
}

statement_check read_statement(const dsse_envelope &envelope) {
  if (envelope.payload_type != in_toto_payload_type) {
    return refuse(status::wrong_payload_type, "payloadType is \"" + envelope.payload_type +
                                                  "\", expected \"" +
                                                  std::string(in_toto_payload_type) + "\"");
  }
  json statement;
  try {
    statement = json::parse(envelope.payload);
  } catch (const json::parse_error &e) {
    return bad("the payload is not JSON (byte " + std::to_string(e.byte) + ")");
  } catch (const json::out_of_range &) { // a number too large for a double, e.g. 1e999
    return bad("the payload is not JSON: a number is out of range");
  }
  return statement_predicate(statement);
}

} // namespace suanli::reports
