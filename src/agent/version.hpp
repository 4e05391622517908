#pragma once
namespace edgeml::agent {
inline constexpr const char* kAgentVersion = "0.1.0";
}
