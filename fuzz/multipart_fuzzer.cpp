// The streaming multipart/form-data parser (src/http/multipart) as the upload routes drive it: the boundary taken
// from the request's Content-Type (MultipartParser::boundary_of), then the body fed in the pieces the network
// happened to deliver.
//
// Input, three parts:
//   line 1    the Content-Type header value, e.g. "multipart/form-data; boundary=XyZ"
//   line 2    the sizes of the pieces the body arrives in, decimal, separated by anything else, used in turn
//             (e.g. "1 7 300"); an empty line means one piece
//   the rest  the body
//
// Promises checked: malformed input is a FieldError("body") and nothing else; bounded (at most 64 parts, and the
// parser never reports more data than it was given); and the outcome does not depend on how the body was cut:
// the same parts, the same bytes of each, and the same error as when the body arrives in one piece.
#include <charconv>
#include <string>
#include <vector>

#include "common/error.hpp"
#include "fuzz_support.hpp"
#include "http/multipart.hpp"

namespace {

using edgeml::fuzz::expect;

// What a route would see: each part's header fields and its bytes, then how the body ended.
struct Outcome {
  std::vector<std::string> parts;  // "name|filename|content_type|data"
  std::string ending;              // "complete", or the error
  size_t data_bytes = 0;
  bool operator==(const Outcome&) const = default;
};

Outcome parse(const std::string& boundary, std::string_view body, const std::vector<size_t>& pieces) {
  Outcome out;
  bool open = false;
  edgeml::http::MultipartCallbacks cb;
  cb.begin = [&](const edgeml::http::MultipartPart& p) {
    expect(!open, "a part began before the previous one ended");
    open = true;
    out.parts.push_back(p.name + "|" + p.filename + "|" + p.content_type + "|");
  };
  cb.data = [&](const char* d, size_t n) {
    expect(open, "data outside a part");
    expect(n > 0, "an empty data callback");
    out.parts.back().append(d, n);
    out.data_bytes += n;
  };
  cb.end = [&] {
    expect(open, "a part ended that never began");
    open = false;
  };
  edgeml::http::MultipartParser parser(boundary, cb);
  try {
    size_t at = 0, k = 0;
    while (at < body.size()) {
      size_t n = pieces.empty() ? body.size() : std::min(pieces[k++ % pieces.size()], body.size() - at);
      parser.feed(body.data() + at, n);
      at += n;
    }
    parser.finish();
    out.ending = "complete";
    expect(!open, "finish() accepted a body whose last part never ended");
  } catch (const edgeml::FieldError& e) {
    expect(e.field() == "body", "a multipart error names field '" + e.field() + "', not 'body'");
    out.ending = e.what();
  } catch (const std::exception& e) {
    edgeml::fuzz::undocumented(e, "MultipartParser");
  }
  expect(out.parts.size() <= 64, "more than 64 parts were reported");
  expect(out.data_bytes <= body.size(), "more part data than body bytes");
  return out;
}

std::vector<size_t> piece_sizes(std::string_view line) {
  std::vector<size_t> out;
  const char* p = line.data();
  const char* end = line.data() + line.size();
  while (p < end && out.size() < 64) {
    if (*p < '0' || *p > '9') {
      ++p;
      continue;
    }
    size_t v = 0;
    auto r = std::from_chars(p, end, v);
    p = r.ptr;
    if (r.ec == std::errc() && v > 0) out.push_back(v);
  }
  return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view rest = edgeml::fuzz::as_text(data, size);
  const std::string content_type(edgeml::fuzz::take_line(rest));
  const auto pieces = piece_sizes(edgeml::fuzz::take_line(rest));
  const std::string_view body = rest;

  auto boundary = edgeml::http::MultipartParser::boundary_of(content_type);
  if (!boundary) return 0;  // the route answers 400 before any parsing
  expect(!boundary->empty() && boundary->size() <= 70,
         "boundary_of gave a boundary of " + std::to_string(boundary->size()) + " characters");

  const Outcome whole = parse(*boundary, body, {});
  edgeml::fuzz::note(std::to_string(whole.parts.size()) + " parts, " + std::to_string(whole.data_bytes) +
                     " data bytes, " + whole.ending);
  if (!pieces.empty()) {
    const Outcome cut = parse(*boundary, body, pieces);
    expect(cut == whole, "the body cut in pieces parses differently from the whole body: '" + cut.ending + "' (" +
                             std::to_string(cut.parts.size()) + " parts) vs '" + whole.ending + "' (" +
                             std::to_string(whole.parts.size()) + " parts)");
  }
  return 0;
}
