// Independent check: the stock `openssl` tool verifies suanli's signatures and reads its keys,
// and suanli reads keys and signatures made by `openssl`.

#include "sign_support.hpp"

#include <reports/dsse.hpp>
#include <reports/keys.hpp>
#include <reports/statement.hpp>

#include <bench/sha256.hpp>

#include <gtest/gtest.h>

#include <sys/stat.h>
#include <sys/wait.h>

namespace suanli::reports {
namespace {

using json = nlohmann::json;
using sign_test::read_text;
using sign_test::scratch_dir;
using sign_test::write_text;

/// Runs a shell command with its output sent to `log`; the exit status (-1 if it did not exit).
int run(const std::string &command, const std::filesystem::path &log) {
  const int rc = std::system((command + " >'" + log.string() + "' 2>&1").c_str());
  return WIFEXITED(rc) ? WEXITSTATUS(rc) : -1;
}

std::string q(const std::filesystem::path &p) {
  return "'" + p.string() + "'";
}

class SignOpenssl : public ::testing::Test {
protected:
  void SetUp() override {
    if (run("openssl version", dir_ / "version.log") != 0) {
      GTEST_SKIP() << "the openssl command is not installed";
    }
  }
  scratch_dir dir_;
};

TEST_F(SignOpenssl, OpensslVerifiesOurSignatureOverThePae) {
  const keypair_files files = generate_keypair(dir_ / "k");
  const private_key key = load_private_key(files.private_key_path);
  const json statement = make_statement("r.json", json{{"median_s", 0.5}});
  const dsse_envelope env = sign_statement(statement, key);
  const std::string pae = dsse_pae(env.payload_type, env.payload);
  write_text(dir_ / "pae.bin", pae);
  write_text(dir_ / "sig.bin", env.signatures.at(0).sig);

  const std::string verify = "openssl pkeyutl -verify -pubin -inkey " + q(files.public_key_path) +
                             " -rawin -in " + q(dir_ / "pae.bin") + " -sigfile " +
                             q(dir_ / "sig.bin");
  EXPECT_EQ(run(verify, dir_ / "ok.log"), 0) << read_text(dir_ / "ok.log");
  EXPECT_NE(read_text(dir_ / "ok.log").find("Signature Verified Successfully"), std::string::npos);

  for (const std::size_t i : {std::size_t{0}, pae.size() / 2, pae.size() - 1}) {
    std::string tampered = pae;
    tampered[i] = static_cast<char>(tampered[i] ^ 0x01);
    write_text(dir_ / "pae.bin", tampered);
    EXPECT_NE(run(verify, dir_ / "bad.log"), 0) << "byte " << i;
  }
}

TEST_F(SignOpenssl, OpensslReadsOurKeysAndAgreesOnTheKeyid) {
  const keypair_files files = generate_keypair(dir_ / "k");
  EXPECT_EQ(run("openssl pkey -in " + q(files.private_key_path) + " -noout", dir_ / "a.log"), 0)
      << read_text(dir_ / "a.log");
  EXPECT_EQ(run("openssl pkey -pubin -in " + q(files.public_key_path) + " -noout", dir_ / "b.log"),
            0)
      << read_text(dir_ / "b.log");
  ASSERT_EQ(run("openssl pkey -in " + q(files.private_key_path) + " -pubout -outform DER -out " +
                    q(dir_ / "pub.der"),
                dir_ / "c.log"),
            0)
      << read_text(dir_ / "c.log");
  EXPECT_EQ(bench::sha256_hex(read_text(dir_ / "pub.der")), files.keyid);
}

TEST_F(SignOpenssl, WeVerifySignaturesMadeByOpensslWithItsKeys) {
  const auto key_path = dir_ / "g.key";
  const auto pub_path = dir_ / "g.pub";
  ASSERT_EQ(run("openssl genpkey -algorithm ed25519 -out " + q(key_path), dir_ / "g.log"), 0)
      << read_text(dir_ / "g.log");
  ASSERT_EQ(::chmod(key_path.c_str(), 0600), 0);
  ASSERT_EQ(run("openssl pkey -in " + q(key_path) + " -pubout -out " + q(pub_path), dir_ / "p.log"),
            0);
  const std::string pae = dsse_pae(in_toto_payload_type, R"({"x":1})");
  write_text(dir_ / "pae.bin", pae);
  ASSERT_EQ(run("openssl pkeyutl -sign -inkey " + q(key_path) + " -rawin -in " +
                    q(dir_ / "pae.bin") + " -out " + q(dir_ / "sig.bin"),
                dir_ / "s.log"),
            0)
      << read_text(dir_ / "s.log");

  const public_key pub = load_public_key(pub_path);
  const private_key priv = load_private_key(key_path);
  EXPECT_EQ(priv.keyid(), pub.keyid());
  const dsse_envelope env{std::string(in_toto_payload_type),
                          R"({"x":1})",
                          {{pub.keyid(), read_text(dir_ / "sig.bin")}}};
  EXPECT_TRUE(verify_envelope(env, pub).ok());
  EXPECT_EQ(priv.sign(pae), read_text(dir_ / "sig.bin")) << "Ed25519 is deterministic";
}

} // namespace
} // namespace suanli::reports
