#pragma once
// libmosquitto's process-wide init, once, before the first client (thread-safe).
namespace edgeml::mqtt {
void ensure_library();
}
