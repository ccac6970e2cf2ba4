#include <reports/base64.hpp>

#include <gtest/gtest.h>

#include <string>
#include <utility>
#include <vector>

namespace suanli::reports {
namespace {

TEST(SignBase64, EncodesRfc4648Vectors) {
  const std::vector<std::pair<std::string, std::string>> vectors = {{"", ""},
                                                                    {"f", "Zg=="},
                                                                    {"fo", "Zm8="},
                                                                    {"foo", "Zm9v"},
                                                                    {"foob", "Zm9vYg=="},
                                                                    {"fooba", "Zm9vYmE="},
                                                                    {"foobar", "Zm9vYmFy"}};
  for (const auto &[plain, encoded] : vectors) {
    EXPECT_EQ(base64_encode(plain), encoded) << plain;
    EXPECT_EQ(base64_decode(encoded), plain) << encoded;
  }
}

TEST(SignBase64, RoundTripsEveryByteValueAndLength) {
  std::string bytes;
  for (int i = 0; i < 256; ++i) {
    bytes.push_back(static_cast<char>(i));
  }
  for (std::size_t n = 0; n <= bytes.size(); n += 7) {
    const std::string part = bytes.substr(0, n);
    EXPECT_EQ(base64_decode(base64_encode(part)), part) << n;
  }
}

TEST(SignBase64, AcceptsUrlSafeAndUnpadded) {
  EXPECT_EQ(base64_decode("Zm8"), "fo");
  EXPECT_EQ(base64_decode("Zg"), "f");
  EXPECT_EQ(base64_decode("-_8="), std::string("\xfb\xff", 2));
  EXPECT_EQ(base64_decode("+/8="), std::string("\xfb\xff", 2));
}

TEST(SignBase64, RejectsMalformedText) {
  for (const std::string bad : {"Zm9v YmFy", "Zm9v\n", "Z", "Zm9vY", "Zg=", "Zg===", "=Zg=", "Z=g=",
                                "Zh==", "Zm9=", "+-8=", "Zm9v!", "Zm9vYg==Zg=="}) {
    EXPECT_FALSE(base64_decode(bad).has_value()) << bad;
  }
}

} // namespace
} // namespace suanli::reports
