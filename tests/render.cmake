# Tests of render/ (issue 8): compare statistics, the page printers, the render and compare
# commands with run's progress lines, and the pages in headless Chromium.
find_package(ZLIB REQUIRED)
suanli_add_test(render_unit_test
  SOURCES render_stats_test.cpp render_page_test.cpp render_escape_test.cpp render_fixture.cpp
          render_xml.cpp
  LIBS suanli_render
  LABELS unit)
# run's progress printer is compiled from tools/suanli into its test.
suanli_add_test(render_progress_test
  SOURCES render_progress_test.cpp "${PROJECT_SOURCE_DIR}/tools/suanli/run_progress.cpp"
  LIBS suanli_reports suanli_bench
  LABELS unit)
target_include_directories(render_progress_test PRIVATE "${PROJECT_SOURCE_DIR}/tools/suanli")
suanli_add_test(render_cli_test
  SOURCES cli_support.cpp render_cli_test.cpp render_xml.cpp
  LIBS suanli_reports nlohmann_json::nlohmann_json
  LABELS integration
  PROPERTIES TIMEOUT 300)
suanli_add_test(render_browser_test
  SOURCES cli_support.cpp render_browser_test.cpp render_fixture.cpp render_png.cpp
  LIBS suanli_render ZLIB::ZLIB
  LABELS "integration;browser"
  PROPERTIES RUN_SERIAL TRUE TIMEOUT 300)
