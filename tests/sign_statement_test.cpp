#include "sign_support.hpp"

#include <reports/statement.hpp>

#include <bench/sha256.hpp>

#include <gtest/gtest.h>

namespace suanli::reports {
namespace {

using json = nlohmann::json;
using status = verify_result::status;
using sign_test::scratch_dir;

json sample_report() {
  return json::parse(R"({"tool":{"version":"0.1.0"},
    "cases":[{"name":"gemm bf16 4096","median_s":0.0123456789012345,"samples_s":[1e-3,2.5e-7],
              "flops":137438953472,"device":"\u7b97\u529b GPU"}],"nan_like":null})");
}

TEST(SignStatement, HasTheInTotoShapeAndDigest) {
  const json report = sample_report();
  const json st = make_statement("cluster.report.json", report);
  EXPECT_EQ(st["_type"], "https://in-toto.io/Statement/v1");
  EXPECT_EQ(st["predicateType"], "https://suanli.dev/report/v1");
  ASSERT_EQ(st["subject"].size(), 1U);
  EXPECT_EQ(st["subject"][0]["name"], "cluster.report.json");
  EXPECT_EQ(st["subject"][0]["digest"]["sha256"], bench::sha256_hex(report.dump()));
  EXPECT_EQ(st["predicate"], report);

  const statement_check check = statement_predicate(st);
  EXPECT_TRUE(check.result.ok()) << check.result.reason;
  EXPECT_EQ(check.predicate, report);
  EXPECT_EQ(check.subject_name, "cluster.report.json");
}

TEST(SignStatement, SignedStatementRoundTripsThroughTheFileFormat) {
  const scratch_dir dir;
  const private_key key = load_private_key(generate_keypair(dir / "k").private_key_path);
  const json st = make_statement("r.json", sample_report());
  const dsse_envelope env = parse_envelope(serialize_envelope(sign_statement(st, key)), "r.json");
  EXPECT_EQ(env.payload_type, "application/vnd.in-toto+json");
  EXPECT_TRUE(verify_envelope(env, key.public_part()).ok());
  const statement_check check = read_statement(env);
  EXPECT_TRUE(check.result.ok()) << check.result.reason;
  EXPECT_EQ(check.predicate, sample_report());

  const dsse_envelope bare = make_unsigned_statement_envelope(st);
  EXPECT_EQ(verify_envelope(bare, key.public_part()).outcome, status::unsigned_report);
  EXPECT_TRUE(read_statement(bare).result.ok());
}

TEST(SignStatement, AlteredPredicateIsADigestMismatch) {
  json st = make_statement("r.json", sample_report());
  st["predicate"]["cases"][0]["median_s"] = 0.001;
  const statement_check check = statement_predicate(st);
  EXPECT_EQ(check.result.outcome, status::digest_mismatch);
  EXPECT_NE(check.result.reason.find("does not match"), std::string::npos);
  EXPECT_TRUE(check.predicate.is_null());
}

TEST(SignStatement, MalformedStatementsAreRefusedNotThrown) {
  const json good = make_statement("r.json", sample_report());
  std::vector<json> bad(9, good);
  bad[0]["_type"] = "https://in-toto.io/Statement/v0.1";
  bad[1]["predicateType"] = "https://slsa.dev/provenance/v1";
  bad[2].erase("predicate");
  bad[3].erase("subject");
  bad[4]["subject"] = json::array();
  bad[5]["subject"][0]["digest"].erase("sha256");
  bad[6]["subject"][0]["digest"]["sha256"] = 7;
  bad[7]["subject"][0].erase("name");
  bad[8] = json::array({good});
  for (std::size_t i = 0; i < bad.size(); ++i) {
    const statement_check check = statement_predicate(bad[i]);
    EXPECT_EQ(check.result.outcome, status::bad_statement) << i << ": " << check.result.reason;
  }
}

TEST(SignStatement, EnvelopePayloadMustBeAnInTotoJsonStatement) {
  EXPECT_EQ(read_statement(make_unsigned_envelope("{}", "application/json")).result.outcome,
            status::wrong_payload_type);
  EXPECT_EQ(read_statement(make_unsigned_envelope("{\"_ty", in_toto_payload_type)).result.outcome,
            status::bad_statement);
}

TEST(SignStatement, InvalidUtf8DoesNotThrowAndStaysConsistent) {
  json report = sample_report();
  report["host"] = std::string("node\xff", 5);
  const json st = make_statement("r.json", report);
  const dsse_envelope env = make_unsigned_statement_envelope(st);
  const statement_check check = read_statement(env);
  EXPECT_TRUE(check.result.ok()) << check.result.reason;
}

} // namespace
} // namespace suanli::reports
