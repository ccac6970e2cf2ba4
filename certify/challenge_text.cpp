// The text forms a challenge uses: UTC times, durations and scopes (declared in challenge.hpp).
#include <certify/challenge.hpp>

#include <bench/error.hpp>

#include <chrono>
#include <cstdio>
#include <ctime>

namespace suanli::certify {
namespace {

bool all_digits(std::string_view s) {
  for (const char ch : s) {
    if (ch < '0' || ch > '9') {
      return false;
    }
  }
  return !s.empty();
}

bool key_char(char ch) {
  return (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '_' || ch == '.' ||
         ch == '-';
}

} // namespace

int64_t unix_now() {
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

std::string format_utc(int64_t unix_s) {
  const auto t = static_cast<std::time_t>(unix_s);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

bool parse_utc(std::string_view text, int64_t &unix_s) {
  // YYYY-MM-DDTHH:MM:SSZ
  if (text.size() != 20 || text[4] != '-' || text[7] != '-' || text[10] != 'T' || text[13] != ':' ||
      text[16] != ':' || text[19] != 'Z') {
    return false;
  }
  const auto num = [&](size_t at, size_t len, int &out) {
    const auto part = text.substr(at, len);
    if (!all_digits(part)) {
      return false;
    }
    out = std::stoi(std::string(part));
    return true;
  };
  std::tm tm{};
  int year = 0, month = 0;
  if (!num(0, 4, year) || !num(5, 2, month) || !num(8, 2, tm.tm_mday) || !num(11, 2, tm.tm_hour) ||
      !num(14, 2, tm.tm_min) || !num(17, 2, tm.tm_sec)) {
    return false;
  }
  tm.tm_year = year - 1900;
  tm.tm_mon = month - 1;
  const std::tm given = tm;
  const std::time_t t = timegm(&tm);
  // timegm normalises out-of-range fields: a round trip catches 2026-02-30 and 25:00:00.
  if (tm.tm_year != given.tm_year || tm.tm_mon != given.tm_mon || tm.tm_mday != given.tm_mday ||
      tm.tm_hour != given.tm_hour || tm.tm_min != given.tm_min || tm.tm_sec != given.tm_sec) {
    return false;
  }
  unix_s = static_cast<int64_t>(t);
  return true;
}

int64_t parse_duration(std::string_view text, std::string_view option) {
  const std::string expected = "; expected a duration such as 90s, 30m, 24h or 7d, from 1s to 30d";
  const std::string head = std::string(option) + " '" + std::string(text) + "'";
  if (text.empty()) {
    bench::fail_input(std::string(option) + " is empty" + expected);
  }
  if (text.front() == '-') {
    bench::fail_input(head + " is negative" + expected);
  }
  const char unit = text.back();
  const auto digits = text.substr(0, text.size() - 1);
  int64_t scale = 0;
  switch (unit) {
  case 's': scale = 1; break;
  case 'm': scale = 60; break;
  case 'h': scale = 3600; break;
  case 'd': scale = 86400; break;
  default: bench::fail_input(head + " has no unit (s, m, h or d)" + expected);
  }
  if (!all_digits(digits) || digits.size() > 9) {
    bench::fail_input(head + " is not a whole number of " + std::string(1, unit) + expected);
  }
  const int64_t seconds = std::stoll(std::string(digits)) * scale;
  if (seconds == 0) {
    bench::fail_input(head + " is zero" + expected);
  }
  if (seconds > max_challenge_validity_s) {
    bench::fail_input(head + " is longer than 30 days" + expected);
  }
  return seconds;
}

std::map<std::string, std::string> parse_scope(std::string_view text, std::string_view option) {
  const std::string expected = "; expected key=value pairs separated by ',' with provider=..., "
                               "e.g. provider=acme,cluster=bj-01";
  std::map<std::string, std::string> out;
  size_t start = 0;
  while (start <= text.size()) {
    const size_t end = std::min(text.find(',', start), text.size());
    const auto pair = text.substr(start, end - start);
    const size_t eq = pair.find('=');
    const std::string where = std::string(option) + " '" + std::string(pair) + "'";
    if (eq == std::string_view::npos) {
      bench::fail_input(where + " has no '='" + expected);
    }
    const std::string key(pair.substr(0, eq));
    const std::string value(pair.substr(eq + 1));
    if (key.empty()) {
      bench::fail_input(where + ": empty key" + expected);
    }
    for (const char ch : key) {
      if (!key_char(ch)) {
        bench::fail_input(where + ": key '" + key + "' may hold only a-z, 0-9, '_', '.', '-'" +
                          expected);
      }
    }
    if (value.empty() || value.find('=') != std::string::npos) {
      bench::fail_input(where + ": the value of '" + key + "' is empty or holds '='" + expected);
    }
    if (!out.emplace(key, value).second) {
      bench::fail_input(where + ": key '" + key + "' given twice" + expected);
    }
    start = end + 1;
  }
  if (!out.contains("provider")) {
    bench::fail_input(std::string(option) + " '" + std::string(text) + "' has no provider" +
                      expected);
  }
  return out;
}

} // namespace suanli::certify
