// Key hygiene: no failure path (bad mode, symlink, wrong passphrase, damaged key, a private key
// given as a public one) and no success path puts private key material or the passphrase on
// stdout, stderr or into any file suanli writes.
#include "cli_keys_support.hpp"

#include <gtest/gtest.h>

#include <fstream>
#include <vector>

namespace suanli::test {
namespace {

namespace fs = std::filesystem;

constexpr const char *passphrase = "leak-canary-passphrase-7f3a";

/// The base64 body lines of a PEM file, and a fragment from the middle of each.
std::vector<std::string> pem_secrets(const std::string &pem) {
  std::vector<std::string> out;
  std::size_t pos = 0;
  while (pos < pem.size()) {
    const std::size_t eol = std::min(pem.find('\n', pos), pem.size());
    const std::string line = pem.substr(pos, eol - pos);
    if (!line.empty() && line.rfind("-----", 0) != 0) {
      out.push_back(line);
      if (line.size() >= 44) {
        out.push_back(line.substr(24, 20)); // past the fixed PKCS#8 header: key bytes
      }
    }
    pos = eol + 1;
  }
  return out;
}

class cli_key_leak : public key_fixture {
protected:
  void SetUp() override {
    key_fixture::SetUp();
    secret_file("pw", std::string(passphrase) + "\n");
    ASSERT_EQ(run_suanli("keygen --out " + q("enc") + " --passphrase-file " + q("pw")).exit_code,
              0);
    ASSERT_EQ(run_suanli("keygen --out " + q("plain")).exit_code, 0);
    secrets_ = pem_secrets(slurp(at("enc.key")));
    for (const auto &s : pem_secrets(slurp(at("plain.key")))) {
      secrets_.push_back(s);
    }
    if (have_openssl()) { // the decrypted form of the encrypted key, too
      ASSERT_EQ(shell("openssl pkey -in " + q("enc.key") + " -passin file:" + q("pw") + " -out " +
                      q("dec.pem")),
                0);
      for (const auto &s : pem_secrets(slurp(at("dec.pem")))) {
        secrets_.push_back(s);
      }
      fs::remove(at("dec.pem"));
    }
    secrets_.emplace_back(passphrase);
    inputs_ = {"pw", "enc.key", "enc.pub", "plain.key", "plain.pub"};
  }

  /// Asserts that `text` (named `where`) holds no secret.
  void expect_clean(const std::string &text, const std::string &where) const {
    for (const auto &s : secrets_) {
      EXPECT_EQ(text.find(s), std::string::npos) << where << " holds \"" << s << "\":\n" << text;
    }
  }

  /// Runs `args`, expects `code`, and checks its output and every file it wrote.
  void run_clean(const std::string &args, int code) {
    const auto r = run_suanli(args);
    EXPECT_EQ(r.exit_code, code) << args << "\n" << r.out << r.err;
    expect_clean(r.out, "stdout of " + args);
    expect_clean(r.err, "stderr of " + args);
    for (const auto &entry : fs::recursive_directory_iterator(dir_)) {
      const std::string name = entry.path().filename().string();
      if (entry.is_regular_file() &&
          std::find(inputs_.begin(), inputs_.end(), name) == inputs_.end()) {
        expect_clean(slurp(entry.path()), "file " + name + " written by " + args);
      }
    }
  }

  /// A copy of `from` named `to` with mode `mode` (an input of the test, not scanned).
  void copy_input(const std::string &from, const std::string &to, mode_t mode) {
    fs::copy_file(at(from), at(to));
    ASSERT_EQ(::chmod(at(to).c_str(), mode), 0);
    inputs_.push_back(to);
  }

  std::vector<std::string> secrets_;
  std::vector<std::string> inputs_;
};

TEST_F(cli_key_leak, failing_key_paths_never_show_the_key_or_the_passphrase) {
  copy_input("enc.key", "open.key", 0644);
  copy_input("plain.key", "open_plain.key", 0640);
  fs::create_symlink(at("enc.key"), at("link.key"));
  inputs_.emplace_back("link.key");
  std::string damaged = slurp(at("enc.key"));
  damaged[damaged.find('\n') + 30] = damaged[damaged.find('\n') + 30] == 'A' ? 'B' : 'A';
  secret_file("damaged.key", damaged);
  std::string damaged_plain = slurp(at("plain.key"));
  damaged_plain.erase(damaged_plain.find('\n') + 20, 8);
  secret_file("damaged_plain.key", damaged_plain);
  secret_file("bad_pw", "wrong\n");
  secret_file("open_pw", std::string(passphrase) + "\n", 0644);
  inputs_.insert(inputs_.end(), {"damaged.key", "damaged_plain.key", "bad_pw", "open_pw"});

  const std::string pass = " --key-passphrase-file " + q("pw");
  const std::vector<std::string> key_options = {
      "--key " + q("open.key") + pass, // bad mode, encrypted
      "--key " + q("open_plain.key"),  // bad mode, plain
      "--key " + q("link.key") + pass, // symbolic link
      "--key " + q("enc.key"),         // encrypted, no passphrase option
      "--key " + q("enc.key") + " --key-passphrase-file " + q("bad_pw"),    // wrong passphrase
      "--key " + q("enc.key") + " --key-passphrase-file " + q("open_pw"),   // readable passphrase
      "--key " + q("enc.key") + " --key-passphrase-file " + q("plain.key"), // a key as passphrase
      "--key " + q("damaged.key") + pass,                                   // damaged, encrypted
      "--key " + q("damaged_plain.key"),                                    // damaged, plain
      "--key " + q("plain.pub"), // a public key as private
  };
  for (const auto &k : key_options) {
    run_clean(run_tiny(k), 2);
    run_clean(issue_challenge(k), 2);
  }
  EXPECT_FALSE(fs::exists(at("r.json")));
  EXPECT_FALSE(fs::exists(at("ch.json")));
}

TEST_F(cli_key_leak, signed_outputs_hold_no_key_material) {
  const std::string pass = " --key-passphrase-file " + q("pw");
  run_clean(run_tiny("--key " + q("enc.key") + pass), 0);
  run_clean(issue_challenge("--key " + q("enc.key") + pass), 0);
  run_clean("render " + q("r.json") + " --html " + q("r.html") + " --md " + q("r.md") + " --csv " +
                q("r.csv"),
            0);
  EXPECT_TRUE(fs::exists(at("r.json")));
  EXPECT_TRUE(fs::exists(at("ch.json")));
  EXPECT_TRUE(fs::exists(at("r.html")));
  // Private keys given where public keys are expected.
  run_clean("verify " + q("r.json") + " --pubkey " + q("enc.key"), 2);
  run_clean("verify " + q("r.json") + " --pubkey " + q("plain.key"), 2);
  run_clean("challenge show " + q("ch.json") + " --platform-key " + q("plain.key"), 2);
}

} // namespace
} // namespace suanli::test
