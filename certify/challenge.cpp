#include <certify/challenge.hpp>

#include <bench/error.hpp>
#include <bench/seeds.hpp>
#include <reports/atomic_file.hpp>

namespace suanli::certify {
namespace {

using nlohmann::json;

[[noreturn]] void bad(std::string_view source, const std::string &what) {
  bench::fail_input(std::string(source) + ": not a valid " + std::string(challenge_schema_id) +
                    " challenge: " + what);
}

bool lower_hex(std::string_view s) {
  for (const char ch : s) {
    if (!((ch >= '0' && ch <= '9') || (ch >= 'a' && ch <= 'f'))) {
      return false;
    }
  }
  return true;
}

// payload[name] as a string, or a one-line refusal.
const std::string &string_field(const json &payload, const char *name, std::string_view source) {
  const auto it = payload.find(name);
  if (it == payload.end()) {
    bad(source, std::string("'") + name + "' is missing");
  }
  if (!it->is_string()) {
    bad(source, std::string("'") + name + "' is " + it->type_name() + ", expected a string");
  }
  return it->get_ref<const std::string &>();
}

int64_t time_field(const json &payload, const char *name, std::string_view source) {
  const auto &text = string_field(payload, name, source);
  int64_t t = 0;
  if (!parse_utc(text, t)) {
    bad(source, std::string("'") + name + "' is \"" + text + "\", expected YYYY-MM-DDTHH:MM:SSZ");
  }
  return t;
}

} // namespace

challenge make_challenge(std::map<std::string, std::string> scope, int64_t valid_s, int64_t now_s) {
  return {bench::random_nonce(), now_s, now_s + valid_s, std::move(scope)};
}

std::string challenge_payload(const challenge &c) {
  nlohmann::ordered_json scope = nlohmann::ordered_json::object();
  // provider first, then the other keys in order
  scope["provider"] = c.scope.count("provider") != 0 ? c.scope.at("provider") : "";
  for (const auto &[k, v] : c.scope) {
    scope[k] = v;
  }
  nlohmann::ordered_json p;
  p["schema"] = challenge_schema_id;
  p["nonce"] = c.nonce;
  p["issued"] = format_utc(c.issued_s);
  p["expires"] = format_utc(c.expires_s);
  p["scope"] = scope;
  return p.dump();
}

reports::dsse_envelope sign_challenge(const challenge &c, const reports::private_key &key) {
  return reports::sign_envelope(challenge_payload(c), challenge_payload_type, key);
}

challenge read_challenge(const reports::dsse_envelope &envelope, std::string_view source) {
  if (envelope.payload_type != challenge_payload_type) {
    bad(source, "payloadType is \"" + envelope.payload_type + "\", expected \"" +
                    std::string(challenge_payload_type) + "\"");
  }
  json p;
  try {
    p = json::parse(envelope.payload);
  } catch (const json::parse_error &e) {
    bad(source, "the payload is not JSON (byte " + std::to_string(e.byte) + ")");
  } catch (const json::out_of_range &) { // a number too large for a double, e.g. 1e999
    bad(source, "the payload is not JSON: a number is out of range");
  }
  if (!p.is_object()) {
    bad(source, std::string("the payload is ") + p.type_name() + ", expected an object");
  }
  for (const auto &[key, value] : p.items()) {
    if (key != "schema" && key != "nonce" && key != "issued" && key != "expires" &&
        key != "scope") {
      bad(source, "unknown field '" + key + "'; expected schema, nonce, issued, expires, scope");
    }
  }
  if (const auto &schema = string_field(p, "schema", source); schema != challenge_schema_id) {
    bad(source,
        "'schema' is \"" + schema + "\", expected \"" + std::string(challenge_schema_id) + "\"");
  }
  challenge c;
  c.nonce = string_field(p, "nonce", source);
  if (c.nonce.size() != 64 || !lower_hex(c.nonce)) {
    bad(source, "'nonce' is not 64 lower-case hex characters (32 bytes)");
  }
  c.issued_s = time_field(p, "issued", source);
  c.expires_s = time_field(p, "expires", source);
  if (c.expires_s <= c.issued_s) {
    bad(source, "'expires' " + format_utc(c.expires_s) + " is not after 'issued' " +
                    format_utc(c.issued_s));
  }
  if (c.expires_s - c.issued_s > max_challenge_validity_s) {
    bad(source, "valid from " + format_utc(c.issued_s) + " to " + format_utc(c.expires_s) +
                    ", longer than 30 days");
  }
  const auto scope = p.find("scope");
  if (scope == p.end() || !scope->is_object()) {
    bad(source, "'scope' is missing or not an object");
  }
  for (const auto &[key, value] : scope->items()) {
    if (!value.is_string()) {
      bad(source, "'scope." + key + "' is " + value.type_name() + ", expected a string");
    }
    c.scope[key] = value.get<std::string>();
  }
  if (c.scope.count("provider") == 0 || c.scope["provider"].empty()) {
    bad(source, "'scope.provider' is missing or empty");
  }
  return c;
}

std::string time_problem(const challenge &c, int64_t now_s) {
  if (now_s < c.issued_s) {
    return "is not valid before " + format_utc(c.issued_s) + " (now " + format_utc(now_s) + ")";
  }
  if (now_s >= c.expires_s) {
    return "expired at " + format_utc(c.expires_s) + " (now " + format_utc(now_s) + ")";
  }
  return {};
}

reports::verify_result verify_challenge(const reports::dsse_envelope &envelope,
                                        const reports::public_key &platform) {
  return reports::verify_envelope(envelope, platform);
}

challenge_file load_challenge(const std::filesystem::path &path) {
  challenge_file f;
  f.path = path.string();
  const auto text = reports::read_file(path, "challenge");
  f.envelope = reports::parse_envelope(text, f.path);
  f.envelope_json = json::parse(text); // parse_envelope accepted it, so it is a JSON object
  f.value = read_challenge(f.envelope, f.path);
  return f;
}

accepted_challenge accept_challenge(const std::filesystem::path &path,
                                    const reports::public_key *platform, int64_t now_s) {
  accepted_challenge a{load_challenge(path), {}};
  const auto &name = a.file.path;
  if (a.file.envelope.signatures.empty()) {
    bench::fail_input("challenge " + name +
                      " carries no signature; expected one signed by the "
                      "platform (`suanli challenge issue --key ...`)");
  }
  if (platform != nullptr) {
    const auto check = verify_challenge(a.file.envelope, *platform);
    if (!check.ok()) {
      bench::fail_input("challenge " + name + " is not signed by the platform key " +
                        platform->source() + ": " + check.reason);
    }
    a.platform_keyid = platform->keyid();
  }
  if (const auto why = time_problem(a.file.value, now_s); !why.empty()) {
    bench::fail_input("challenge " + name + " " + why + "; ask the platform for a fresh one");
  }
  return a;
}

nlohmann::json challenge_report_json(const accepted_challenge &c) {
  return {{"envelope", c.file.envelope_json},
          {"nonce", c.file.value.nonce},
          {"platform_keyid", c.platform_keyid}};
}

} // namespace suanli::certify
