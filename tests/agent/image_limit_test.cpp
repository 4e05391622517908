// Images sent to POST /infer are measured from their header before anything is decoded: a small PNG that claims a
// 20000 x 20000 image is refused with 413 naming the limit, and the agent's memory does not move; JPEG likewise;
// formats other than PNG and JPEG are refused. Header parsing is checked against OpenCV on the real photos too.
#include <gtest/gtest.h>
#include <zlib.h>

#include <fstream>
#include <opencv2/imgcodecs.hpp>

#include "agent/image_header.hpp"
#include "agent_test_support.hpp"
#include "common/error.hpp"
#include "common/files.hpp"

using namespace edgeml;
using namespace edgeml::agent_test;

namespace {

std::string be32(std::uint32_t v) {
  return {static_cast<char>(v >> 24), static_cast<char>(v >> 16), static_cast<char>(v >> 8), static_cast<char>(v)};
}

std::string chunk(const std::string& type, const std::string& data) {
  std::string body = type + data;
  auto crc = static_cast<std::uint32_t>(::crc32(0, reinterpret_cast<const Bytef*>(body.data()), body.size()));
  return be32(static_cast<std::uint32_t>(data.size())) + body + be32(crc);
}

// A real, valid PNG of width x height black pixels (1-bit grayscale, so the rows compress to almost nothing): a
// 20000 x 20000 one is ~50 KB and decodes to 400 million pixels (1.2 GB as the agent's 3-channel image).
std::string black_png(std::uint32_t width, std::uint32_t height) {
  std::string ihdr = be32(width) + be32(height) + std::string("\x01\x00\x00\x00\x00", 5);  // depth 1, gray
  z_stream z{};
  deflateInit(&z, Z_BEST_SPEED);
  std::string row(1 + (width + 7) / 8, '\0');  // filter byte 0 and the packed bits
  std::string out;
  std::vector<unsigned char> buf(1 << 16);
  for (std::uint32_t y = 0; y < height; ++y) {
    z.next_in = reinterpret_cast<Bytef*>(row.data());
    z.avail_in = static_cast<uInt>(row.size());
    int flush = y + 1 == height ? Z_FINISH : Z_NO_FLUSH;
    do {
      z.next_out = buf.data();
      z.avail_out = static_cast<uInt>(buf.size());
      deflate(&z, flush);
      out.append(reinterpret_cast<char*>(buf.data()), buf.size() - z.avail_out);
    } while (z.avail_out == 0);
  }
  deflateEnd(&z);
  return std::string("\x89PNG\r\n\x1a\n", 8) + chunk("IHDR", ihdr) + chunk("IDAT", out) + chunk("IEND", "");
}

// A JPEG whose frame header (SOF0) claims width x height, after an APP0 segment; the scan data is left out.
std::string jpeg_header(std::uint16_t width, std::uint16_t height) {
  std::string s("\xFF\xD8", 2);
  s += std::string("\xFF\xE0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00", 18);
  s += std::string("\xFF\xC0\x00\x11\x08", 5) + static_cast<char>(height >> 8) + static_cast<char>(height & 0xFF) +
       static_cast<char>(width >> 8) + static_cast<char>(width & 0xFF) +
       std::string("\x03\x01\x22\x00\x02\x11\x01\x03\x11\x01", 10);
  return s + std::string("\xFF\xD9", 2);
}

long rss_kib(int pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/status");
  for (std::string line; std::getline(in, line);)
    if (line.rfind("VmRSS:", 0) == 0) return std::stol(line.substr(6));
  return -1;
}

}  // namespace

TEST(ImageHeader, SizesMatchWhatOpenCvDecodes) {
  for (const char* photo : {"chelsea.png", "coffee.png"}) {
    std::string bytes = read_file(std::string(EDGEML_SHARED_DATA) + "/" + photo);
    cv::Mat m = cv::imdecode(cv::Mat(1, static_cast<int>(bytes.size()), CV_8UC1, bytes.data()), cv::IMREAD_COLOR);
    auto s = agent::read_image_size(bytes);
    EXPECT_EQ(static_cast<int>(s.width), m.cols) << photo;
    EXPECT_EQ(static_cast<int>(s.height), m.rows) << photo;
    std::vector<uchar> jpg;
    ASSERT_TRUE(cv::imencode(".jpg", m, jpg));
    auto j = agent::read_image_size(std::string(jpg.begin(), jpg.end()));
    EXPECT_EQ(static_cast<int>(j.width), m.cols);
    EXPECT_EQ(static_cast<int>(j.height), m.rows);
    std::vector<uchar> progressive;
    ASSERT_TRUE(cv::imencode(".jpg", m, progressive, {cv::IMWRITE_JPEG_PROGRESSIVE, 1}));
    EXPECT_EQ(agent::read_image_size(std::string(progressive.begin(), progressive.end())).width, j.width);
  }
  auto big = agent::read_image_size(black_png(20000, 20000));
  EXPECT_EQ(big.pixels(), 400'000'000u);
  EXPECT_EQ(agent::read_image_size(jpeg_header(30000, 20000)).height, 20000u);
  std::vector<uchar> bmp;
  ASSERT_TRUE(cv::imencode(".bmp", cv::Mat(4, 4, CV_8UC3, cv::Scalar(1, 2, 3)), bmp));
  EXPECT_THROW(agent::read_image_size(std::string(bmp.begin(), bmp.end())), FieldError) << "only PNG and JPEG";
  EXPECT_THROW(agent::read_image_size(black_png(10, 10).substr(0, 20)), FieldError) << "cut in the IHDR";
  EXPECT_THROW(agent::read_image_size(std::string("\xFF\xD8\xFF\xDA\x00\x02", 6)), FieldError) << "scan before frame";
  try {
    agent::check_image_pixels(black_png(20000, 20000), 24'000'000);
    FAIL() << "400 megapixels accepted";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::too_large);
    EXPECT_NE(std::string(e.what()).find("20000 x 20000"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("limit of 24 megapixels"), std::string::npos) << e.what();
  }
}

TEST(AgentImageLimit, HugeImagesAreRefusedBeforeDecoding) {
  TempDir dir;
  AgentProcess agent(dir.path / "state", {"--max-image-mpixels", "1"});
  ASSERT_EQ(agent.put_model("tiny", tiny_onnx(1.0f), "", "?activate=1")->status, 201);
  auto c = agent.client();

  // Under the limit: decoded and run.
  std::string small = read_file(std::string(EDGEML_SHARED_DATA) + "/chelsea.png");  // 451 x 300
  auto ok = c.Post("/infer", small, "image/png");
  ASSERT_TRUE(ok);
  EXPECT_EQ(ok->status, 200) << ok->body;

  // 20000 x 20000 in ~50 KB: refused from its header, memory unchanged.
  std::string bomb = black_png(20000, 20000);
  EXPECT_LT(bomb.size(), 400u << 10);
  long before = rss_kib(agent.pid());
  auto r = c.Post("/infer", bomb, "image/png");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 413) << r->body;
  auto j = nlohmann::json::parse(r->body);
  EXPECT_EQ(j["field"], "body");
  EXPECT_NE(j["error"].get<std::string>().find("--max-image-mpixels"), std::string::npos) << r->body;
  EXPECT_EQ(j["max_pixels"], 1000000);
  long after = rss_kib(agent.pid());
  EXPECT_LT(after - before, 50 * 1024) << "RSS went from " << before << " to " << after << " KiB";

  // 2 megapixels against a 1 megapixel limit, a real PNG: refused too; a JPEG claiming 30000 x 20000 as well.
  cv::Mat two_mp(1000, 2000, CV_8UC3, cv::Scalar(0, 0, 255));
  std::vector<uchar> png;
  ASSERT_TRUE(cv::imencode(".png", two_mp, png));
  EXPECT_EQ(c.Post("/infer", std::string(png.begin(), png.end()), "image/png")->status, 413);
  EXPECT_EQ(c.Post("/infer", jpeg_header(30000, 20000), "image/jpeg")->status, 413);

  // Another format sent as PNG is not decoded at all.
  std::vector<uchar> bmp;
  ASSERT_TRUE(cv::imencode(".bmp", cv::Mat(8, 8, CV_8UC3, cv::Scalar(1, 2, 3)), bmp));
  auto other = c.Post("/infer", std::string(bmp.begin(), bmp.end()), "image/png");
  EXPECT_EQ(other->status, 400) << other->body;
  EXPECT_EQ(agent.status()["runtime"]["state"], "running") << agent.log_tail();
}
