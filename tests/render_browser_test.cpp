// The rendered pages in real headless Chromium: a screenshot that is not blank and no console
// error. Chromium is required (tools/setup.sh installs it): without it the test fails, saying so.
#include "cli_support.hpp"
#include "render_fixture.hpp"
#include "render_png.hpp"

#include <render/page.hpp>

#include <gtest/gtest.h>

#include <sys/wait.h>

#include <cstdlib>
#include <filesystem>

namespace suanli::test {
namespace {

namespace fs = std::filesystem;

std::string chromium() {
  for (const char *p :
       {"/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"}) {
    if (fs::exists(p)) {
      return p;
    }
  }
  return "";
}

struct shot {
  int exit_code = -1;
  std::string log;       // chromium's stderr
  rgba_image image;      // the screenshot
  std::string png_error; // why it could not be decoded
};

shot screenshot(const fs::path &html, const fs::path &dir) {
  const auto png = dir / (html.stem().string() + ".png");
  const auto log = dir / (html.stem().string() + ".log");
  const std::string cmd = "timeout -k 5 90 '" + chromium() +
                          "' --headless --no-sandbox --disable-gpu --hide-scrollbars "
                          "--no-first-run --user-data-dir='" +
                          (dir / "profile").string() +
                          "' --enable-logging=stderr --v=0 --window-size=1280,2400 --screenshot='" +
                          png.string() + "' 'file://" + html.string() + "' >'" + log.string() +
                          "' 2>&1";
  const int status = std::system(cmd.c_str());
  shot s;
  s.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  s.log = slurp(log);
  s.image = decode_png(slurp(png), s.png_error);
  return s;
}

// Every console message Chromium logged for the page ("INFO:CONSOLE:<line>] ..." in current
// versions, "CONSOLE(<line>)" in older ones). Chromium 156 no longer prints the message level, and
// the page holds no script, so any console message (an error, a blocked or failed load) counts.
std::string console_errors(const std::string &log) {
  std::string found;
  size_t at = 0;
  while ((at = log.find("CONSOLE", at)) != std::string::npos) {
    const size_t begin = log.rfind('\n', at) + 1;
    found += log.substr(begin, log.find('\n', at) - begin) + "\n";
    at = log.find('\n', at);
  }
  return found;
}

class render_browser : public ::testing::Test {
protected:
  void SetUp() override {
    ASSERT_FALSE(chromium().empty())
        << "headless Chromium is required for this test and was not found (/usr/bin/chromium): "
           "install the Debian package `chromium` (tools/setup.sh does)";
    dir_ = fresh_dir("browser");
  }
  void TearDown() override { fs::remove_all(dir_); }
  fs::path dir_;
};

void expect_rendered(const shot &s) {
  EXPECT_EQ(s.exit_code, 0) << s.log;
  ASSERT_EQ(s.png_error, "") << s.log;
  EXPECT_EQ(s.image.width, 1280u);
  const auto st = stats_of(s.image);
  EXPECT_GT(st.non_background, 0.02) << "screenshot is (nearly) blank";
  EXPECT_GT(st.colours, 16u) << "screenshot has too few colours for charts";
  EXPECT_EQ(console_errors(s.log), "");
}

TEST_F(render_browser, single_node_and_cluster_pages_render_without_console_errors) {
  for (const auto &[name, report] :
       {std::pair{"single", single_report()}, std::pair{"cluster", cluster_report()}}) {
    render::report_input in;
    in.path = name;
    in.report = report;
    in.signature_text = "unsigned: the report carries no signature";
    const auto html = dir_ / (std::string(name) + ".html");
    spit(html, render::html_report(in));
    expect_rendered(screenshot(html, dir_));
  }
}

TEST_F(render_browser, the_console_check_catches_a_page_that_logs_an_error) {
  const auto html = dir_ / "bad.html";
  spit(html, "<!DOCTYPE html><html><body><p>x</p><script>console.error('boom')</script></body>"
             "</html>");
  const auto s = screenshot(html, dir_);
  EXPECT_NE(console_errors(s.log).find("boom"), std::string::npos) << s.log;
}

} // namespace
} // namespace suanli::test
