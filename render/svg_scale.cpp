#include <render/format.hpp>
#include <render/svg_scale.hpp>

#include <algorithm>
#include <cmath>

namespace suanli::render {
namespace {

// 1, 2 or 5 times a power of ten, at least `raw`.
double nice_step(double raw) {
  const double p = std::pow(10.0, std::floor(std::log10(raw)));
  for (const double m : {1.0, 2.0, 5.0, 10.0}) {
    if (m * p >= raw) {
      return m * p;
    }
  }
  return 10 * p;
}

} // namespace

scale::scale(double min_value, double max_value, bool log, const std::string &unit, double px0,
             double px1)
    : log_(log), px0_(px0), px1_(px1) {
  if (log && unit != "B" && max_value / min_value < 100) {
    // Less than two decades: a tight domain with 1-2-5 ticks.
    for (double pad = 1.3; ticks_.size() < 2 && pad < 1e3; pad *= 2) {
      lo_ = min_value / pad;
      hi_ = max_value * pad;
      ticks_.clear();
      for (double d = std::pow(10.0, std::floor(std::log10(lo_))); d <= hi_; d *= 10) {
        for (const double m : {1.0, 2.0, 5.0}) {
          if (m * d >= lo_ && m * d <= hi_) {
            ticks_.push_back(m * d);
          }
        }
      }
    }
    return;
  }
  if (log) {
    const double base = unit == "B" ? 2.0 : 10.0;
    const double lb = std::log(base);
    double e0 = std::floor(std::log(min_value) / lb + 1e-9);
    double e1 = std::ceil(std::log(max_value) / lb - 1e-9);
    if (e1 <= e0) {
      e0 -= 1;
      e1 += 1;
    }
    const double step = std::max(1.0, std::ceil((e1 - e0) / 7));
    e0 = std::floor(e0 / step) * step;
    e1 = std::ceil(e1 / step) * step;
    lo_ = std::pow(base, e0);
    hi_ = std::pow(base, e1);
    for (double e = e0; e <= e1 + 1e-9; e += step) {
      ticks_.push_back(std::pow(base, e));
    }
    if (base == 10 && e1 - e0 <= 1) { // a single decade: 2 and 5 as well
      ticks_ = {lo_, 2 * lo_, 5 * lo_, hi_};
    }
    return;
  }
  lo_ = std::min(0.0, min_value);
  const double top = max_value > lo_ ? max_value : lo_ + 1;
  const double step = nice_step((top - lo_) / 5);
  hi_ = std::ceil(top / step - 1e-9) * step;
  for (double t = lo_; t <= hi_ + step / 2; t += step) {
    ticks_.push_back(t);
  }
}

double scale::operator()(double value) const {
  const double f = log_ ? std::log(value / lo_) / std::log(hi_ / lo_) : (value - lo_) / (hi_ - lo_);
  return px0_ + f * (px1_ - px0_);
}

std::string tick_label(double value, const std::string &unit) {
  if (unit == "B") {
    return bytes_text(value);
  }
  if (unit == "elements" || unit == "tokens" || unit.empty()) {
    return num(value, 4);
  }
  if (unit == "us") {
    return seconds_text(value * 1e-6);
  }
  if (unit == "%") {
    return num(value, 3) + "%";
  }
  return num(value, 3) + " " + unit;
}

} // namespace suanli::render
