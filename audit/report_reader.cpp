#include <audit/report_reader.hpp>

#include <bench/sha256.hpp>
#include <reports/atomic_file.hpp>
#include <reports/base64.hpp>

#include <optional>
#include <string_view>

namespace suanli::audit {
namespace {

using nlohmann::json;

// A strict scanner for the envelope subset `suanli run` writes: an object of string fields and
// a "signatures" array of objects of string fields, no escapes. Anything else: nullopt.
class envelope_scanner {
public:
  explicit envelope_scanner(std::string_view text) : s_(text) {}

  std::optional<reports::dsse_envelope> scan() {
    reports::dsse_envelope env;
    bool payload = false, type = false, sigs = false;
    if (!take('{')) {
      return std::nullopt;
    }
    do {
      const auto key = string();
      if (!key || !take(':')) {
        return std::nullopt;
      }
      if (*key == "payload" || *key == "payloadType") {
        const auto v = string();
        if (!v) {
          return std::nullopt;
        }
        if (*key == "payload") {
          auto bytes = reports::base64_decode(*v);
          if (!bytes) {
            return std::nullopt;
          }
          env.payload = std::move(*bytes);
          payload = true;
        } else {
          env.payload_type = std::string(*v);
          type = true;
        }
      } else if (*key == "signatures") {
        if (!signatures(env)) {
          return std::nullopt;
        }
        sigs = true;
      } else {
        return std::nullopt;
      }
    } while (take(','));
    if (!take('}') || !payload || !type || !sigs) {
      return std::nullopt;
    }
    skip_ws();
    return pos_ == s_.size() ? std::optional(std::move(env)) : std::nullopt;
  }

private:
  void skip_ws() {
    while (pos_ < s_.size() &&
           (s_[pos_] == ' ' || s_[pos_] == '\n' || s_[pos_] == '\r' || s_[pos_] == '\t')) {
      ++pos_;
    }
  }
  bool take(char c) {
    skip_ws();
    if (pos_ < s_.size() && s_[pos_] == c) {
      ++pos_;
      return true;
    }
    return false;
  }
  std::optional<std::string_view> string() {
    if (!take('"')) {
      return std::nullopt;
    }
    size_t end = pos_;
    while (end < s_.size() && s_[end] != '"' && s_[end] != '\\' && s_[end] >= 0x20 &&
           s_[end] < 0x7f) {
      ++end;
    }
    if (end == s_.size() || s_[end] != '"') {
      // unterminated, an escape, a control character or a non-ASCII byte (which may not be
      // UTF-8): the full parser decides
      return std::nullopt;
    }
    const auto out = s_.substr(pos_, end - pos_);
    pos_ = end + 1;
    return out;
  }
  bool signatures(reports::dsse_envelope &env) {
    if (!take('[')) {
      return false;
    }
    if (take(']')) {
      return true;
    }
    do {
      reports::dsse_signature sig;
      bool has_sig = false;
      if (!take('{')) {
        return false;
      }
      do {
        const auto key = string();
        const auto value = key && take(':') ? string() : std::nullopt;
        if (!value) {
          return false;
        }
        if (*key == "keyid") {
          sig.keyid = std::string(*value);
        } else if (*key == "sig") {
          auto bytes = reports::base64_decode(*value);
          if (!bytes) {
            return false;
          }
          sig.sig = std::move(*bytes);
          has_sig = true;
        } else {
          return false;
        }
      } while (take(','));
      if (!take('}') || !has_sig) {
        return false;
      }
      env.signatures.push_back(std::move(sig));
    } while (take(','));
    return take(']');
  }

  std::string_view s_;
  size_t pos_ = 0;
};

// The statement when it has the form `suanli run` writes (compact, keys sorted) and its subject
// digest covers the predicate's bytes as signed; nullopt otherwise (the caller falls back).
std::optional<reports::statement_check> fast_statement(const reports::dsse_envelope &env) {
  const std::string_view payload = env.payload;
  const std::string prefix =
      "{\"_type\":\"" + std::string(reports::statement_type) + "\",\"predicate\":";
  const std::string middle =
      ",\"predicateType\":\"" + std::string(reports::report_predicate_type) + "\",\"subject\":";
  const auto mid = payload.rfind(middle);
  if (env.payload_type != reports::in_toto_payload_type || !payload.starts_with(prefix) ||
      mid == std::string_view::npos || mid < prefix.size()) {
    return std::nullopt;
  }
  json statement = json::parse(payload, nullptr, false);
  if (!statement.is_object() || statement.size() != 4) {
    return std::nullopt;
  }
  const auto &subject = statement["subject"];
  if (!subject.is_array() || subject.size() != 1 || !subject[0]["name"].is_string() ||
      !subject[0]["digest"].is_object() || !subject[0]["digest"]["sha256"].is_string()) {
    return std::nullopt;
  }
  const auto raw = payload.substr(prefix.size(), mid - prefix.size());
  if (bench::sha256_hex(raw) != subject[0]["digest"]["sha256"].get<std::string>()) {
    return std::nullopt;
  }
  reports::statement_check out;
  out.subject_name = subject[0]["name"].get<std::string>();
  out.predicate = std::move(statement["predicate"]);
  return out;
}

} // namespace

read_report read_report_file(const std::string &file) {
  const auto text = reports::read_file(file, "report");
  read_report r;
  if (auto env = envelope_scanner(text).scan()) {
    r.envelope = std::move(*env);
  } else {
    r.envelope = reports::parse_envelope(text, file);
  }
  if (auto st = fast_statement(r.envelope)) {
    r.statement = std::move(*st);
  } else {
    r.statement = reports::read_statement(r.envelope);
  }
  return r;
}

} // namespace suanli::audit
