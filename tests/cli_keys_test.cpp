// Encrypted PKCS#8 private keys end to end: passphrase files and prompts for every command that
// loads a key, `keygen` writing encrypted keys, and interoperability with the stock openssl tool.
#include "cli_keys_support.hpp"
#include "pty_run.hpp"

#include <gtest/gtest.h>

namespace suanli::test {
namespace {

namespace fs = std::filesystem;

constexpr const char *passphrase = "correct horse battery staple";

class cli_keys : public key_fixture {
protected:
  /// An encrypted key made by `openssl genpkey` (k.pem), its passphrase file (pw) and its
  /// public key (k.pub); false when openssl is missing.
  bool openssl_encrypted_key() {
    if (!have_openssl()) {
      return false;
    }
    secret_file("pw", std::string(passphrase) + "\n");
    EXPECT_EQ(shell("openssl genpkey -algorithm ed25519 -aes-256-cbc -pass file:" + q("pw") +
                    " -out " + q("k.pem")),
              0);
    EXPECT_EQ(::chmod(at("k.pem").c_str(), 0600), 0);
    EXPECT_EQ(shell("openssl pkey -in " + q("k.pem") + " -passin file:" + q("pw") +
                    " -pubout -out " + q("k.pub")),
              0);
    return true;
  }
};

TEST_F(cli_keys, openssl_encrypted_key_signs_a_report_that_verify_accepts) {
  if (!openssl_encrypted_key()) {
    GTEST_SKIP() << "the openssl command is not installed";
  }
  ASSERT_EQ(slurp(at("k.pem")).rfind("-----BEGIN ENCRYPTED PRIVATE KEY-----", 0), 0U);
  const auto r = run_suanli(run_tiny("--key " + q("k.pem") + " --key-passphrase-file " + q("pw")));
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  const auto v = run_suanli("verify " + q("r.json") + " --pubkey " + q("k.pub"));
  EXPECT_EQ(v.exit_code, 0) << v.out << v.err;

  const auto c =
      run_suanli(issue_challenge("--key " + q("k.pem") + " --key-passphrase-file " + q("pw")));
  ASSERT_EQ(c.exit_code, 0) << c.out << c.err;
  const auto s = run_suanli("challenge show " + q("ch.json") + " --platform-key " + q("k.pub"));
  EXPECT_EQ(s.exit_code, 0) << s.out << s.err;
}

TEST_F(cli_keys, keygen_passphrase_file_writes_an_encrypted_key_that_openssl_decrypts) {
  secret_file("pw", std::string(passphrase) + "\n");
  const auto k = run_suanli("keygen --out " + q("k") + " --passphrase-file " + q("pw"));
  ASSERT_EQ(k.exit_code, 0) << k.out << k.err;
  EXPECT_NE(k.out.find("encrypted"), std::string::npos) << k.out;
  EXPECT_EQ(slurp(at("k.key")).rfind("-----BEGIN ENCRYPTED PRIVATE KEY-----", 0), 0U);
  EXPECT_EQ(static_cast<unsigned>(fs::status(at("k.key")).permissions()) & 0777U, 0600U);
  const auto signed_ok =
      run_suanli(issue_challenge("--key " + q("k.key") + " --key-passphrase-file " + q("pw")));
  EXPECT_EQ(signed_ok.exit_code, 0) << signed_ok.err;
  if (!have_openssl()) {
    GTEST_SKIP() << "the openssl command is not installed";
  }
  ASSERT_EQ(shell("openssl pkey -in " + q("k.key") + " -passin file:" + q("pw") + " -pubout -out " +
                  q("o.pub")),
            0);
  EXPECT_EQ(slurp(at("o.pub")), slurp(at("k.pub")));
  EXPECT_EQ(shell("openssl asn1parse -in " + q("k.key") + " | grep -q ':aes-256-cbc'"), 0)
      << "the key is encrypted with AES-256-CBC";
  secret_file("bad", "not the passphrase\n");
  EXPECT_NE(shell("openssl pkey -in " + q("k.key") + " -passin file:" + q("bad") + " -noout"), 0);
}

TEST_F(cli_keys, encrypted_key_without_a_passphrase_option_names_the_options) {
  secret_file("pw", std::string(passphrase) + "\n");
  ASSERT_EQ(run_suanli("keygen --out " + q("k") + " --passphrase-file " + q("pw")).exit_code, 0);
  for (const auto &cmd :
       {run_tiny("--key " + q("k.key")), issue_challenge("--key " + q("k.key"))}) {
    const auto r = run_suanli(cmd);
    expect_one_error_line(r, 2,
                          "is encrypted (PKCS#8); give its passphrase with --key-passphrase-file "
                          "FILE or --key-passphrase-prompt");
  }
  EXPECT_FALSE(fs::exists(at("r.json")));
  EXPECT_FALSE(fs::exists(at("ch.json")));
}

TEST_F(cli_keys, wrong_passphrase_is_one_line_without_an_openssl_dump) {
  secret_file("pw", std::string(passphrase) + "\n");
  secret_file("bad", "wrong\n");
  ASSERT_EQ(run_suanli("keygen --out " + q("k") + " --passphrase-file " + q("pw")).exit_code, 0);
  for (const auto &cmd :
       {run_tiny("--key " + q("k.key") + " --key-passphrase-file " + q("bad")),
        issue_challenge("--key " + q("k.key") + " --key-passphrase-file " + q("bad"))}) {
    const auto r = run_suanli(cmd);
    expect_one_error_line(r, 2, "cannot be decrypted: wrong passphrase");
    EXPECT_EQ(r.err.find("routines"), std::string::npos) << r.err;
  }
  EXPECT_FALSE(fs::exists(at("r.json")));
  EXPECT_FALSE(fs::exists(at("ch.json")));
}

TEST_F(cli_keys, passphrase_file_must_be_private_like_a_key) {
  secret_file("pw", std::string(passphrase) + "\n");
  ASSERT_EQ(run_suanli("keygen --out " + q("k") + " --passphrase-file " + q("pw")).exit_code, 0);
  const auto load = [&](const std::string &pw_name) {
    return run_suanli(
        issue_challenge("--key " + q("k.key") + " --key-passphrase-file " + q(pw_name)));
  };
  secret_file("open", std::string(passphrase) + "\n", 0640);
  expect_one_error_line(load("open"), 2,
                        "passphrase file " + at("open").string() +
                            " has mode 0640; it must not "
                            "be readable by group or others");
  fs::create_symlink(at("pw"), at("link"));
  expect_one_error_line(load("link"), 2, "is a symbolic link");
  secret_file("empty", "\nsecond line\n");
  expect_one_error_line(load("empty"), 2, "is empty");
  expect_one_error_line(load("absent"), 2, "cannot read passphrase file");
  // keygen reads its passphrase file under the same rules, and writes nothing on refusal.
  expect_one_error_line(run_suanli("keygen --out " + q("n") + " --passphrase-file " + q("open")), 2,
                        "has mode 0640");
  EXPECT_FALSE(fs::exists(at("n.key")));
  EXPECT_FALSE(fs::exists(at("n.pub")));
}

TEST_F(cli_keys, passphrase_options_need_a_key_and_exclude_each_other) {
  secret_file("pw", std::string(passphrase) + "\n");
  EXPECT_EQ(run_suanli(run_tiny("--key-passphrase-file " + q("pw"))).exit_code, 2);
  EXPECT_EQ(run_suanli(run_tiny("--key " + q("k.key") + " --key-passphrase-file " + q("pw") +
                                " --key-passphrase-prompt"))
                .exit_code,
            2);
  EXPECT_EQ(run_suanli("keygen --out " + q("k") + " --passphrase-file " + q("pw") +
                       " --passphrase-prompt")
                .exit_code,
            2);
  EXPECT_FALSE(fs::exists(at("r.json")));
  EXPECT_FALSE(fs::exists(at("k.key")));
}

TEST_F(cli_keys, prompt_without_a_terminal_is_a_clear_exit_2) {
  secret_file("pw", std::string(passphrase) + "\n");
  ASSERT_EQ(run_suanli("keygen --out " + q("k") + " --passphrase-file " + q("pw")).exit_code, 0);
  auto r = run_without_tty({SUANLI_BIN, "challenge", "issue", "--scope", "provider=acme", "--out",
                            at("ch.json").string(), "--key", at("k.key").string(),
                            "--key-passphrase-prompt"});
  EXPECT_EQ(r.exit_code, 2) << r.transcript;
  EXPECT_NE(r.transcript.find("cannot ask for a passphrase: no terminal"), std::string::npos)
      << r.transcript;
  EXPECT_NE(r.transcript.find("use --key-passphrase-file FILE instead"), std::string::npos);
  r = run_without_tty({SUANLI_BIN, "keygen", "--out", at("n").string(), "--passphrase-prompt"});
  EXPECT_EQ(r.exit_code, 2) << r.transcript;
  EXPECT_NE(r.transcript.find("use --passphrase-file FILE instead"), std::string::npos);
  EXPECT_FALSE(fs::exists(at("ch.json")));
  EXPECT_FALSE(fs::exists(at("n.key")));
}

TEST_F(cli_keys, prompt_on_a_terminal_reads_the_passphrase_with_echo_off) {
  secret_file("pw", std::string(passphrase) + "\n");
  ASSERT_EQ(run_suanli("keygen --out " + q("k") + " --passphrase-file " + q("pw")).exit_code, 0);
  const std::vector<std::string> issue = {SUANLI_BIN,
                                          "challenge",
                                          "issue",
                                          "--scope",
                                          "provider=acme",
                                          "--out",
                                          at("ch.json").string(),
                                          "--key",
                                          at("k.key").string(),
                                          "--key-passphrase-prompt"};
  auto r = run_on_pty(issue, {passphrase});
  EXPECT_EQ(r.exit_code, 0) << r.transcript;
  EXPECT_NE(r.transcript.find("Passphrase for " + at("k.key").string() + ": "), std::string::npos)
      << r.transcript;
  EXPECT_EQ(r.transcript.find(passphrase), std::string::npos) << "echoed: " << r.transcript;
  EXPECT_TRUE(fs::exists(at("ch.json")));

  fs::remove(at("ch.json"));
  r = run_on_pty(issue, {"not it"});
  EXPECT_EQ(r.exit_code, 2) << r.transcript;
  EXPECT_NE(r.transcript.find("wrong passphrase (as entered)"), std::string::npos) << r.transcript;
  EXPECT_EQ(r.transcript.find("not it"), std::string::npos) << "echoed: " << r.transcript;
  EXPECT_FALSE(fs::exists(at("ch.json")));
}

TEST_F(cli_keys, interrupting_the_prompt_ends_the_command_and_restores_echo) {
  secret_file("pw", std::string(passphrase) + "\n");
  ASSERT_EQ(run_suanli("keygen --out " + q("k") + " --passphrase-file " + q("pw")).exit_code, 0);
  // The shell survives the Ctrl-C (trap), reports suanli's status, then prints the terminal's
  // settings: echo must be back on.
  const std::string script =
      "trap : INT; '" + std::string(SUANLI_BIN) + "' challenge issue --scope provider=acme --out " +
      q("ch.json") + " --key " + q("k.key") + " --key-passphrase-prompt; echo status=$?; stty -a";
  const auto r = run_on_pty({"/bin/sh", "-c", script}, {"half typed\x03"});
  EXPECT_EQ(r.exit_code, 0) << r.transcript;
  EXPECT_NE(r.transcript.find("status=130"), std::string::npos) << r.transcript;
  EXPECT_NE(r.transcript.find(" echo "), std::string::npos) << r.transcript;
  EXPECT_EQ(r.transcript.find("-echo "), std::string::npos) << "echo left off: " << r.transcript;
  EXPECT_FALSE(fs::exists(at("ch.json")));
}

TEST_F(cli_keys, keygen_prompt_asks_twice_and_refuses_a_mismatch) {
  const std::vector<std::string> keygen = {SUANLI_BIN, "keygen", "--out", at("k").string(),
                                           "--passphrase-prompt"};
  auto r = run_on_pty(keygen, {passphrase, "something else"});
  EXPECT_EQ(r.exit_code, 2) << r.transcript;
  EXPECT_NE(r.transcript.find("the two passphrases differ; nothing was written"), std::string::npos)
      << r.transcript;
  EXPECT_FALSE(fs::exists(at("k.key")));
  EXPECT_FALSE(fs::exists(at("k.pub")));

  r = run_on_pty(keygen, {passphrase, passphrase});
  ASSERT_EQ(r.exit_code, 0) << r.transcript;
  EXPECT_NE(r.transcript.find("Same passphrase again: "), std::string::npos) << r.transcript;
  EXPECT_EQ(r.transcript.find(passphrase), std::string::npos) << "echoed: " << r.transcript;
  secret_file("pw", std::string(passphrase) + "\n");
  const auto c =
      run_suanli(issue_challenge("--key " + q("k.key") + " --key-passphrase-file " + q("pw")));
  EXPECT_EQ(c.exit_code, 0) << c.err;
}

} // namespace
} // namespace suanli::test
