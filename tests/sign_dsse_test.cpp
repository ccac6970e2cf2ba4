#include "sign_support.hpp"

#include <reports/base64.hpp>
#include <reports/dsse.hpp>

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

namespace suanli::reports {
namespace {

using json = nlohmann::json;
using status = verify_result::status;
using sign_test::capture_error;
using sign_test::scratch_dir;

constexpr std::string_view payload_type = "application/vnd.in-toto+json";

/// Two key pairs generated once for the whole test program.
class SignDsse : public ::testing::Test {
protected:
  static void SetUpTestSuite() {
    shared_dir = new scratch_dir;
    shared_key_a =
        new private_key(load_private_key(generate_keypair(*shared_dir / "a").private_key_path));
    shared_pub_b =
        new public_key(load_public_key(generate_keypair(*shared_dir / "b").public_key_path));
  }
  static void TearDownTestSuite() {
    delete shared_pub_b;
    delete shared_key_a;
    delete shared_dir;
  }
  static const private_key &key_a() { return *shared_key_a; }
  static const public_key &pub_a() { return shared_key_a->public_part(); }
  static const public_key &pub_b() { return *shared_pub_b; }

  static const std::string &payload() {
    static const std::string text = R"({"report":{"median_s":0.0125,"name":"gemm 4096"}})";
    return text;
  }

private:
  static inline scratch_dir *shared_dir = nullptr;
  static inline private_key *shared_key_a = nullptr;
  static inline public_key *shared_pub_b = nullptr;
};

/// Positions to tamper with: first, second, middle and last byte.
std::vector<std::size_t> positions(std::size_t size) {
  return {0, 1, size / 2, size - 1};
}

/// The message of the bench::error thrown by parse_envelope (fails the test if none).
std::string parse_error_message(const std::string &text) {
  const auto err = capture_error([&] { (void)parse_envelope(text, "cluster.report.json"); });
  if (!err.has_value()) {
    ADD_FAILURE() << "no error for: " << text;
    return {};
  }
  EXPECT_EQ(err->code(), bench::exit_code::bad_input);
  std::string message = err->what();
  EXPECT_EQ(message.rfind("cluster.report.json: ", 0), 0U) << message;
  return message;
}

TEST_F(SignDsse, PaeMatchesTheSpecVector) {
  EXPECT_EQ(dsse_pae("http://example.com/HelloWorld", "hello world"),
            "DSSEv1 29 http://example.com/HelloWorld 11 hello world");
  EXPECT_EQ(dsse_pae("", ""), "DSSEv1 0  0 ");
  EXPECT_EQ(dsse_pae("t", std::string("a\0b", 3)), std::string("DSSEv1 1 t 3 a\0b", 16));
}

TEST_F(SignDsse, SignVerifyRoundTripThroughTheFileFormat) {
  const dsse_envelope env = sign_envelope(payload(), payload_type, key_a());
  ASSERT_EQ(env.signatures.size(), 1U);
  EXPECT_EQ(env.signatures[0].keyid, key_a().keyid());
  EXPECT_EQ(env.payload, payload());

  const std::string text = serialize_envelope(env);
  const json doc = json::parse(text);
  EXPECT_EQ(doc["payloadType"], payload_type);
  EXPECT_EQ(base64_decode(doc["payload"].get<std::string>()), payload());
  EXPECT_EQ(doc["signatures"][0]["keyid"], key_a().keyid());

  const dsse_envelope back = parse_envelope(text, "r.json");
  EXPECT_EQ(back.payload, payload());
  EXPECT_EQ(back.payload_type, payload_type);
  const verify_result result = verify_envelope(back, pub_a());
  EXPECT_TRUE(result.ok()) << result.reason;
  EXPECT_EQ(result.outcome, status::valid);
  EXPECT_NE(result.reason.find(key_a().keyid()), std::string::npos);
}

TEST_F(SignDsse, FlippingAnyPayloadByteBreaksTheSignature) {
  const dsse_envelope env = sign_envelope(payload(), payload_type, key_a());
  for (const std::size_t i : positions(env.payload.size())) {
    for (const int mask : {0x01, 0x80}) {
      dsse_envelope tampered = env;
      tampered.payload[i] = static_cast<char>(tampered.payload[i] ^ mask);
      const verify_result result =
          verify_envelope(parse_envelope(serialize_envelope(tampered), "t.json"), pub_a());
      EXPECT_EQ(result.outcome, status::bad_signature) << "byte " << i;
      EXPECT_EQ(result.reason, "signature does not verify over the DSSE PAE of the payload: "
                               "payload or signature altered, or wrong key");
    }
  }
  dsse_envelope longer = env;
  longer.payload += ' ';
  EXPECT_EQ(verify_envelope(longer, pub_a()).outcome, status::bad_signature);
  dsse_envelope retyped = env;
  retyped.payload_type = "application/json";
  EXPECT_EQ(verify_envelope(retyped, pub_a()).outcome, status::bad_signature);
}

TEST_F(SignDsse, FlippingAnySignatureByteBreaksTheSignature) {
  const dsse_envelope env = sign_envelope(payload(), payload_type, key_a());
  const std::size_t size = env.signatures[0].sig.size();
  ASSERT_EQ(size, 64U);
  for (const std::size_t i : {std::size_t{0}, std::size_t{1}, std::size_t{31}, std::size_t{32},
                              std::size_t{62}, size - 1}) {
    dsse_envelope tampered = env;
    tampered.signatures[0].sig[i] = static_cast<char>(tampered.signatures[0].sig[i] ^ 0x01);
    EXPECT_EQ(verify_envelope(tampered, pub_a()).outcome, status::bad_signature) << "byte " << i;
  }
  dsse_envelope truncated = env;
  truncated.signatures[0].sig.pop_back();
  EXPECT_EQ(verify_envelope(truncated, pub_a()).outcome, status::bad_signature);
}

TEST_F(SignDsse, WrongPublicKeyFails) {
  const dsse_envelope env = sign_envelope(payload(), payload_type, key_a());
  const verify_result result = verify_envelope(env, pub_b());
  EXPECT_EQ(result.outcome, status::wrong_key);
  EXPECT_NE(result.reason.find(key_a().keyid()), std::string::npos) << result.reason;
  EXPECT_NE(result.reason.find(pub_b().keyid()), std::string::npos) << result.reason;

  // A signature that names no keyid is tried against the key, and fails on the math.
  dsse_envelope anonymous = env;
  anonymous.signatures[0].keyid.clear();
  EXPECT_EQ(verify_envelope(anonymous, pub_b()).outcome, status::bad_signature);
  EXPECT_TRUE(verify_envelope(anonymous, pub_a()).ok());

  // A forged keyid claiming key b does not help a signature by key a.
  dsse_envelope forged = env;
  forged.signatures[0].keyid = pub_b().keyid();
  EXPECT_EQ(verify_envelope(forged, pub_b()).outcome, status::bad_signature);
}

TEST_F(SignDsse, AnyTrustedKeyMayVerify) {
  const dsse_envelope env = sign_envelope(payload(), payload_type, key_a());
  const std::vector<public_key> trusted = {pub_b(), pub_a()};
  EXPECT_TRUE(verify_envelope(env, trusted).ok());
  const std::vector<public_key> others = {pub_b()};
  EXPECT_EQ(verify_envelope(env, others).outcome, status::wrong_key);
  EXPECT_EQ(verify_envelope(env, std::span<const public_key>()).outcome, status::wrong_key);
}

TEST_F(SignDsse, UnsignedEnvelopeReportsUnsigned) {
  const dsse_envelope env = make_unsigned_envelope(payload(), payload_type);
  EXPECT_TRUE(env.signatures.empty());
  const dsse_envelope back = parse_envelope(serialize_envelope(env), "u.json");
  EXPECT_EQ(back.payload, payload());
  const verify_result result = verify_envelope(back, pub_a());
  EXPECT_EQ(result.outcome, status::unsigned_report);
  EXPECT_EQ(result.reason, "unsigned: the report carries no signature");
  EXPECT_FALSE(result.ok());
  EXPECT_EQ(to_string(result.outcome), "unsigned");
}

TEST_F(SignDsse, NonJsonAndTruncatedFilesAreBadInput) {
  std::string message = parse_error_message("this is not json");
  EXPECT_NE(message.find("not a JSON DSSE envelope: "), std::string::npos) << message;
  EXPECT_NE(message.find("byte"), std::string::npos) << message;
  EXPECT_EQ(message.find("json.exception"), std::string::npos) << message;

  const std::string text = serialize_envelope(sign_envelope(payload(), payload_type, key_a()));
  message = parse_error_message(text.substr(0, text.size() / 2));
  EXPECT_NE(message.find("not a JSON DSSE envelope: "), std::string::npos) << message;
  EXPECT_EQ(message.find("last read"), std::string::npos) << "no echo of the file: " << message;
  EXPECT_LT(message.size(), 300U) << message;
  message = parse_error_message(text.substr(0, text.size() - 3));
  EXPECT_NE(message.find("not a JSON DSSE envelope: "), std::string::npos) << message;
  message = parse_error_message("");
  EXPECT_NE(message.find("not a JSON DSSE envelope: "), std::string::npos) << message;
  message = parse_error_message("[1, 2]");
  EXPECT_NE(message.find("expected an object"), std::string::npos) << message;
}

TEST_F(SignDsse, MissingOrMistypedFieldsAreNamed) {
  const json good =
      json::parse(serialize_envelope(sign_envelope(payload(), payload_type, key_a())));
  for (const std::string field : {"payloadType", "payload", "signatures"}) {
    json doc = good;
    doc.erase(field);
    std::string message = parse_error_message(doc.dump());
    EXPECT_NE(message.find("'" + field + "' is missing"), std::string::npos) << message;
    doc[field] = 42;
    message = parse_error_message(doc.dump());
    EXPECT_NE(message.find("'" + field + "' is number"), std::string::npos) << message;
  }
  json doc = good;
  doc["signatures"][0].erase("sig");
  std::string message = parse_error_message(doc.dump());
  EXPECT_NE(message.find("'signatures[0].sig' is missing"), std::string::npos) << message;
  doc = good;
  doc["signatures"][0]["keyid"] = json::array();
  message = parse_error_message(doc.dump());
  EXPECT_NE(message.find("'signatures[0].keyid' is array"), std::string::npos) << message;
  doc = good;
  doc["signatures"][0] = "sig";
  message = parse_error_message(doc.dump());
  EXPECT_NE(message.find("'signatures[0]' is string"), std::string::npos) << message;
}

TEST_F(SignDsse, BadBase64IsNamed) {
  const json good =
      json::parse(serialize_envelope(sign_envelope(payload(), payload_type, key_a())));
  json doc = good;
  doc["payload"] = "eyJh*ZQ==";
  std::string message = parse_error_message(doc.dump());
  EXPECT_NE(message.find("'payload' is not valid base64"), std::string::npos) << message;
  doc = good;
  doc["signatures"][0]["sig"] = doc["signatures"][0]["sig"].get<std::string>() + "A";
  message = parse_error_message(doc.dump());
  EXPECT_NE(message.find("'signatures[0].sig' is not valid base64"), std::string::npos) << message;
}

TEST_F(SignDsse, UrlSafeBase64AndMissingKeyidAreAccepted) {
  const dsse_envelope env = sign_envelope(payload(), payload_type, key_a());
  json doc = json::parse(serialize_envelope(env));
  std::string sig = doc["signatures"][0]["sig"].get<std::string>();
  for (char &c : sig) {
    c = c == '+' ? '-' : c == '/' ? '_' : c;
  }
  doc["signatures"][0]["sig"] = sig;
  doc["signatures"][0].erase("keyid");
  const dsse_envelope back = parse_envelope(doc.dump(), "r.json");
  EXPECT_TRUE(back.signatures[0].keyid.empty());
  EXPECT_TRUE(verify_envelope(back, pub_a()).ok());
}

} // namespace
} // namespace suanli::reports
