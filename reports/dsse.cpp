#include <reports/dsse.hpp>

#include <reports/base64.hpp>

#include <bench/error.hpp>

namespace suanli::reports {
namespace {

using json = nlohmann::json;

constexpr std::string_view bad_signature_reason =
    "signature does not verify over the DSSE PAE of the payload: payload or signature altered, "
    "or wrong key";

/// Parsing context: the file name that starts every message.
struct envelope_reader {
  std::string source;

  [[noreturn]] void fail(const std::string &what) const { bench::fail_input(source + ": " + what); }

  /// The member `name` of `object`, which must exist and have the given type.
  const json &field(const json &object, const std::string &name, json::value_t type,
                    std::string_view type_name, const std::string &where) const {
    const auto it = object.find(name);
    if (it == object.end()) {
      fail("DSSE envelope field '" + where + "' is missing (expected " + std::string(type_name) +
           ")");
    }
    if (it->type() != type) {
      fail("DSSE envelope field '" + where + "' is " + it->type_name() + ", expected " +
           std::string(type_name));
    }
    return *it;
  }

  std::string base64_field(const json &object, const std::string &name,
                           const std::string &where) const {
    const json &text = field(object, name, json::value_t::string, "a base64 string", where);
    auto bytes = base64_decode(text.get_ref<const std::string &>());
    if (!bytes) {
      fail("DSSE envelope field '" + where + "' is not valid base64");
    }
    return std::move(*bytes);
  }

  dsse_signature signature(const json &entry, std::size_t index) const {
    const std::string where = "signatures[" + std::to_string(index) + "]";
    if (!entry.is_object()) {
      fail("DSSE envelope field '" + where + "' is " + entry.type_name() + ", expected an object");
    }
    dsse_signature sig;
    sig.sig = base64_field(entry, "sig", where + ".sig");
    if (const auto it = entry.find("keyid"); it != entry.end()) {
      if (!it->is_string()) {
        fail("DSSE envelope field '" + where + ".keyid' is " + it->type_name() +
             ", expected a string");
      }
      sig.keyid = it->get<std::string>();
    }
    return sig;
  }
};

/// "[json.exception.parse_error.101] parse error at ...; last read: '<file text>'" ->
/// "parse error at ...": no exception id, and no echo of the file's text.
std::string parser_message(std::string_view message) {
  if (!message.empty() && message.front() == '[') {
    if (const auto end = message.find("] "); end != std::string_view::npos) {
      message.remove_prefix(end + 2);
    }
  }
  if (const auto echo = message.find("; last read: "); echo != std::string_view::npos) {
    message = message.substr(0, echo);
  }
  return std::string(message);
}

} // namespace

std::string dsse_pae(std::string_view payload_type, std::string_view payload) {
  std::string out = "DSSEv1 ";
  out += std::to_string(payload_type.size());
  out += ' ';
  out += payload_type;
  out += ' ';
  out += std::to_string(payload.size());
  out += ' ';
  out += payload;
  return out;
}

dsse_envelope sign_envelope(std::string_view payload, std::string_view payload_type,
                            const private_key &key) {
  dsse_envelope envelope = make_unsigned_envelope(payload, payload_type);
  envelope.signatures.push_back({key.keyid(), key.sign(dsse_pae(payload_type, payload))});
  return envelope;
}

dsse_envelope make_unsigned_envelope(std::string_view payload, std::string_view payload_type) {
  return {std::string(payload_type), std::string(payload), {}};
}

json envelope_to_json(const dsse_envelope &envelope) {
  json signatures = json::array();
  for (const dsse_signature &s : envelope.signatures) {
    signatures.push_back({{"keyid", s.keyid}, {"sig", base64_encode(s.sig)}});
  }
  return {{"payloadType", envelope.payload_type},
          {"payload", base64_encode(envelope.payload)},
          {"signatures", std::move(signatures)}};
}

std::string serialize_envelope(const dsse_envelope &envelope) {
  return envelope_to_json(envelope).dump(2) + "\n";
}

dsse_envelope parse_envelope(std::string_view text, std::string_view source_name) {
  const envelope_reader reader{std::string(source_name)};
  json doc;
  try {
    doc = json::parse(text);
  } catch (const json::parse_error &e) {
    reader.fail("not a JSON DSSE envelope: " + parser_message(e.what()) + " (byte " +
                std::to_string(e.byte) + ")");
  } catch (const json::out_of_range &e) { // a number too large for a double, e.g. 1e999
    reader.fail("not a JSON DSSE envelope: " + parser_message(e.what()));
  }
  if (!doc.is_object()) {
    reader.fail(std::string("not a DSSE envelope: the top level is ") + doc.type_name() +
                ", expected an object {payloadType, payload, signatures}");
  }
  dsse_envelope envelope;
  envelope.payload_type =
      reader.field(doc, "payloadType", json::value_t::string, "a string", "payloadType")
          .get<std::string>();
  envelope.payload = reader.base64_field(doc, "payload", "payload");
  const json &signatures =
      reader.field(doc, "signatures", json::value_t::array, "an array", "signatures");
  for (std::size_t i = 0; i < signatures.size(); ++i) {
    envelope.signatures.push_back(reader.signature(signatures[i], i));
  }
  return envelope;
}

verify_result verify_envelope(const dsse_envelope &envelope, const public_key &key) {
  return verify_envelope(envelope, std::span<const public_key>(&key, 1));
}

verify_result verify_envelope(const dsse_envelope &envelope, std::span<const public_key> trusted) {
  using status = verify_result::status;
  if (envelope.signatures.empty()) {
    return {status::unsigned_report, "unsigned: the report carries no signature"};
  }
  const std::string pae = dsse_pae(envelope.payload_type, envelope.payload);
  bool keyid_matched = false;
  for (const dsse_signature &sig : envelope.signatures) {
    for (const public_key &key : trusted) {
      if (!sig.keyid.empty() && sig.keyid != key.keyid()) {
        continue;
      }
      keyid_matched = true;
      if (key.verify(pae, sig.sig)) {
        return {status::valid, "signed by keyid " + key.keyid() + " (" + key.source() + ")"};
      }
    }
  }
  if (keyid_matched) {
    return {status::bad_signature, std::string(bad_signature_reason)};
  }
  std::string found;
  for (const dsse_signature &sig : envelope.signatures) {
    found += (found.empty() ? "" : ", ") + sig.keyid;
  }
  std::string expected;
  if (trusted.size() == 1) {
    expected = "keyid " + trusted.front().keyid() + " (" + trusted.front().source() + ")";
  } else {
    expected = "one of " + std::to_string(trusted.size()) + " trusted keys";
  }
  return {status::wrong_key, "signed by keyid " + found + ", expected " + expected};
}

} // namespace suanli::reports
