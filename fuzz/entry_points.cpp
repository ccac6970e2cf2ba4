#include "entry_points.hpp"

#include <audit/auditor.hpp>
#include <bench/error.hpp>
#include <bench/suite.hpp>
#include <certify/challenge.hpp>
#include <certify/claims.hpp>
#include <devices/database.hpp>
#include <devices/match.hpp>
#include <kernels/host/plugin_backend.hpp>
#include <reports/keys.hpp>
#include <reports/passphrase.hpp>
#include <reports/report.hpp>
#include <reports/statement.hpp>
#include <tools/suanli/device_database.hpp>
#include <tools/suanli/report_file.hpp>

#include <dlfcn.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>

namespace suanli::fuzz {
namespace {

namespace fs = std::filesystem;

// A private folder for the files the file-reading entry points need; removed at exit.
const fs::path &scratch_dir() {
  static const fs::path dir = [] {
    std::string pattern = (fs::temp_directory_path() / "suanli-fuzz-XXXXXX").string();
    if (::mkdtemp(pattern.data()) == nullptr) {
      throw std::runtime_error("fuzz: cannot create a scratch folder in " + pattern);
    }
    static const std::string keep = pattern;
    std::atexit([] {
      std::error_code ec;
      fs::remove_all(keep, ec);
    });
    return fs::path(pattern);
  }();
  return dir;
}

// Writes the input to scratch_dir()/name, mode 0600, and returns the path.
std::string scratch_file(const char *name, const uint8_t *data, size_t size) {
  const std::string path = (scratch_dir() / name).string();
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0) {
    throw std::runtime_error("fuzz: cannot write " + path);
  }
  size_t done = 0;
  while (done < size) {
    const ssize_t n = ::write(fd, data + done, size - done);
    if (n <= 0) {
      ::close(fd);
      throw std::runtime_error("fuzz: cannot write " + path);
    }
    done += static_cast<size_t>(n);
  }
  ::fchmod(fd, 0600);
  ::close(fd);
  return path;
}

fs::path source_dir() {
  return SUANLI_FUZZ_SOURCE_DIR;
}

const devices::database &shipped_database() {
  static const devices::database db = devices::load(source_dir() / "suites" / "devices");
  return db;
}

const reports::public_key &fuzz_key() {
  static const reports::public_key key =
      reports::load_public_key(source_dir() / "fuzz" / "keys" / "fuzz.pub");
  return key;
}

const reports::public_key &platform_key() {
  static const reports::public_key key =
      reports::load_public_key(source_dir() / "fuzz" / "keys" / "platform.pub");
  return key;
}

const audit::audit_options &audit_setup() {
  static const audit::audit_options options = [] {
    audit::audit_options o;
    o.trusted.push_back(fuzz_key());
    o.platform = platform_key();
    o.database = std::make_shared<const devices::database>(shipped_database());
    ::setenv("SUANLI_SUITE_PATH", (source_dir() / "suites").c_str(), 0);
    audit::add_shipped_suites(o);
    return o;
  }();
  return options;
}

// Runs `body`; bad input (bench::error) is the expected outcome for most inputs.
template <class F> int guarded(F &&body) {
  try {
    body();
  } catch (const bench::error &) {
  }
  return 0;
}

} // namespace

int fuzz_suite_toml(const uint8_t *data, size_t size) {
  // The whole schema (parse_suite), then the file path `--suite FILE` takes, whose [suite] name
  // must match the file name "suite".
  guarded([&] {
    (void)bench::parse_suite({reinterpret_cast<const char *>(data), size}, "fuzz.toml");
  });
  return guarded([&] { (void)bench::load_suite_file(scratch_file("suite.toml", data, size)); });
}

int fuzz_claims_toml(const uint8_t *data, size_t size) {
  return guarded([&] {
    const auto c = certify::load_claims(scratch_file("claims.toml", data, size));
    (void)certify::claims_json(c).dump();
    (void)certify::unseen_device_problem(c, {"AMD EPYC", "NVIDIA H100 80GB HBM3"}, "node fuzz");
  });
}

int fuzz_devices_toml(const uint8_t *data, size_t size) {
  return guarded([&] {
    const auto db = devices::load(scratch_file("devices.toml", data, size));
    for (const auto &e : db.entries) {
      (void)db.find(e.id);
      (void)devices::match(db, e.vendor, e.names.empty() ? e.model : e.names.front());
    }
    (void)devices::match(db, "NVIDIA", "NVIDIA H100 80GB HBM3");
    (void)devices::match_pci(db, "10de:2330");
  });
}

int fuzz_report_verify(const uint8_t *data, size_t size) {
  return guarded([&] {
    const auto file = tools::read_report_file(scratch_file("verify.report.json", data, size));
    const auto sig = reports::verify_envelope(file.envelope, fuzz_key());
    if (file.statement.result.ok()) {
      // what `suanli verify` prints of a valid statement
      const auto &p = file.statement.predicate;
      const auto &tot = p.value("totals", nlohmann::json::object());
      (void)p["suite"].value("name", "");
      (void)p.value("created", "");
      (void)tot.value("cases", 0);
    }
    (void)sig;
  });
}

int fuzz_report_audit(const uint8_t *data, size_t size) {
  return guarded([&] {
    const auto &options = audit_setup();
    audit::report_record record;
    const auto findings =
        audit::audit_report(scratch_file("audit.report.json", data, size), options, record);
    // what `suanli audit --json` prints of each finding (tools/suanli/cmd_audit.cpp, to_json)
    nlohmann::json out = nlohmann::json::array();
    for (const auto &f : findings) {
      out.push_back({{"rule", f.rule},
                     {"severity", audit::name(f.level)},
                     {"report", f.report},
                     {"where", f.where},
                     {"message", f.message},
                     {"recorded", f.recorded},
                     {"recomputed", f.recomputed}});
    }
    (void)out.dump(2);
  });
}

int fuzz_challenge(const uint8_t *data, size_t size) {
  return guarded([&] {
    const auto path = scratch_file("challenge.json", data, size);
    const auto f = certify::load_challenge(path);
    (void)certify::time_problem(f.value, certify::unix_now());
    (void)certify::format_utc(f.value.issued_s);
    (void)certify::format_utc(f.value.expires_s);
    const auto a = certify::accept_challenge(path, &platform_key(), f.value.issued_s);
    (void)certify::challenge_report_json(a).dump();
  });
}

int fuzz_pem_key(const uint8_t *data, size_t size) {
  guarded([&] {
    const auto key = reports::load_public_key(scratch_file("key.pub", data, size));
    (void)key.pem();
    (void)key.verify("message", std::string(64, '\0'));
  });
  guarded([&] {
    const auto key = reports::load_private_key(scratch_file("key.key", data, size));
    (void)key.public_part().pem();
  });
  // The same input as an encrypted PKCS#8 key with a passphrase from a file (the seed
  // corpus has keys encrypted with it), so that decryption is reached too.
  return guarded([&] {
    static constexpr char passphrase[] = "fuzz-passphrase\n";
    reports::passphrase_source source;
    source.file = scratch_file("passphrase.txt", reinterpret_cast<const uint8_t *>(passphrase),
                               sizeof passphrase - 1);
    const auto key = reports::load_private_key(scratch_file("key.key", data, size), source);
    (void)key.public_part().pem();
  });
}

int fuzz_device_props(const uint8_t *data, size_t size) {
  using set_fn = void (*)(int32_t, const void *, size_t);
  static set_fn set_props = nullptr;
  static std::unique_ptr<host::plugin_backend> backend;
  if (backend == nullptr) {
    // Opening the plugin here first gives the setter; plugin_library::open then shares the
    // same loaded copy.
    void *handle = ::dlopen(SUANLI_FUZZ_PROPS_PLUGIN, RTLD_NOW | RTLD_LOCAL);
    if (handle == nullptr) {
      throw std::runtime_error(std::string("fuzz: cannot load ") + SUANLI_FUZZ_PROPS_PLUGIN);
    }
    set_props = reinterpret_cast<set_fn>(::dlsym(handle, "suanli_fuzz_set_props"));
    backend = std::make_unique<host::plugin_backend>(
        host::plugin_library::open(SUANLI_FUZZ_PROPS_PLUGIN), host::backend_options{});
  }
  const int32_t count = size > 0 ? data[0] % 5 : 0;
  set_props(count, size > 0 ? data + 1 : data, size > 0 ? size - 1 : 0);
  return guarded([&] {
    const auto json = reports::backend_json(*backend);
    (void)reports::predicate_bytes(json);
    (void)reports::statement_payload(reports::make_statement("fuzz", json));
    const auto &db = shipped_database();
    for (const auto &d : backend->devices()) {
      (void)tools::describe_match(db, d);
      std::string reason;
      (void)tools::database_peaks(std::make_shared<const devices::database>(db), d)(SL_DTYPE_BF16,
                                                                                    reason);
    }
  });
}

entry_fn find_entry(std::string_view target) {
  static const std::pair<std::string_view, entry_fn> entries[] = {
      {"suite_toml", fuzz_suite_toml},     {"claims_toml", fuzz_claims_toml},
      {"devices_toml", fuzz_devices_toml}, {"report_verify", fuzz_report_verify},
      {"report_audit", fuzz_report_audit}, {"challenge", fuzz_challenge},
      {"pem_key", fuzz_pem_key},           {"device_props", fuzz_device_props},
  };
  for (const auto &[name, fn] : entries) {
    if (name == target) {
      return fn;
    }
  }
  return nullptr;
}

} // namespace suanli::fuzz
