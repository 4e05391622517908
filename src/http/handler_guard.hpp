#pragma once
// The one place where an exception thrown by a route handler becomes an HTTP answer: an edgeml::Error by its kind
// (http/error_status.hpp), anything else as 500 (logged). A handler never takes the server down.
#include <functional>
#include <string>

#include "http/response.hpp"

namespace edgeml::http {

void run_guarded(const std::string& component, Response& res, const std::function<void()>& body);

}  // namespace edgeml::http
