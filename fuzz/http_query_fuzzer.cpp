// What the HTTP layer reads out of a request line and its headers before a route runs, and the strict readers the
// routes call on it (src/http/request, query, byte_range): percent-decoding of the path, the query string split
// into decoded pairs, query_number / query_int / query_bool / query_string and path_id on every parameter, and a
// "Range: bytes=..." header against a file.
//
// Input, three lines:
//   line 1    the request target: path, then '?' and the query string (e.g. "/api/models/7?limit=5&q=mobile%20net")
//   line 2    the Range header value (e.g. "bytes=100-199")
//   line 3    the size of the file the range is asked of, decimal
//
// Promises checked: decoding and parsing never throw (malformed is nullopt); a decoded text is never longer than its
// encoding; what parse_query gives, percent-encoded again, parses back to the same pairs; the strict readers refuse
// only with FieldError / NotFoundError; a byte range is inside the file or refused with range_not_satisfiable.
#include <charconv>
#include <cstdint>
#include <string>

#include "common/error.hpp"
#include "fuzz_support.hpp"
#include "http/byte_range.hpp"
#include "http/query.hpp"
#include "http/request.hpp"

namespace {

using edgeml::fuzz::expect;

void read_every_parameter(const edgeml::http::Request& req) {
  for (const auto& parameter : req.query) {
    const std::string &name = parameter.first,
                      &value = parameter.second;  // (clang 14: lambdas cannot capture bindings)
    // Each reader as routes use them, with ranges routes use (limit, offset, energy budgets, ids, flags).
    auto guarded = [&](auto&& read) {
      try {
        read();
      } catch (const edgeml::Error& e) {
        expect(e.kind() == edgeml::ErrorKind::bad_field || e.kind() == edgeml::ErrorKind::not_found,
               std::string("a query reader failed with kind ") + edgeml::to_string(e.kind()));
      } catch (const std::exception& e) {
        edgeml::fuzz::undocumented(e, "a query reader");
      }
    };
    guarded([&] { (void)edgeml::http::query_string(req, name); });
    guarded([&] {
      if (auto v = edgeml::http::query_number(req, name, {0, 1e12}))
        expect(*v >= 0 && *v <= 1e12, "query_number outside its range");
    });
    guarded([&] {
      if (auto v = edgeml::http::query_int(req, name, 1, 1000)) expect(*v >= 1 && *v <= 1000, "query_int range");
    });
    guarded([&] { (void)edgeml::http::query_bool(req, name); });
    guarded([&] {
      edgeml::http::Request with_id;
      with_id.params["id"] = value;
      long long id = edgeml::http::path_id(with_id, "id", "device");
      expect(id >= 1 && id <= (1LL << 53), "path_id outside 1..2^53");
    });
  }
}

void check_query(std::string_view query) {
  auto pairs = edgeml::http::parse_query(query);
  if (!pairs) return;
  std::string again;
  for (const auto& [k, v] : *pairs) {
    expect(k.size() <= query.size() && v.size() <= query.size(), "a decoded query part longer than the query");
    again += (again.empty() ? "" : "&") + edgeml::http::percent_encode(k) + "=" + edgeml::http::percent_encode(v);
  }
  auto back = edgeml::http::parse_query(again);
  expect(back && *back == *pairs, "parse_query(percent_encode(pairs)) is not the same pairs: '" + again + "'");

  edgeml::http::Request req;
  req.query = std::move(*pairs);
  read_every_parameter(req);
}

void check_range(const std::string& header, std::uint64_t size) {
  try {
    auto slice = edgeml::http::parse_byte_range(header, size);
    if (slice)
      expect(slice->first <= slice->last && slice->last < size, "range " + std::to_string(slice->first) + "-" +
                                                                    std::to_string(slice->last) + " of a file of " +
                                                                    std::to_string(size) + " bytes");
  } catch (const edgeml::Error& e) {
    expect(e.kind() == edgeml::ErrorKind::range_not_satisfiable,
           std::string("parse_byte_range failed with kind ") + edgeml::to_string(e.kind()));
  } catch (const std::exception& e) {
    edgeml::fuzz::undocumented(e, "parse_byte_range");
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view rest = edgeml::fuzz::as_text(data, size);
  const std::string_view target = edgeml::fuzz::take_line(rest);
  const std::string range(edgeml::fuzz::take_line(rest));
  const std::string_view size_line = edgeml::fuzz::take_line(rest);

  const size_t q = target.find('?');
  const std::string_view path = target.substr(0, q);
  for (bool plus_is_space : {false, true}) {
    auto decoded = edgeml::http::percent_decode(path, plus_is_space);
    if (decoded) expect(decoded->size() <= path.size(), "a decoded path longer than its encoding");
  }
  check_query(q == std::string_view::npos ? std::string_view() : target.substr(q + 1));

  std::uint64_t file_size = 0;
  std::from_chars(size_line.data(), size_line.data() + size_line.size(), file_size);
  check_range(range, file_size);
  return 0;
}
