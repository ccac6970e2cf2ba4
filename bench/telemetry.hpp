#pragma once
// Device telemetry during a case (DESIGN.md, Measurement: clocks, power and temperature are
// sampled during the run and throttling is reported, not hidden). A sampler thread reads the
// backend's sensors at a fixed period while the case is measured; the readings are summarised
// into a record the report prints (convention suanli.telemetry.v1).

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace suanli::bench {

/// Convention id of telemetry summaries in reports.
inline constexpr std::string_view telemetry_convention = "suanli.telemetry.v1";
/// Text of that convention, written into reports.
inline constexpr std::string_view telemetry_convention_text =
    "sensors read every period_s from before the warm-up to after the last sample of a case; "
    "clock, memory clock and power as min/median/max of the readings [MHz, W]; temperature the "
    "highest reading [degC]; energy the counter's increase from the first to the last reading "
    "[J]; mean power = energy / that window, else the mean power reading [W]; GFLOP/s per W = "
    "median rate / mean power; throttle reasons as the share of readings in which each was "
    "active (idle is not throttling)";

/// One reading; a field is set only when the sensor answered.
struct telemetry_reading {
  double t_s = 0;                        ///< time since the sampler started [s]
  std::optional<double> clock_mhz;       ///< compute clock [MHz]
  std::optional<double> mem_clock_mhz;   ///< memory clock [MHz]
  std::optional<double> power_w;         ///< power draw [W]
  std::optional<double> temperature_c;   ///< hottest die sensor [degC]
  std::optional<double> energy_j;        ///< energy counter [J] (monotonic, arbitrary origin)
  std::optional<uint64_t> throttle_bits; ///< sl_throttle_reason bits
};

/// A device's sensors. read() may be called from another thread than the one running the case.
class telemetry_source {
public:
  virtual ~telemetry_source() = default;
  telemetry_source() = default;
  telemetry_source(const telemetry_source &) = delete;
  telemetry_source &operator=(const telemetry_source &) = delete;
  /// Read the sensors into r (t_s is set by the caller); false with why when nothing could be
  /// read this time.
  virtual bool read(telemetry_reading &r, std::string &why) = 0;
};

/// Minimum, median and maximum of one sensor over the readings.
struct sensor_range {
  double min = 0;    ///< smallest reading
  double median = 0; ///< median reading
  double max = 0;    ///< largest reading
};

/// Fraction of readings in which one throttle reason was active.
struct throttle_share {
  std::string reason;  ///< "power_cap", "thermal", "hw_slowdown", "clock_set" or "other"
  double fraction = 0; ///< readings with it active / readings with throttle information
};

/// What the sensors said during one case: a data record printers only consume.
struct telemetry_summary {
  int64_t readings = 0;                      ///< successful readings
  double period_s = 0;                       ///< sampling period [s]
  double window_s = 0;                       ///< first to last reading [s]
  std::optional<sensor_range> clock_mhz;     ///< compute clock [MHz]
  std::optional<sensor_range> mem_clock_mhz; ///< memory clock [MHz]
  std::optional<sensor_range> power_w;       ///< instantaneous power readings [W]
  std::optional<double> temperature_max_c;   ///< hottest reading [degC]
  std::optional<double> energy_j;            ///< energy counter, last - first reading [J]
  std::optional<double> mean_power_w;        ///< energy_j / window_s, else the mean power
                                             ///< reading [W]
  std::string mean_power_source;             ///< "energy counter" or "power readings"
  std::vector<throttle_share> throttle;      ///< reasons seen, largest share first
  bool throttle_known = false;               ///< the source reports throttle reasons at all
  std::string note;                          ///< the source's reasons for missing fields
};

/// Summarise readings (in time order) taken every period_s. Pure: unit-tested.
[[nodiscard]] telemetry_summary summarize_telemetry(const std::vector<telemetry_reading> &readings,
                                                    double period_s, const std::string &note);

/// Names of sl_throttle_reason bits, in bit order.
[[nodiscard]] std::vector<std::string> throttle_reason_names(uint64_t bits);

/// Reads a source every period on its own thread from construction to stop() (or destruction).
/// The first reading is taken before the constructor returns and the last in stop(), so the
/// window covers everything in between.
class telemetry_sampler {
public:
  /// Start sampling `source` (which must outlive the sampler) every period_s seconds.
  telemetry_sampler(telemetry_source &source, double period_s);
  ~telemetry_sampler();
  telemetry_sampler(const telemetry_sampler &) = delete;
  telemetry_sampler &operator=(const telemetry_sampler &) = delete;

  /// Take the last reading, stop the thread and summarise.
  [[nodiscard]] telemetry_summary stop();

private:
  struct state;
  std::unique_ptr<state> s_;
};

} // namespace suanli::bench
