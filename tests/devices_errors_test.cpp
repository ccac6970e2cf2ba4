// Bad device database files: every one fails with one line naming the file and position, the
// entry, the field, and what was expected (bench::error, exit 2).
#include <devices/database.hpp>

#include <bench/error.hpp>

#include <gtest/gtest.h>

#include <functional>
#include <string>

namespace {

using namespace suanli;
using namespace suanli::devices;
namespace fs = std::filesystem;

const fs::path data = fs::path(SUANLI_TEST_DATA) / "devices";

// Lines 1 to 4; a [[device]] table then starts on line 5.
const std::string head = "[vendor]\nname = \"Acme\"\n[sources]\n"
                         "s = { ref = \"fixture\", confidence = \"estimate\" }\n";

// A valid entry (lines 5 to 9 after head) with one line replaced by the caller when needed.
std::string device(const std::string &id = "acme-x", const std::string &model = "X",
                   const std::string &peak = "peaks.fp16 = { tflops = 10, source = \"s\" }",
                   const std::string &name = "Acme X") {
  return "[[device]]\nid = \"" + id + "\"\nmodel = \"" + model + "\"\nnames = [\"" + name +
         "\"]\n" + peak + "\n";
}

// The one-line message of the bad-input error that f throws.
std::string error_of(const std::function<void()> &f) {
  try {
    f();
  } catch (const bench::error &e) {
    EXPECT_EQ(e.code(), bench::exit_code::bad_input) << e.what();
    const std::string message = e.what();
    EXPECT_EQ(message.find('\n'), std::string::npos) << message;
    return message;
  }
  ADD_FAILURE() << "no error";
  return {};
}

// Expect parsing text as "t.toml" to fail at "t.toml:<where>: " with what, and an expectation.
void expect_error(const std::string &text, const std::string &where, const std::string &what) {
  const std::string message = error_of([&] { (void)parse(text, "t.toml"); });
  EXPECT_EQ(message.rfind("t.toml:" + where + ": ", 0), 0U) << message;
  EXPECT_NE(message.find(what), std::string::npos) << message;
  EXPECT_NE(message.find("; expected "), std::string::npos) << message;
}

TEST(DevicesErrors, TheFixtureItselfIsValid) {
  const database db = parse(head + device(), "t.toml");
  ASSERT_EQ(db.entries.size(), 1U);
  EXPECT_EQ(db.entries[0].vendor, "Acme");
  EXPECT_EQ(db.entries[0].origin, "t.toml:5:1");
  EXPECT_EQ(db.entries[0].rated(SL_DTYPE_FP16)->from.ref, "fixture");
}

TEST(DevicesErrors, MissingFieldNamesTheEntryAndTheField) {
  expect_error(head + "[[device]]\nid = \"acme-x\"\nnames = [\"X\"]\n", "5:1",
               "device 'acme-x': missing 'model'");
  expect_error(head + "[[device]]\nmodel = \"X\"\n", "5:1", "device #1: missing 'id'");
  expect_error(head + device("acme-x", "X", "peaks.fp16 = { source = \"s\" }"), "9:14",
               "device 'acme-x': peaks.fp16: missing 'tflops'");
  expect_error("[sources]\n" + device(), "1:1", "missing 'vendor'");
  expect_error(head + "[[device]]\nid = \"acme-x\"\nmodel = \"X\"\nnote = \"no peaks\"\n"
                      "names = [\"X\"]\n",
               "5:1", "device 'acme-x': no rated peak");
}

TEST(DevicesErrors, NegativeOrZeroPeak) {
  expect_error(head + device("acme-x", "X", "peaks.bf16 = { tflops = -312, source = \"s\" }"),
               "9:25", "device 'acme-x': peaks.bf16.tflops is negative (-312)");
  expect_error(head + device("acme-x", "X", "peaks.bf16 = { tflops = 0, source = \"s\" }"), "9:25",
               "peaks.bf16.tflops is 0");
  expect_error(head + device("acme-x", "X", "memory_gib = { value = -1.5, source = \"s\" }"),
               "9:24", "memory_gib.value is negative (-1.5)");
}

TEST(DevicesErrors, UnknownDtypeAndWrongUnit) {
  expect_error(head + device("acme-x", "X", "peaks.fp4 = { tflops = 10, source = \"s\" }"), "9:7",
               "device 'acme-x': peaks: unknown dtype 'fp4'");
  const std::string m = error_of([&] {
    (void)parse(head + device("acme-x", "X", "peaks.fp4 = { tflops = 1, source = \"s\" }"),
                "t.toml");
  });
  EXPECT_NE(m.find("fp64, fp64_tensor, fp32"), std::string::npos) << m;
  expect_error(head + device("acme-x", "X", "peaks.int8 = { tflops = 10, source = \"s\" }"), "9:25",
               "int8 is rated in TOPS");
  expect_error(head + device("acme-x", "X",
                             "unsupported = [\"fp9\"]\npeaks.fp16 = { tflops = 1, "
                             "source = \"s\" }"),
               "9:16", "unknown dtype 'fp9'");
}

TEST(DevicesErrors, DuplicateIdModelOrName) {
  expect_error(head + device() +
                   device("acme-x", "Y", "peaks.fp16 = { tflops = 1, source = \"s\" }", "Acme Y"),
               "10:1", "device 'acme-x': id 'acme-x' is already used at t.toml:5:1");
  expect_error(head + device() +
                   device("acme-y", "X", "peaks.fp16 = { tflops = 1, source = \"s\" }", "Acme Y"),
               "10:1", "model 'X' is already used at t.toml:5:1 (device 'acme-x')");
  expect_error(head + device() +
                   device("acme-y", "Y", "peaks.fp16 = { tflops = 1, source = \"s\" }", "ACME x"),
               "10:1", "device name 'ACME x' is already used at t.toml:5:1");
}

TEST(DevicesErrors, PeakWithoutSource) {
  expect_error(head + device("acme-x", "X", "peaks.fp16 = { tflops = 10 }"), "9:14",
               "device 'acme-x': peaks.fp16: missing 'source'");
  expect_error(head + device("acme-x", "X", "peaks.fp16 = { tflops = 10, source = \"nope\" }"),
               "9:38", "peaks.fp16.source: 'nope' is not in [sources]");
  expect_error(head +
                   device("acme-x", "X",
                          "peaks.fp16 = { tflops = 1, source = \"s\", confidence = \"rumour\" }"),
               "9:55", "peaks.fp16.confidence: unknown value 'rumour'");
  expect_error(
      "[vendor]\nname = \"Acme\"\n[sources]\ns = { ref = \"x\", confidence = \"sure\" }\n" +
          device(),
      "4:31", "source 's': unknown confidence 'sure'");
}

TEST(DevicesErrors, NotTomlAtAll) {
  expect_error("this is not TOML = = =\n", "1:6", "TOML syntax error");
  const std::string m = error_of([] { (void)load(data / "not_toml.toml"); });
  EXPECT_EQ(m.rfind((data / "not_toml.toml").string() + ":1:", 0), 0U) << m;
  EXPECT_NE(m.find("TOML syntax error"), std::string::npos) << m;
}

TEST(DevicesErrors, OtherSchemaErrors) {
  expect_error(head + device() + "colour = \"green\"\n", "10:1",
               "device 'acme-x': unknown key 'colour'");
  expect_error(head + device("Acme X"), "6:6", "id 'Acme X' has characters other than");
  expect_error(head + "[[device]]\nid = \"acme-x\"\nmodel = \"X\"\n"
                      "peaks.fp16 = { tflops = 1, source = \"s\" }\n",
               "5:1", "no names, name_patterns or pci_ids");
  expect_error(head + device("acme-x", "X",
                             "pci_ids = [\"10DE:2330\"]\npci_source = \"s\"\n"
                             "peaks.fp16 = { tflops = 1, source = \"s\" }"),
               "9:12", "pci_ids has '10DE:2330'");
  expect_error(head + device("acme-x", "X",
                             "not_published = [\"fp16\"]\npeaks.fp16 = { tflops = 1, "
                             "source = \"s\" }"),
               "9:18", "'fp16' is both given and listed in not_published");
  expect_error(
      head + device("acme-x", "X", "link = { kind = \"L\", direction = \"up\", source = \"s\" }"),
      "9:34", "link.direction is 'up'");
}

TEST(DevicesErrors, FilesAndFolders) {
  const std::string clash = error_of([] { (void)load(data / "clash"); });
  EXPECT_EQ(clash.rfind((data / "clash" / "b.toml").string() + ":8:1: device 'b-one': ", 0), 0U)
      << clash;
  EXPECT_NE(clash.find("device name 'accel-one' is already used at " +
                       (data / "clash" / "a.toml").string() + ":8:1 (device 'a-one')"),
            std::string::npos)
      << clash;
  EXPECT_EQ(error_of([] { (void)load(data / "missing"); }), "cannot read device database " +
                                                                (data / "missing").string() +
                                                                ": No such file or directory");
  const fs::path empty = fs::temp_directory_path() / "suanli_devices_empty";
  fs::create_directories(empty);
  EXPECT_NE(error_of([&] { (void)load(empty); }).find("has no .toml files"), std::string::npos);
  fs::remove_all(empty);
}

} // namespace
