#include "common/files.hpp"

#include <gtest/gtest.h>

#include <filesystem>

using namespace edgeml;
namespace fs = std::filesystem;

TEST(Files, AtomicWriteReplacesWholeAndLeavesNoTemp) {
  auto dir = fs::temp_directory_path() / "edgeml_files_test";
  fs::remove_all(dir);
  fs::create_directories(dir);
  write_file_atomic(dir / "state.json", "old");
  write_file_atomic(dir / "state.json", "new content");
  EXPECT_EQ(read_file(dir / "state.json"), "new content");
  size_t n = 0;
  for (auto& e : fs::directory_iterator(dir)) (void)e, ++n;
  EXPECT_EQ(n, 1u);
  EXPECT_GT(free_bytes(dir), 0u);
  fs::remove_all(dir);
}

TEST(Files, ReadMissingNamesTheFile) {
  try {
    read_file("/nonexistent/edgeml/x.csv");
    FAIL();
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("/nonexistent/edgeml/x.csv"), std::string::npos);
  }
}
