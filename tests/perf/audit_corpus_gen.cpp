// audit_corpus_gen: writes N re-signed copies of one genuine report, each with its own device
// UUIDs and serials (so that `suanli audit` finds no duplicates), for tools/bench/audit_bench.sh.
//
// Usage: audit_corpus_gen REPORT KEY COUNT OUT_DIR   (files OUT_DIR/r00000.json ...)

#include "../audit_corpus.hpp"

#include <reports/keys.hpp>

#include <cstdio>
#include <cstdlib>
#include <exception>
#include <filesystem>
#include <string>

int main(int argc, char **argv) {
  if (argc != 5) {
    std::fprintf(stderr, "usage: audit_corpus_gen REPORT KEY COUNT OUT_DIR\n");
    return 2;
  }
  try {
    const auto genuine = suanli::test::decode_report(argv[1]);
    const auto key = suanli::reports::load_private_key(argv[2]);
    const long count = std::strtol(argv[3], nullptr, 10);
    const std::filesystem::path out(argv[4]);
    std::filesystem::create_directories(out);
    for (long i = 0; i < count; ++i) {
      auto report = genuine;
      char name[32];
      std::snprintf(name, sizeof name, "r%05ld", i);
      suanli::test::set_identities(report, name);
      suanli::test::write_signed(report, key, out / (std::string(name) + ".json"));
    }
  } catch (const std::exception &e) {
    std::fprintf(stderr, "audit_corpus_gen: %s\n", e.what());
    return 2;
  }
  return 0;
}
