#pragma once
// A real edgeml-controller process on 127.0.0.1 (free port), loaded with the real benchmark files, shared by every
// test of a suite (starting it trains or loads the predictors, which takes a moment).
#include <gtest/gtest.h>
#include <httplib.h>

#include <memory>
#include <nlohmann/json.hpp>

#include "child_process.hpp"

namespace edgeml::testing {

class ControllerEnv {
 public:
  static ControllerEnv& get();  // starts once per test binary
  httplib::Client client() const;
  int port() const { return port_; }
  std::string state_dir() const { return state_; }

 private:
  ControllerEnv();
  std::unique_ptr<ChildProcess> proc_;
  std::string state_;
  int port_ = 0;
};

struct JsonReply {
  int status = 0;
  nlohmann::json body;
  std::string raw;
};
JsonReply get_json(const std::string& path);
JsonReply post_json(const std::string& path, const std::string& body);

}  // namespace edgeml::testing
