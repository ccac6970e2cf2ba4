#include <reports/keys.hpp>

#include <reports/atomic_file.hpp>
#include <reports/passphrase.hpp>
#include <reports/secret.hpp>

#include <bench/error.hpp>
#include <bench/sha256.hpp>

#include <openssl/bio.h>
#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include <sys/stat.h>

#include <cstring>

namespace suanli::reports {
namespace {

namespace fs = std::filesystem;

constexpr std::size_t ed25519_signature_bytes = 64;

using bio_ptr = std::unique_ptr<BIO, decltype(&BIO_free)>;
using md_ctx_ptr = std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)>;

/// Refuses any passphrase prompt: OpenSSL never reads a terminal on suanli's behalf.
int no_passphrase(char * /*buf*/, int /*size*/, int /*rwflag*/, void * /*u*/) {
  return -1;
}

/// Hands OpenSSL the passphrase held by the secret_string `u`.
int give_passphrase(char *buf, int size, int /*rwflag*/, void *u) {
  const auto &pass = static_cast<const secret_string *>(u)->bytes;
  if (size < 0 || pass.size() > static_cast<std::size_t>(size)) {
    return -1;
  }
  std::memcpy(buf, pass.data(), pass.size());
  return static_cast<int>(pass.size());
}

constexpr std::string_view encrypted_label = "-----BEGIN ENCRYPTED PRIVATE KEY-----";

bio_ptr memory_bio(std::string_view bytes) {
  bio_ptr bio(BIO_new_mem_buf(bytes.data(), static_cast<int>(bytes.size())), &BIO_free);
  if (!bio) {
    bench::fail_environment("OpenSSL: cannot allocate a memory buffer");
  }
  return bio;
}

/// Contents of a memory BIO written by PEM_write_*.
void drain(BIO *bio, std::string &out) {
  char *data = nullptr;
  const long size = BIO_get_mem_data(bio, &data);
  out.assign(data, static_cast<std::size_t>(size));
}

std::string spki_der(evp_pkey_st *key) {
  unsigned char *der = nullptr;
  const int size = i2d_PUBKEY(key, &der);
  if (size <= 0) {
    ERR_clear_error();
    bench::fail_environment("OpenSSL: cannot encode a public key");
  }
  std::string out(reinterpret_cast<const char *>(der), static_cast<std::size_t>(size));
  OPENSSL_free(der);
  return out;
}

bool is_ed25519(evp_pkey_st *key) {
  return EVP_PKEY_get_id(key) == EVP_PKEY_ED25519;
}

/// The public half of a key, as a key object of its own.
evp_pkey_ptr public_half(evp_pkey_st *key) {
  const std::string der = spki_der(key);
  const auto *p = reinterpret_cast<const unsigned char *>(der.data());
  evp_pkey_ptr pub(d2i_PUBKEY(nullptr, &p, static_cast<long>(der.size())));
  if (!pub) {
    ERR_clear_error();
    bench::fail_environment("OpenSSL: cannot decode a public key");
  }
  return pub;
}

[[noreturn]] void fail_private(const fs::path &path, const std::string &what) {
  bench::fail_input("private key " + path.string() + " " + what);
}

void check_absent(const fs::path &path) {
  struct stat st {};
  if (::lstat(path.c_str(), &st) == 0) {
    bench::fail_input("refusing to overwrite existing file " + path.string() +
                      "; remove it or choose another name");
  }
}

} // namespace

void evp_pkey_deleter::operator()(evp_pkey_st *key) const noexcept {
  EVP_PKEY_free(key);
}

public_key::public_key(evp_pkey_ptr key, std::string source) : source_(std::move(source)) {
  if (!key || !is_ed25519(key.get())) {
    bench::fail_input("public key " + source_ + " is not an Ed25519 key");
  }
  keyid_ = bench::sha256_hex(spki_der(key.get()));
  key_ = std::shared_ptr<evp_pkey_st>(key.release(), evp_pkey_deleter{});
}

std::string public_key::pem() const {
  bio_ptr bio(BIO_new(BIO_s_mem()), &BIO_free);
  if (!bio || PEM_write_bio_PUBKEY(bio.get(), key_.get()) != 1) {
    ERR_clear_error();
    bench::fail_environment("OpenSSL: cannot encode public key " + source_);
  }
  std::string out;
  drain(bio.get(), out);
  return out;
}

bool public_key::verify(std::string_view message, std::string_view signature) const {
  if (signature.size() != ed25519_signature_bytes) {
    return false;
  }
  md_ctx_ptr ctx(EVP_MD_CTX_new(), &EVP_MD_CTX_free);
  if (!ctx || EVP_DigestVerifyInit(ctx.get(), nullptr, nullptr, nullptr, key_.get()) != 1) {
    ERR_clear_error();
    bench::fail_environment("OpenSSL: cannot start an Ed25519 verification");
  }
  const int rc = EVP_DigestVerify(
      ctx.get(), reinterpret_cast<const unsigned char *>(signature.data()), signature.size(),
      reinterpret_cast<const unsigned char *>(message.data()), message.size());
  ERR_clear_error();
  return rc == 1;
}

private_key::private_key(evp_pkey_ptr key, std::string source)
    : key_(std::move(key)),
      public_(key_ && is_ed25519(key_.get()) ? public_half(key_.get()) : evp_pkey_ptr{}, source),
      source_(std::move(source)) {}

std::string private_key::sign(std::string_view message) const {
  md_ctx_ptr ctx(EVP_MD_CTX_new(), &EVP_MD_CTX_free);
  std::string sig(ed25519_signature_bytes, '\0');
  std::size_t sig_size = sig.size();
  if (!ctx || EVP_DigestSignInit(ctx.get(), nullptr, nullptr, nullptr, key_.get()) != 1 ||
      EVP_DigestSign(ctx.get(), reinterpret_cast<unsigned char *>(sig.data()), &sig_size,
                     reinterpret_cast<const unsigned char *>(message.data()),
                     message.size()) != 1 ||
      sig_size != ed25519_signature_bytes) {
    ERR_clear_error();
    bench::fail_environment("OpenSSL: Ed25519 signing with key " + source_ + " failed");
  }
  return sig;
}

keypair_files generate_keypair(const fs::path &out_base, const passphrase_source &passphrase) {
  keypair_files files{
      fs::path(out_base.string() + ".key"), fs::path(out_base.string() + ".pub"), {}, false};
  check_absent(files.private_key_path);
  check_absent(files.public_key_path);
  secret_string pass;
  if (passphrase.given()) {
    obtain_new_passphrase(passphrase, files.private_key_path.string(), pass);
    files.encrypted = true;
  }

  evp_pkey_ptr key(EVP_PKEY_Q_keygen(nullptr, nullptr, "ED25519"));
  if (!key) {
    ERR_clear_error();
    bench::fail_environment("OpenSSL: cannot generate an Ed25519 key");
  }
  secret_string private_pem;
  {
    bio_ptr bio(BIO_new(BIO_s_mem()), &BIO_free);
    const int ok =
        !bio ? 0
        : files.encrypted
            ? PEM_write_bio_PKCS8PrivateKey(bio.get(), key.get(), EVP_aes_256_cbc(),
                                            pass.bytes.data(), static_cast<int>(pass.bytes.size()),
                                            nullptr, nullptr)
            : PEM_write_bio_PrivateKey(bio.get(), key.get(), nullptr, nullptr, 0, nullptr, nullptr);
    if (ok != 1) {
      ERR_clear_error();
      bench::fail_environment("OpenSSL: cannot encode the new private key");
    }
    drain(bio.get(), private_pem.bytes);
  }
  pass.wipe();
  const private_key priv(std::move(key), "generated");
  const std::string public_pem = priv.public_part().pem();

  write_file_atomic(files.private_key_path, private_pem.bytes, 0600,
                    overwrite_policy::refuse_existing);
  try {
    write_file_atomic(files.public_key_path, public_pem, 0644, overwrite_policy::refuse_existing);
  } catch (...) {
    std::error_code ignored;
    fs::remove(files.private_key_path, ignored); // no half key pair left behind
    throw;
  }
  files.keyid = priv.keyid();
  return files;
}

private_key load_private_key(const fs::path &path, const passphrase_source &passphrase) {
  secret_string pem;
  read_secret_file(path, "private key", pem);
  const bool encrypted = pem.bytes.find(encrypted_label) != std::string::npos;
  secret_string pass;
  if (encrypted) {
    if (!passphrase.given()) {
      fail_private(path,
                   "is encrypted (PKCS#8); give its passphrase with " + passphrase.options_text());
    }
    obtain_passphrase(passphrase, path.string(), pass);
  }
  const bio_ptr bio = memory_bio(pem.bytes);
  evp_pkey_ptr key(encrypted
                       ? PEM_read_bio_PrivateKey(bio.get(), nullptr, &give_passphrase, &pass)
                       : PEM_read_bio_PrivateKey(bio.get(), nullptr, &no_passphrase, nullptr));
  ERR_clear_error();
  pass.wipe();
  if (encrypted && !key) {
    fail_private(path, "cannot be decrypted: wrong passphrase (" +
                           (passphrase.file.empty() ? std::string("as entered")
                                                    : "from " + passphrase.file) +
                           "), or the file is damaged");
  }
  if (!key || !is_ed25519(key.get())) {
    fail_private(path, "is not a PEM Ed25519 private key (expected PKCS#8, \"-----BEGIN PRIVATE "
                       "KEY-----\", as written by `suanli keygen` or `openssl genpkey -algorithm "
                       "ed25519`)");
  }
  return {std::move(key), path.string()};
}

public_key parse_public_key(std::string_view pem, std::string_view source_name) {
  const bio_ptr bio = memory_bio(pem);
  evp_pkey_ptr key(PEM_read_bio_PUBKEY(bio.get(), nullptr, &no_passphrase, nullptr));
  ERR_clear_error();
  if (!key || !is_ed25519(key.get())) {
    bench::fail_input("public key " + std::string(source_name) +
                      " is not a PEM Ed25519 public key (expected SPKI, \"-----BEGIN PUBLIC "
                      "KEY-----\", as written by `suanli keygen`)");
  }
  return {std::move(key), std::string(source_name)};
}

public_key load_public_key(const fs::path &path) {
  return parse_public_key(read_file(path, "public key"), path.string());
}

} // namespace suanli::reports
