#pragma once

#include <reports/passphrase.hpp>

#include <filesystem>
#include <memory>
#include <string>
#include <string_view>

struct evp_pkey_st; // OpenSSL's EVP_PKEY; OpenSSL headers stay out of this header

namespace suanli::reports {

/// Frees an OpenSSL EVP_PKEY.
struct evp_pkey_deleter {
  /// EVP_PKEY_free.
  void operator()(evp_pkey_st *key) const noexcept;
};

/// Owning handle of an OpenSSL EVP_PKEY.
using evp_pkey_ptr = std::unique_ptr<evp_pkey_st, evp_pkey_deleter>;

/// An Ed25519 public key (SPKI, RFC 8410).
class public_key {
public:
  /// Takes ownership of an Ed25519 key; `source` names where it came from (for messages).
  public_key(evp_pkey_ptr key, std::string source);
  /// Lower-case hex SHA-256 of the SPKI DER encoding: the DSSE keyid.
  [[nodiscard]] const std::string &keyid() const noexcept { return keyid_; }
  /// Where the key came from: a file path, or "generated".
  [[nodiscard]] const std::string &source() const noexcept { return source_; }
  /// The key as SPKI PEM ("-----BEGIN PUBLIC KEY-----").
  [[nodiscard]] std::string pem() const;
  /// True iff `signature` (64 bytes) is a valid Ed25519 (PureEdDSA) signature of `message`.
  [[nodiscard]] bool verify(std::string_view message, std::string_view signature) const;

private:
  std::shared_ptr<evp_pkey_st> key_; // shared: copies of a public key are cheap and harmless
  std::string keyid_;
  std::string source_;
};

/// An Ed25519 private key. Move-only; its material never appears in any message.
class private_key {
public:
  /// Takes ownership of an Ed25519 key; `source` names where it came from (for messages).
  private_key(evp_pkey_ptr key, std::string source);
  /// The keyid of the matching public key.
  [[nodiscard]] const std::string &keyid() const noexcept { return public_.keyid(); }
  /// Where the key came from: a file path, or "generated".
  [[nodiscard]] const std::string &source() const noexcept { return source_; }
  /// The matching public key.
  [[nodiscard]] const public_key &public_part() const noexcept { return public_; }
  /// Ed25519 (PureEdDSA, one-shot) signature of `message`: 64 raw bytes.
  /// Throws bench::error (exit 3) if OpenSSL fails.
  [[nodiscard]] std::string sign(std::string_view message) const;

private:
  evp_pkey_ptr key_;
  public_key public_;
  std::string source_;
};

/// The two files generate_keypair wrote.
struct keypair_files {
  std::filesystem::path private_key_path; ///< <out_base>.key, PKCS#8 PEM, mode 0600
  std::filesystem::path public_key_path;  ///< <out_base>.pub, SPKI PEM, mode 0644
  std::string keyid;                      ///< keyid of the new key
  bool encrypted = false;                 ///< the .key is encrypted PKCS#8 (AES-256-CBC)
};

/// Generates an Ed25519 key pair and writes <out_base>.key (PKCS#8 private PEM, 0600) and
/// <out_base>.pub (SPKI public PEM, 0644), each atomically. With a `passphrase` source, the
/// .key is encrypted PKCS#8 (AES-256-CBC, PBKDF2), readable by `openssl pkey -passin`; the
/// prompt asks twice. Refuses (exit 2) when either file exists (before asking for anything) and
/// on passphrase errors; I/O failures exit 3, and leave neither file behind.
keypair_files generate_keypair(const std::filesystem::path &out_base,
                               const passphrase_source &passphrase = {});

/// Loads a PKCS#8 PEM Ed25519 private key, plain or encrypted. Refuses (exit 2): a missing or
/// unreadable file, a symbolic link, a file readable or writable by group or others (with a chmod
/// hint), an encrypted key without a `passphrase` source (naming the options to use), a wrong
/// passphrase, and anything that is not such a key. The passphrase is obtained only when the key
/// is encrypted. No message holds key material or the passphrase.
[[nodiscard]] private_key load_private_key(const std::filesystem::path &path,
                                           const passphrase_source &passphrase = {});

/// Loads an SPKI PEM Ed25519 public key; errors exit 2 and name the path.
[[nodiscard]] public_key load_public_key(const std::filesystem::path &path);

/// Parses SPKI PEM Ed25519 public key text; `source_name` names it in messages (exit 2).
[[nodiscard]] public_key parse_public_key(std::string_view pem, std::string_view source_name);

} // namespace suanli::reports
