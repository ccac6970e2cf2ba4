// Rules on the platform challenge a report embeds: signed by the platform, nonce bound to the
// run, report created within the challenge's validity.

#include <audit/rules.hpp>

#include <bench/error.hpp>
#include <bench/seeds.hpp>

#include <optional>
#include <string_view>

namespace suanli::audit {
namespace {

using nlohmann::json;

/// DSSE payloadType of a platform challenge.
constexpr std::string_view challenge_payload_type = "application/vnd.suanli.challenge+json";

// The report's challenge object; nullptr when it carries none.
const json *challenge_of(const json &report) {
  const auto it = report.find("challenge");
  return it == report.end() || it->is_null() ? nullptr : &*it;
}

// The challenge's envelope, or why it cannot be read.
std::optional<reports::dsse_envelope> envelope_of(const json &challenge, std::string &why) {
  if (!challenge.is_object() || !challenge.contains("envelope")) {
    why = "challenge has no envelope";
    return std::nullopt;
  }
  try {
    return reports::parse_envelope(challenge["envelope"].dump(), "challenge.envelope");
  } catch (const std::exception &e) {
    why = e.what();
    return std::nullopt;
  }
}

// The challenge payload (nonce, issued, expires, scope); nullopt when unreadable.
std::optional<json> payload_of(const json &challenge) {
  std::string why;
  const auto env = envelope_of(challenge, why);
  if (!env || env->payload_type != challenge_payload_type) {
    return std::nullopt;
  }
  auto p = json::parse(env->payload, nullptr, false);
  if (!p.is_object() || !p["nonce"].is_string() || !p["issued"].is_string() ||
      !p["expires"].is_string()) {
    return std::nullopt;
  }
  return p;
}

// Whether text is a UTC time "YYYY-MM-DDTHH:MM:SSZ" (such times order as strings).
bool is_utc_time(const std::string &t) {
  static constexpr std::string_view form = "dddd-dd-ddTdd:dd:ddZ";
  if (t.size() != form.size()) {
    return false;
  }
  for (size_t i = 0; i < t.size(); ++i) {
    if (form[i] == 'd' ? (t[i] < '0' || t[i] > '9') : t[i] != form[i]) {
      return false;
    }
  }
  return true;
}

// A seed as the report writes it: 16 lower-case hex digits.
std::string hex_seed(uint64_t v) {
  static constexpr char digits[] = "0123456789abcdef";
  std::string s(16, '0');
  for (int i = 15; i >= 0; --i) {
    s[static_cast<size_t>(i)] = digits[v & 15];
    v >>= 4;
  }
  return s;
}

} // namespace

void check_challenge_signature(const report_input &in, reporter &out) {
  const json *ch = challenge_of(in.report);
  if (ch == nullptr || !in.options.platform) {
    return;
  }
  std::string why;
  const auto env = envelope_of(*ch, why);
  if (!env) {
    out.add("challenge", why);
    return;
  }
  if (env->payload_type != challenge_payload_type) {
    out.add("challenge", "wrong payloadType", env->payload_type,
            std::string(challenge_payload_type));
    return;
  }
  const auto result = reports::verify_envelope(*env, *in.options.platform);
  if (!result.ok()) {
    out.add("challenge", "not signed by the platform key: " + result.reason);
    return;
  }
  if (!payload_of(*ch)) {
    out.add("challenge", "payload lacks nonce, issued or expires");
  }
}

void check_challenge_unchecked(const report_input &in, reporter &out) {
  if (challenge_of(in.report) != nullptr && !in.options.platform) {
    out.add("challenge", "challenge present but not checked: no --platform-key given");
  }
}

void check_challenge_nonce(const report_input &in, reporter &out) {
  const json *ch = challenge_of(in.report);
  if (ch == nullptr) {
    return;
  }
  const auto p = payload_of(*ch);
  if (!p) {
    return;
  }
  const auto nonce = (*p)["nonce"].get<std::string>();
  const auto run_nonce = in.report.at("run").value("nonce", std::string());
  if (run_nonce != nonce) {
    out.add("run.nonce", "the run's nonce is not the challenge's", run_nonce, nonce);
  }
  if (ch->value("nonce", std::string()) != nonce) {
    out.add("challenge.nonce", "the recorded challenge nonce is not the signed one",
            ch->value("nonce", std::string()), nonce);
  }
}

void check_challenge_window(const report_input &in, reporter &out) {
  const json *ch = challenge_of(in.report);
  if (ch == nullptr) {
    return;
  }
  const auto p = payload_of(*ch);
  if (!p) {
    return;
  }
  const auto issued = (*p)["issued"].get<std::string>();
  const auto expires = (*p)["expires"].get<std::string>();
  const auto created = in.report.value("created", std::string());
  if (!is_utc_time(issued) || !is_utc_time(expires) || !is_utc_time(created)) {
    out.add("created", "times are not UTC \"YYYY-MM-DDTHH:MM:SSZ\"", created,
            "[" + issued + ", " + expires + "]");
    return;
  }
  if (created < issued || created > expires) {
    out.add("created", "report created outside the challenge's validity", created,
            "[" + issued + ", " + expires + "]");
  }
}

void check_seeds(const report_input &in, reporter &out) {
  const auto nonce = in.report.at("run").value("nonce", std::string());
  static const std::pair<const char *, const char *> gemm[] = {{"a", "A"}, {"b", "B"}};
  static const std::pair<const char *, const char *> attention[] = {
      {"q", "Q"}, {"k", "K"}, {"v", "V"}};
  for_each_case(in, [&](const case_view &v) {
    const json &c = *v.c;
    const std::string &where = v.where;
    const auto op = c.value("operation", std::string());
    const auto sit = c.find("seeds");
    if (sit == c.end() || !sit->is_object() || (op != "gemm" && op != "attention")) {
      return;
    }
    const json &seeds = *sit;
    const auto name = c.value("name", std::string());
    const auto check = [&](std::span<const std::pair<const char *, const char *>> inputs) {
      for (const auto &[field, tensor] : inputs) {
        const auto recorded = seeds.value(field, std::string());
        const auto expected = hex_seed(bench::derive_seed(nonce, name, tensor));
        if (recorded != expected) {
          out.add(where, std::string("input seed ") + field + " is not derived from run.nonce",
                  recorded, expected);
          return;
        }
      }
    };
    if (op == "gemm") {
      check(gemm);
    } else {
      check(attention);
    }
  });
}

void check_challenge_scope(const report_input &in, reporter &out) {
  const json *ch = challenge_of(in.report);
  const auto claims = in.report.find("claims");
  if (ch == nullptr || claims == in.report.end() || !claims->is_object()) {
    return;
  }
  const auto p = payload_of(*ch);
  if (!p || !(*p)["scope"].is_object()) {
    return;
  }
  for (const char *field : {"provider", "cluster"}) {
    const auto scope = (*p)["scope"].value(field, std::string());
    const auto claimed = claims->value(field, std::string());
    if (scope != claimed) {
      out.add(std::string("claims.") + field,
              std::string("the claims' ") + field + " is not the challenge's scope", claimed,
              scope);
    }
  }
}

} // namespace suanli::audit
