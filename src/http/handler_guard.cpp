#include "http/handler_guard.hpp"

#include "common/error.hpp"
#include "common/log.hpp"
#include "http/replies.hpp"

namespace edgeml::http {

void run_guarded(const std::string& component, Response& res, const std::function<void()>& body) {
  try {
    body();
  } catch (const Error& e) {
    if (e.kind() == ErrorKind::internal) log::error(component, std::string("internal error: ") + e.what());
    res.stream.reset();
    res.file.reset();
    reply_error(res, e);
  } catch (const std::exception& e) {
    log::error(component, std::string("internal error: ") + e.what());
    res.stream.reset();
    res.file.reset();
    reply_error(res, 500, std::string("internal error: ") + e.what());
  }
}

}  // namespace edgeml::http
