#pragma once
// The one place where an error kind becomes an HTTP status (issue 15: no status numbers thrown by libraries, no status
// chosen by matching message text).
#include "common/error.hpp"

namespace edgeml::http {

int status_of(ErrorKind kind);
// The kind an HTTP status means when a service we call answers with it (agent, Balena, downloads).
ErrorKind kind_of_status(int status);

}  // namespace edgeml::http
