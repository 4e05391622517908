// edgeml fetch NAME [--url URL | --source NAME=TEMPLATE...] [--sha256 HEX] [--out DIR] [--attempts N]
//                   [--stall-timeout S]
// Downloads a model (libcurl: progress, resume of a cut transfer, checksum, retries with backoff) to
// DIR/NAME.<ext for its format>. Without a URL or when no source has it, the zoo builds the architecture
// ("generated, placeholder weights").
#include <cstdio>
#include <filesystem>

#include "common/error.hpp"
#include "common/files.hpp"
#include "common/sha256.hpp"
#include "common/strings.hpp"
#include "fetch/downloader.hpp"
#include "fetch/model_sources.hpp"
#include "onnx/model_format.hpp"
#include "onnx/zoo.hpp"
#include "tool/command.hpp"

namespace {

namespace fs = std::filesystem;

void usage() {
  std::fprintf(stderr,
               "usage: edgeml fetch NAME [--url URL | --source NAME=URL_TEMPLATE...] [--sha256 HEX] [--out DIR]\n"
               "                    [--attempts N] [--stall-timeout S]\n"
               "  Downloads NAME to DIR/NAME.<ext> (ext from the file's content). A cut download resumes where it\n"
               "  stopped; a sha256 mismatch deletes the file. {name} in a source template is the model name. When\n"
               "  no URL or source has it, a zoo architecture is generated with placeholder weights.\n");
}

std::string extension_for(const fs::path& file) {
  std::string head = edgeml::read_file(file).substr(0, 1 << 20);
  switch (edgeml::onnx::detect_format(head)) {
    case edgeml::onnx::ModelFormat::onnx:
      return ".onnx";
    case edgeml::onnx::ModelFormat::tflite:
      return ".tflite";
    case edgeml::onnx::ModelFormat::pytorch:
      return ".pt";
    default:
      return ".bin";
  }
}

int run_fetch(const edgeml::tool::Args& args) {
  using namespace edgeml;
  tool::Flags flags(args, {"--url", "--source", "--sha256", "--out", "--attempts", "--stall-timeout"}, {"--help"});
  if (flags.has("--help")) {
    usage();
    return 0;
  }
  if (flags.positional().size() != 1) {
    usage();
    return 2;
  }
  std::string name = flags.positional()[0];
  for (char c : name)
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '_' || c == '-'))
      throw FieldError("NAME", "NAME may only contain letters, digits, '.', '_' and '-'");
  fs::path out = flags.get("--out", ".");
  fs::create_directories(out);
  fetch::DownloadOptions options;
  if (flags.has("--sha256")) {
    if (!is_sha256_hex(flags.get("--sha256"))) throw FieldError("--sha256", "--sha256 must be 64 hex digits");
    options.sha256 = to_lower(flags.get("--sha256"));
  }
  options.attempts = static_cast<int>(flags.number("--attempts", 4));
  if (options.attempts < 1 || options.attempts > 100) throw FieldError("--attempts", "--attempts must be 1-100");
  options.stall_timeout_s = static_cast<long>(flags.number("--stall-timeout", 30));
  if (options.stall_timeout_s < 1) throw FieldError("--stall-timeout", "--stall-timeout must be >= 1");
  options.on_progress = fetch::stderr_progress("fetch " + name);

  std::vector<fetch::ModelSource> sources;
  if (flags.has("--url")) sources.push_back({"url", flags.get("--url")});
  for (const auto& s : flags.all("--source")) sources.push_back(fetch::parse_model_source(s, "--source"));

  fs::path partial = out / (name + ".download");
  std::vector<std::string> errors;
  try {
    auto got = fetch::fetch_from_sources(sources, name, partial, options, &errors);
    if (got) {
      fs::path final_path = out / (name + extension_for(partial));
      fs::rename(partial, final_path);
      std::printf("%s\t%s\t%llu bytes\tsha256 %s\tfrom %s%s\n", name.c_str(), final_path.c_str(),
                  static_cast<unsigned long long>(got->download.bytes), got->download.sha256.c_str(), got->url.c_str(),
                  got->download.resumed_from
                      ? (" (resumed at byte " + std::to_string(got->download.resumed_from) + ")").c_str()
                      : "");
      return 0;
    }
  } catch (const fetch::DownloadError& e) {
    std::fprintf(stderr, "edgeml fetch: %s\n", e.what());
    return 1;
  }
  for (const auto& e : errors) std::fprintf(stderr, "edgeml fetch: %s\n", e.c_str());
  if (!errors.empty()) return 1;  // a source had it but it could not be fetched correctly: do not fall back silently
  if (!onnx::zoo_has(name)) {
    std::fprintf(stderr, "edgeml fetch: no source has '%s' and the zoo does not know it\n", name.c_str());
    return 1;
  }
  fs::path final_path = out / (name + ".onnx");
  onnx::zoo_write(name, final_path);
  std::string sha = sha256_file(final_path);
  if (options.sha256 && *options.sha256 != sha) {
    fs::remove(final_path);
    std::fprintf(stderr, "edgeml fetch: generated %s has sha256 %s, not the expected one (file deleted)\n",
                 name.c_str(), sha.c_str());
    return 1;
  }
  std::printf("%s\t%s\t%llu bytes\tsha256 %s\tgenerated, placeholder weights\n", name.c_str(), final_path.c_str(),
              static_cast<unsigned long long>(fs::file_size(final_path)), sha.c_str());
  return 0;
}

edgeml::tool::Registrar reg{"fetch", "download a model (resume, checksum, retries) or generate it from the zoo",
                            run_fetch};

}  // namespace
