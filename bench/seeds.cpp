#include <bench/seeds.hpp>

#include <bench/error.hpp>
#include <bench/sha256.hpp>

#include <openssl/rand.h>

#include <algorithm>
#include <array>
#include <cctype>

namespace suanli::bench {

uint64_t derive_seed(std::string_view nonce_hex, std::string_view case_name,
                     std::string_view tensor) {
  std::string nonce(nonce_hex);
  std::transform(nonce.begin(), nonce.end(), nonce.begin(),
                 [](unsigned char ch) { return static_cast<char>(std::tolower(ch)); });
  std::string message = "suanli.seed.v1";
  for (const std::string_view part : {std::string_view(nonce), case_name, tensor}) {
    message.push_back('\0');
    message.append(part);
  }
  const std::string hex = sha256_hex(message);
  uint64_t seed = 0;
  for (int byte = 7; byte >= 0; --byte) { // bytes 0..7, little-endian
    const auto pos = static_cast<size_t>(2 * byte);
    seed = (seed << 8) | std::stoull(hex.substr(pos, 2), nullptr, 16);
  }
  return seed;
}

std::string random_nonce() {
  std::array<unsigned char, 32> bytes{};
  if (RAND_bytes(bytes.data(), static_cast<int>(bytes.size())) != 1) {
    fail_environment("OpenSSL RAND_bytes failed: no nonce could be drawn");
  }
  static constexpr char digits[] = "0123456789abcdef";
  std::string out;
  for (const unsigned char b : bytes) {
    out.push_back(digits[b >> 4]);
    out.push_back(digits[b & 15]);
  }
  return out;
}

uint64_t random_seed() {
  uint64_t seed = 0;
  if (RAND_bytes(reinterpret_cast<unsigned char *>(&seed), sizeof seed) != 1) {
    fail_environment("OpenSSL RAND_bytes failed: no verification seed could be drawn");
  }
  return seed;
}

std::string nonce_problem(std::string_view nonce_hex) {
  if (nonce_hex.size() < 16 || nonce_hex.size() > 128) {
    return "has " + std::to_string(nonce_hex.size()) +
           " characters; expected 16 to 128 hexadecimal digits";
  }
  for (const char c : nonce_hex) {
    if (std::isxdigit(static_cast<unsigned char>(c)) == 0) {
      return std::string("contains '") + c + "'; expected hexadecimal digits only";
    }
  }
  return {};
}

} // namespace suanli::bench
