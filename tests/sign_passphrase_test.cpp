// Encrypted PKCS#8 keys and passphrase files at the library level (reports/keys, passphrase).
#include "sign_support.hpp"

#include <reports/keys.hpp>
#include <reports/passphrase.hpp>

#include <gtest/gtest.h>

#include <sys/stat.h>

namespace suanli::reports {
namespace {

namespace fs = std::filesystem;
using sign_test::capture_error;
using sign_test::file_mode;
using sign_test::read_text;
using sign_test::scratch_dir;
using sign_test::write_text;

constexpr const char *pass_text = "s3cret passphrase";

/// Writes a passphrase file with mode 0600.
passphrase_source pass_file(const scratch_dir &dir, const std::string &name,
                            const std::string &text) {
  write_text(dir / name, text);
  EXPECT_EQ(::chmod((dir / name).c_str(), 0600), 0);
  return passphrase_source{(dir / name).string()};
}

bool contains(const std::string &text, const std::string &part) {
  return text.find(part) != std::string::npos;
}

TEST(SignPassphrase, EncryptedKeygenRoundTrips) {
  const scratch_dir dir;
  const auto pass = pass_file(dir, "pw", std::string(pass_text) + "\n");
  const keypair_files files = generate_keypair(dir / "k", pass);
  EXPECT_TRUE(files.encrypted);
  EXPECT_EQ(file_mode(files.private_key_path), 0600U);
  const std::string pem = read_text(files.private_key_path);
  EXPECT_EQ(pem.rfind("-----BEGIN ENCRYPTED PRIVATE KEY-----\n", 0), 0U) << pem;
  EXPECT_FALSE(contains(pem, pass_text));
  const private_key key = load_private_key(files.private_key_path, pass);
  EXPECT_EQ(key.keyid(), files.keyid);
  EXPECT_TRUE(key.public_part().verify("m", key.sign("m")));
  // A passphrase source given for a plain key is not needed and not read.
  const keypair_files plain = generate_keypair(dir / "p", passphrase_source{});
  EXPECT_FALSE(plain.encrypted);
  EXPECT_EQ(load_private_key(plain.private_key_path, passphrase_source{"/absent"}).keyid(),
            plain.keyid);
}

TEST(SignPassphrase, EncryptedKeyNeedsTheRightPassphrase) {
  const scratch_dir dir;
  const keypair_files files = generate_keypair(dir / "k", pass_file(dir, "pw", pass_text));
  const std::string path = files.private_key_path.string();

  auto err = capture_error([&] { (void)load_private_key(path); });
  ASSERT_TRUE(err.has_value());
  EXPECT_EQ(err->code(), bench::exit_code::bad_input);
  EXPECT_EQ(std::string(err->what()),
            "private key " + path +
                " is encrypted (PKCS#8); give its passphrase with --key-passphrase-file FILE or "
                "--key-passphrase-prompt");

  const auto wrong = pass_file(dir, "wrong", std::string(pass_text) + "x\n");
  err = capture_error([&] { (void)load_private_key(path, wrong); });
  ASSERT_TRUE(err.has_value());
  EXPECT_EQ(err->code(), bench::exit_code::bad_input);
  EXPECT_EQ(std::string(err->what()), "private key " + path +
                                          " cannot be decrypted: wrong passphrase (from " +
                                          wrong.file + "), or the file is damaged");
  EXPECT_FALSE(contains(err->what(), pass_text));
}

TEST(SignPassphrase, FileGivesItsFirstLineOnly) {
  const scratch_dir dir;
  secret_string out;
  read_passphrase_file(pass_file(dir, "a", "one two \nline two\n").file, out);
  EXPECT_EQ(out.bytes, "one two ");
  read_passphrase_file(pass_file(dir, "b", "no newline").file, out);
  EXPECT_EQ(out.bytes, "no newline");
  read_passphrase_file(pass_file(dir, "c", "crlf\r\n").file, out);
  EXPECT_EQ(out.bytes, "crlf\r") << "as `openssl -passin file:` reads it";
}

TEST(SignPassphrase, BadPassphraseFilesAreRefused) {
  const scratch_dir dir;
  secret_string out;
  const auto refuse = [&](const std::string &path, const std::string &why) {
    const auto err = capture_error([&] { read_passphrase_file(path, out); });
    ASSERT_TRUE(err.has_value()) << path;
    EXPECT_EQ(err->code(), bench::exit_code::bad_input);
    EXPECT_TRUE(contains(err->what(), why)) << err->what();
    EXPECT_FALSE(contains(err->what(), pass_text)) << err->what();
  };
  refuse(pass_file(dir, "empty", "").file, "is empty");
  refuse(pass_file(dir, "blank", "\n" + std::string(pass_text)).file, "is empty");
  refuse(pass_file(dir, "long", std::string(max_passphrase_bytes + 1, 'x')).file,
         "is longer than 1023 bytes");
  const auto open = pass_file(dir, "open", pass_text);
  ASSERT_EQ(::chmod(open.file.c_str(), 0604), 0);
  refuse(open.file, "passphrase file " + open.file +
                        " has mode 0604; it must not be readable by group or others (chmod 600 " +
                        open.file + ")");
  fs::create_symlink(dir / "empty", dir / "link");
  refuse((dir / "link").string(), "is a symbolic link");
  refuse((dir / "absent").string(), "cannot read passphrase file");
  fs::create_directory(dir / "folder");
  ASSERT_EQ(::chmod((dir / "folder").c_str(), 0700), 0);
  refuse((dir / "folder").string(), "is not a regular file");
}

TEST(SignPassphrase, SecretStringWipesItsWholeBuffer) {
  secret_string s;
  s.bytes.reserve(64);
  s.bytes = "abcdef";
  const char *data = s.bytes.data();
  s.wipe();
  EXPECT_TRUE(s.bytes.empty());
  EXPECT_EQ(s.bytes.data(), data) << "wiped in place";
  for (std::size_t i = 0; i < 6; ++i) {
    EXPECT_EQ(data[i], '\0');
  }
}

} // namespace
} // namespace suanli::reports
