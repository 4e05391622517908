#include "common/utf8.hpp"

#include <gtest/gtest.h>

#include <string>

TEST(Utf8, ValidUtf8ReplacesOnlyBytesOutsideAWellFormedSequence) {
  using namespace std::string_literals;
  EXPECT_EQ(edgeml::valid_utf8("plain, caf\xC3\xA9, \xE2\x82\xAC, \xF0\x9F\x98\x80"),
            "plain, caf\xC3\xA9, \xE2\x82\xAC, \xF0\x9F\x98\x80");
  // The corrupted cell of the Jetson benchmark file: a stray 0xF4 (its next byte is no continuation), then control
  // bytes, which are valid UTF-8 and kept.
  EXPECT_EQ(edgeml::valid_utf8("31.095361\xF4\x01\x00\x00.1"s), "31.095361\xEF\xBF\xBD\x01\x00\x00.1"s);
  EXPECT_EQ(edgeml::valid_utf8("\xC0\xAF"), "\xEF\xBF\xBD\xEF\xBF\xBD");                  // overlong '/'
  EXPECT_EQ(edgeml::valid_utf8("\xED\xA0\x80"), "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD");  // a surrogate
  EXPECT_EQ(edgeml::valid_utf8("\xF4\x90\x80\x80").size(), 12u);                          // above U+10FFFF
  EXPECT_EQ(edgeml::valid_utf8("ab\xE2\x82"), "ab\xEF\xBF\xBD\xEF\xBF\xBD");              // cut short
}
