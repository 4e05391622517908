#include "common/names.hpp"

#include <gtest/gtest.h>

#include "common/error.hpp"

using namespace edgeml;

TEST(Names, OneRuleForModelAndDeviceNames) {
  for (const char* ok : {"mobilenetv3_small-100.v2", "vit_base_patch16_224.augreg_in21k", "a"})
    EXPECT_NO_THROW(validate_name(ok, "model_name")) << ok;
  for (const std::string& bad : std::vector<std::string>{"", ".", "..", ".hidden", "a..b", "a/b", "a\\b", "a b", "é",
                                                         std::string("a\0b", 3), std::string(129, 'x')}) {
    try {
      validate_name(bad, "model_name");
      ADD_FAILURE() << "accepted: " << bad;
    } catch (const FieldError& e) {
      EXPECT_EQ(e.field(), "model_name");
    }
  }
}
