#include "common/csv.hpp"

#include <gtest/gtest.h>

using namespace edgeml;

TEST(Csv, QuotedFieldsAndCrlf) {
  auto t = parse_csv("model,note\r\n\"a,b\",\"say \"\"hi\"\"\"\r\nc,\r\n");
  ASSERT_EQ(t.header.size(), 2u);
  ASSERT_EQ(t.rows.size(), 2u);
  EXPECT_EQ(t.rows[0][0], "a,b");
  EXPECT_EQ(t.rows[0][1], "say \"hi\"");
  EXPECT_EQ(t.rows[1][0], "c");
  EXPECT_EQ(t.rows[1][1], "");
  EXPECT_EQ(t.row_lines[1], 3);
}

TEST(Csv, ColumnsByNameCaseInsensitive) {
  auto t = parse_csv(" Model , X\n1,2\n");
  EXPECT_EQ(t.column("model"), 0u);
  EXPECT_EQ(t.column("x"), 1u);
  EXPECT_FALSE(t.column("y").has_value());
}

TEST(Csv, ShortRowsArePaddedAndBlankLinesSkipped) {
  auto t = parse_csv("a,b,c\n1\n\n2,3,4,5\n");
  ASSERT_EQ(t.rows.size(), 2u);
  EXPECT_EQ(t.rows[0].size(), 3u);
  EXPECT_EQ(t.rows[1][2], "4");
}

TEST(Csv, UnterminatedQuoteNamesTheLine) {
  try {
    parse_csv("a\n\"oops\n");
    FAIL();
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("line 2"), std::string::npos) << e.what();
  }
}

TEST(Csv, EscapeRoundTrips) {
  std::string f = "x,\"y\"";
  auto t = parse_csv("h\n" + csv_escape(f) + "\n");
  EXPECT_EQ(t.rows[0][0], f);
}
