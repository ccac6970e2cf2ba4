#include "cli_cluster_support.hpp"

#include <reports/base64.hpp>
#include <reports/dsse.hpp>
#include <reports/statement.hpp>

#include <sys/wait.h>

#include <cstdlib>

namespace suanli::test {

using nlohmann::json;

std::string quoted(const std::string &s) {
  std::string out = "'";
  for (const char c : s) {
    out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  }
  return out + "'";
}

cli_result run_mpi(int ranks, const std::string &args, const std::filesystem::path &dir,
                   const env_list &env, int timeout_s) {
  static int counter = 0;
  const auto tag = std::to_string(++counter);
  const auto out = dir / ("mpi_out_" + tag);
  const auto err = dir / ("mpi_err_" + tag);
  std::string vars, forward;
  for (const auto &[name, value] : env) {
    vars += name + "=" + quoted(value) + " ";
    forward += " -x " + name;
  }
  const std::string cmd = "cd " + quoted(dir.string()) + " && " + vars + "timeout -k 10 " +
                          std::to_string(timeout_s) + " " + quoted(SUANLI_MPIEXEC) +
                          " --allow-run-as-root --oversubscribe -np " + std::to_string(ranks) +
                          forward + " " + quoted(SUANLI_BIN) + " " + args + " >" +
                          quoted(out.string()) + " 2>" + quoted(err.string());
  const int status = std::system(cmd.c_str());
  cli_result r;
  r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  r.out = slurp(out);
  r.err = slurp(err);
  std::filesystem::remove(out);
  std::filesystem::remove(err);
  return r;
}

std::string cluster_data(const std::string &name) {
  return std::string(SUANLI_TEST_DATA) + "/cluster/" + name;
}

json predicate_of(const std::filesystem::path &report) {
  const auto statement =
      reports::base64_decode(json::parse(slurp(report))["payload"].get<std::string>());
  return statement ? json::parse(*statement)["predicate"] : json();
}

void write_with_predicate(const std::filesystem::path &in, const std::filesystem::path &out,
                          const json &predicate) {
  const auto statement =
      json::parse(*reports::base64_decode(json::parse(slurp(in))["payload"].get<std::string>()));
  const auto name = statement["subject"][0]["name"].get<std::string>();
  spit(out, reports::serialize_envelope(reports::make_unsigned_statement_envelope(
                reports::make_statement(name, predicate))));
}

std::string schema_problem(const json &payload, const std::filesystem::path &dir) {
  const auto file = dir / "schema_check.json";
  const auto log = dir / "schema_check.log";
  spit(file, payload.dump());
  const std::string cmd =
      "/usr/bin/python3 -c \"import json,sys,jsonschema; "
      "jsonschema.validate(json.load(open(sys.argv[1])), json.load(open(sys.argv[2])))\" " +
      quoted(file.string()) + " " +
      quoted(std::string(SUANLI_SOURCE_DIR) + "/reports/schema/report.schema.json") + " >" +
      quoted(log.string()) + " 2>&1";
  const int status = std::system(cmd.c_str());
  const std::string text = slurp(log);
  std::filesystem::remove(file);
  std::filesystem::remove(log);
  return status == 0 ? std::string()
                     : "jsonschema failed (" + std::to_string(status) + "): " + text;
}

size_t occurrences(const std::string &text, const std::string &needle) {
  size_t n = 0;
  for (size_t at = text.find(needle); at != std::string::npos;
       at = text.find(needle, at + needle.size())) {
    ++n;
  }
  return n;
}

} // namespace suanli::test
