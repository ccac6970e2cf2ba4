# The rated-peak device database (devices/, suites/devices/*.toml).
suanli_add_test(devices_test
  SOURCES devices_test.cpp devices_errors_test.cpp
  LIBS suanli_devices
  LABELS unit)

# The command line over it: `suanli devices --db`, `suanli devices`, a bad --device-db.
suanli_add_test(cli_devices_test
  SOURCES cli_support.cpp cli_devices_test.cpp
  LABELS integration)
