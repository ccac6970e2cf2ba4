#include "sign_support.hpp"

#include <reports/keys.hpp>

#include <bench/sha256.hpp>

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

bool contains(const std::string &text, const std::string &part) {
  return text.find(part) != std::string::npos;
}

TEST(SignKeys, KeygenWritesPrivate0600AndPublic0644) {
  const scratch_dir dir;
  const keypair_files files = generate_keypair(dir / "provider");
  EXPECT_EQ(files.private_key_path, dir / "provider.key");
  EXPECT_EQ(files.public_key_path, dir / "provider.pub");
  EXPECT_EQ(file_mode(files.private_key_path), 0600U);
  EXPECT_EQ(file_mode(files.public_key_path), 0644U);
  EXPECT_TRUE(contains(read_text(files.private_key_path), "-----BEGIN PRIVATE KEY-----"));
  EXPECT_TRUE(contains(read_text(files.public_key_path), "-----BEGIN PUBLIC KEY-----"));
  ASSERT_EQ(files.keyid.size(), 64U);
  EXPECT_EQ(files.keyid.find_first_not_of("0123456789abcdef"), std::string::npos);

  const private_key priv = load_private_key(files.private_key_path);
  const public_key pub = load_public_key(files.public_key_path);
  EXPECT_EQ(priv.keyid(), files.keyid);
  EXPECT_EQ(pub.keyid(), files.keyid);
  EXPECT_EQ(pub.pem(), read_text(files.public_key_path));
  EXPECT_EQ(priv.source(), files.private_key_path.string());
}

TEST(SignKeys, TwoKeysDiffer) {
  const scratch_dir dir;
  EXPECT_NE(generate_keypair(dir / "a").keyid, generate_keypair(dir / "b").keyid);
}

TEST(SignKeys, SignatureVerifiesOnlyForItsMessageAndKey) {
  const scratch_dir dir;
  const private_key a = load_private_key(generate_keypair(dir / "a").private_key_path);
  const public_key b = load_public_key(generate_keypair(dir / "b").public_key_path);
  const std::string sig = a.sign("message");
  ASSERT_EQ(sig.size(), 64U);
  EXPECT_TRUE(a.public_part().verify("message", sig));
  EXPECT_FALSE(a.public_part().verify("messagf", sig));
  EXPECT_FALSE(a.public_part().verify("message", sig.substr(0, 63)));
  EXPECT_FALSE(b.verify("message", sig));
}

TEST(SignKeys, KeygenRefusesToOverwrite) {
  const scratch_dir dir;
  const keypair_files first = generate_keypair(dir / "k");
  const std::string key_before = read_text(first.private_key_path);
  auto err = capture_error([&] { (void)generate_keypair(dir / "k"); });
  ASSERT_TRUE(err.has_value());
  EXPECT_EQ(err->code(), bench::exit_code::bad_input);
  EXPECT_TRUE(contains(err->what(), first.private_key_path.string())) << err->what();
  EXPECT_EQ(read_text(first.private_key_path), key_before);

  // Only the .pub exists: still refused, and no .key is left behind.
  write_text(dir / "p.pub", "unrelated");
  err = capture_error([&] { (void)generate_keypair(dir / "p"); });
  ASSERT_TRUE(err.has_value());
  EXPECT_EQ(err->code(), bench::exit_code::bad_input);
  EXPECT_TRUE(contains(err->what(), (dir / "p.pub").string())) << err->what();
  EXPECT_FALSE(fs::exists(dir / "p.key"));
  EXPECT_EQ(read_text(dir / "p.pub"), "unrelated");
}

TEST(SignKeys, KeyReadableByOthersIsRefusedWithChmodHint) {
  const scratch_dir dir;
  const keypair_files files = generate_keypair(dir / "k");
  const std::string path = files.private_key_path.string();
  for (const mode_t mode : {0644, 0640, 0604, 0620, 0601}) {
    ASSERT_EQ(::chmod(path.c_str(), mode), 0);
    const auto err = capture_error([&] { (void)load_private_key(path); });
    ASSERT_TRUE(err.has_value()) << std::oct << mode;
    EXPECT_EQ(err->code(), bench::exit_code::bad_input);
    if (mode == 0644) {
      EXPECT_EQ(std::string(err->what()),
                "private key " + path +
                    " has mode 0644; it must not be readable by group or others (chmod 600 " +
                    path + ")");
    }
  }
  ASSERT_EQ(::chmod(path.c_str(), 0400), 0);
  EXPECT_EQ(load_private_key(path).keyid(), files.keyid);
}

TEST(SignKeys, MissingKeyIsRefused) {
  const scratch_dir dir;
  const auto path = dir / "absent.key";
  auto err = capture_error([&] { (void)load_private_key(path); });
  ASSERT_TRUE(err.has_value());
  EXPECT_EQ(err->code(), bench::exit_code::bad_input);
  EXPECT_EQ(std::string(err->what()),
            "cannot read private key " + path.string() + ": No such file or directory");
  err = capture_error([&] { (void)load_public_key(dir / "absent.pub"); });
  ASSERT_TRUE(err.has_value());
  EXPECT_EQ(err->code(), bench::exit_code::bad_input);
  EXPECT_TRUE(contains(err->what(), (dir / "absent.pub").string()));
}

TEST(SignKeys, SymlinkToKeyIsRefused) {
  const scratch_dir dir;
  const keypair_files files = generate_keypair(dir / "k");
  fs::create_symlink(files.private_key_path, dir / "link.key");
  const auto err = capture_error([&] { (void)load_private_key(dir / "link.key"); });
  ASSERT_TRUE(err.has_value());
  EXPECT_EQ(err->code(), bench::exit_code::bad_input);
  EXPECT_TRUE(contains(err->what(), "is a symbolic link; give the path of the file itself"))
      << err->what();
}

TEST(SignKeys, NonKeyFilesAreRefusedWithoutEchoingTheirContent) {
  const scratch_dir dir;
  const keypair_files files = generate_keypair(dir / "k");
  std::string pem = read_text(files.private_key_path);
  const std::string secret_part = pem.substr(pem.find('\n') + 1 + 24, 36); // seed bytes
  // A damaged key, a public key given as private, and plain text.
  std::string damaged = pem;
  damaged[damaged.find('\n') + 10] = damaged[damaged.find('\n') + 10] == 'A' ? 'B' : 'A';
  damaged.erase(damaged.find('\n') + 20, 8);
  const std::vector<std::string> contents = {damaged, read_text(files.public_key_path),
                                             "not a key\n", ""};
  for (std::size_t i = 0; i < contents.size(); ++i) {
    const auto path = dir / ("bad" + std::to_string(i) + ".key");
    write_text(path, contents[i]);
    ASSERT_EQ(::chmod(path.c_str(), 0600), 0);
    const auto err = capture_error([&] { (void)load_private_key(path); });
    ASSERT_TRUE(err.has_value()) << i;
    EXPECT_EQ(err->code(), bench::exit_code::bad_input);
    EXPECT_TRUE(contains(err->what(), path.string())) << err->what();
    EXPECT_TRUE(contains(err->what(), "not a PEM Ed25519 private key")) << err->what();
    EXPECT_FALSE(contains(err->what(), secret_part)) << err->what();
  }
  // A private key given where a public key is expected.
  const auto err = capture_error([&] { (void)load_public_key(files.private_key_path); });
  ASSERT_TRUE(err.has_value());
  EXPECT_EQ(err->code(), bench::exit_code::bad_input);
  EXPECT_TRUE(contains(err->what(), "not a PEM Ed25519 public key")) << err->what();
  EXPECT_FALSE(contains(err->what(), secret_part)) << err->what();
}

TEST(SignKeys, KeyidIsSha256OfTheSpkiDer) {
  // RFC 8410 section 10.1 public key; SPKI DER = 302a300506032b6570032100 || key.
  const std::string pem = "-----BEGIN PUBLIC KEY-----\n"
                          "MCowBQYDK2VwAyEAGb9ECWmEzf6FQbrBZ9w7lshQhqowtrbLDFw4rXAxZuE=\n"
                          "-----END PUBLIC KEY-----\n";
  const public_key key = parse_public_key(pem, "rfc8410");
  const unsigned char der[] = {0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x21,
                               0x00, 0x19, 0xbf, 0x44, 0x09, 0x69, 0x84, 0xcd, 0xfe, 0x85, 0x41,
                               0xba, 0xc1, 0x67, 0xdc, 0x3b, 0x96, 0xc8, 0x50, 0x86, 0xaa, 0x30,
                               0xb6, 0xb6, 0xcb, 0x0c, 0x5c, 0x38, 0xad, 0x70, 0x31, 0x66, 0xe1};
  EXPECT_EQ(key.keyid(),
            bench::sha256_hex(std::string_view(reinterpret_cast<const char *>(der), sizeof der)));
  EXPECT_EQ(key.pem(), pem);
}

} // namespace
} // namespace suanli::reports
