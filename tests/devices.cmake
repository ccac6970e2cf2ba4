# The rated-peak device database (devices/, suites/devices/*.toml).
suanli_add_test(devices_test
  SOURCES devices_test.cpp devices_errors_test.cpp
  LIBS suanli_devices
  LABELS unit)
