#include "common/sha256.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

using namespace edgeml;

TEST(Sha256, KnownVectors) {
  EXPECT_EQ(sha256_hex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(sha256_hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST(Sha256, StreamingEqualsOneShotAndFile) {
  std::string big(200000, 'x');
  Sha256 h;
  h.update(big.substr(0, 70000));
  h.update(big.substr(70000));
  auto streamed = h.hex_digest();
  EXPECT_EQ(streamed, sha256_hex(big));
  auto p = std::filesystem::temp_directory_path() / "edgeml_sha_test.bin";
  std::ofstream(p, std::ios::binary) << big;
  EXPECT_EQ(sha256_file(p), streamed);
  std::filesystem::remove(p);
  EXPECT_TRUE(is_sha256_hex(streamed));
  EXPECT_FALSE(is_sha256_hex("abc"));
}
