#include <render/chart.hpp>
#include <render/compare.hpp>
#include <render/html_parts.hpp>
#include <render/json_access.hpp>

#include <cmath>
#include <map>

namespace suanli::render {
namespace {

using nlohmann::json;

case_side side_of(const json &c) {
  case_side s;
  s.present = true;
  s.status = str_at(c, "status", "?");
  const auto &m = obj_at(c, "measurement");
  for (const auto &t : arr_at(m, "samples_s")) {
    if (t.is_number() && t.get<double>() > 0) {
      s.times.push_back(t.get<double>());
    }
  }
  s.median_s = median_of(s.times);
  s.headline = headline(c);
  return s;
}

case_delta delta_of(const case_side &a, const case_side &b) {
  case_delta d;
  if (a.status != "pass" || b.status != "pass" || a.times.size() < 2 || b.times.size() < 2) {
    return d;
  }
  d.computed = true;
  d.median_ratio = b.median_s / a.median_s;
  d.ci = bootstrap_median_ratio(a.times, b.times);
  d.test = mann_whitney(a.times, b.times);
  d.significant = d.test.p_value < 0.05 && (d.ci.low > 1 || d.ci.high < 1);
  return d;
}

} // namespace

comparison compare_reports(const std::vector<report_input> &reports) {
  comparison out;
  std::vector<std::string> order;
  std::map<std::string, std::vector<const json *>> by_name;
  std::vector<std::vector<json>> cases;
  for (const auto &r : reports) {
    out.reports.push_back(r.path);
    out.suites.push_back(str_at(obj_at(r.report, "suite"), "name", "?"));
    cases.push_back(chart_cases(r.report));
  }
  for (size_t i = 0; i < cases.size(); ++i) {
    for (const auto &c : cases[i]) {
      const auto name = str_at(c, "name", "?");
      auto &slot = by_name[name];
      if (slot.empty()) {
        order.push_back(name);
        slot.resize(reports.size(), nullptr);
      }
      if (slot[i] == nullptr) {
        slot[i] = &c;
      }
    }
  }
  const size_t nb = reports.size() > 0 ? reports.size() - 1 : 0;
  std::vector<std::vector<double>> ratios(nb);
  for (const auto &name : order) {
    const auto &slot = by_name[name];
    size_t present = 0, last = 0;
    for (size_t i = 0; i < slot.size(); ++i) {
      if (slot[i] != nullptr) {
        ++present;
        last = i;
      }
    }
    if (present < 2) {
      out.only_in.emplace_back(name, last);
      continue;
    }
    compared_case cc{name, {}, {}};
    for (const auto *c : slot) {
      cc.sides.push_back(c != nullptr ? side_of(*c) : case_side{});
    }
    for (size_t i = 1; i < cc.sides.size(); ++i) {
      cc.deltas.push_back(cc.sides[0].present && cc.sides[i].present
                              ? delta_of(cc.sides[0], cc.sides[i])
                              : case_delta{});
      if (cc.deltas.back().computed) {
        ratios[i - 1].push_back(cc.deltas.back().median_ratio);
      }
    }
    out.cases.push_back(std::move(cc));
  }
  for (const auto &r : ratios) {
    out.geomean.push_back(geometric_mean(r));
    out.computed.push_back(r.size());
  }
  return out;
}

} // namespace suanli::render
