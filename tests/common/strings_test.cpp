#include "common/strings.hpp"

#include <gtest/gtest.h>

using namespace edgeml;

TEST(Strings, ParseDoubleIsStrict) {
  EXPECT_DOUBLE_EQ(*parse_double(" 1.5 "), 1.5);
  EXPECT_DOUBLE_EQ(*parse_double("-2e3"), -2000);
  EXPECT_FALSE(parse_double("").has_value());
  EXPECT_FALSE(parse_double("12abc").has_value());
  EXPECT_FALSE(parse_double("nan").has_value());
  EXPECT_FALSE(parse_double("inf").has_value());
  EXPECT_FALSE(parse_double("1e999").has_value());
}

TEST(Strings, ParseInt) {
  EXPECT_EQ(*parse_int("500"), 500);
  EXPECT_FALSE(parse_int("5.0").has_value());
}

TEST(Strings, SplitWhitespaceAndFormat) {
  auto v = split_whitespace("  192.168.1.20   10.240.0.5 ");
  ASSERT_EQ(v.size(), 2u);
  EXPECT_EQ(v[1], "10.240.0.5");
  EXPECT_EQ(format_number(1.5000), "1.5");
  EXPECT_EQ(format_number(2.0), "2");
}
