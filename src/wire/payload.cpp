#include "wire/payload.hpp"

#include "common/error.hpp"
#include "wire/protocol_error.hpp"

namespace edgeml::wire {

void check_version(const nlohmann::json& m) {
  auto it = m.find("v");
  if (it == m.end() || it->is_null()) throw FieldError("v", "missing required field 'v' (the message version)");
  if (!it->is_number_integer() || it->get<long long>() != kWireVersion) {
    // A number is shown as sent; anything else by its type (dumping a hostile nested value could recurse deeply).
    std::string got = it->is_number() ? it->dump().substr(0, 32) : std::string("a JSON ") + it->type_name();
    throw ProtocolError(
        Refusal::unknown_version, "v",
        "message version " + got + " is not supported (this build reads " + std::to_string(kWireVersion) + ")");
  }
}

nlohmann::json parse_message(std::string_view bytes, std::size_t max_bytes) {
  if (bytes.size() > max_bytes)
    throw ProtocolError(Refusal::oversized, "payload",
                        "payload of " + std::to_string(bytes.size()) + " bytes is over the limit of " +
                            std::to_string(max_bytes) + " bytes");
  nlohmann::json m;
  try {
    m = nlohmann::json::parse(bytes);
  } catch (const nlohmann::json::exception& e) {
    throw FieldError("payload", std::string("malformed JSON: ") + e.what());
  }
  if (!m.is_object()) throw FieldError("payload", "a message must be a JSON object");
  check_version(m);
  return m;
}

}  // namespace edgeml::wire
