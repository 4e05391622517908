#pragma once
// A real edgeml-controller process on 127.0.0.1 (free port), loaded with the real benchmark files, shared by every
// test of one test process. Built on deploy_support (one way to start services in tests): its own state folder per
// process, trained predictors reused from the cache.
#include <gtest/gtest.h>
#include <httplib.h>

#include <memory>
#include <nlohmann/json.hpp>

#include "deploy_support.hpp"

namespace edgeml::testing {

using JsonReply = deploy_test::Reply;

class ControllerEnv {
 public:
  static ControllerEnv& get();  // starts once per test binary
  const deploy_test::Service& service() const { return *service_; }
  httplib::Client client() const { return service_->client(); }

 private:
  ControllerEnv();
  std::unique_ptr<deploy_test::Service> service_;
};

JsonReply get_json(const std::string& path);
// The body is sent as given (bad-input tests send malformed JSON on purpose).
JsonReply post_json(const std::string& path, const std::string& body);

}  // namespace edgeml::testing
