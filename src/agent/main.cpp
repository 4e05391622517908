// edgeml-agent: parses flags, refuses an unprotected public listener, starts the Agent and prints where it listens
// ("edgeml-agent listening on http://HOST:PORT", which tests and scripts wait for).
#include <pthread.h>

#include <csignal>
#include <cstdlib>
#include <iostream>
#include <thread>

#include "agent/agent.hpp"
#include "agent/version.hpp"
#include "common/error.hpp"
#include "common/log.hpp"

int main(int argc, char** argv) {
  using namespace edgeml::agent;
  AgentOptions options;
  try {
    options = parse_agent_options(std::vector<std::string>(argv + 1, argv + argc), std::getenv("EDGEML_AGENT_TOKEN"),
                                  std::getenv("EDGEML_AGENT_TEST_HOOK_ACTIVATION_DELAY_MS"),
                                  std::getenv("EDGEML_ENROLL_TOKEN"));
    if (options.help) {
      std::cout << agent_usage();
      return 0;
    }
    check_exposure(options);
  } catch (const edgeml::FieldError& e) {
    std::cerr << "edgeml-agent: " << e.what() << "\n";
    return 2;
  }
  // SIGTERM/SIGINT are blocked in every thread and taken by one waiter thread, which stops the server cleanly
  // (a signal handler could not safely do that).
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGTERM);
  sigaddset(&stop_signals, SIGINT);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);
  std::signal(SIGPIPE, SIG_IGN);  // a client that hangs up mid-answer is an error to handle, not a reason to die
  try {
    edgeml::SystemClock clock;
    Agent agent(options, clock);
    int port = agent.bind();
    std::thread([&agent, stop_signals] {
      int sig = 0;
      sigwait(&stop_signals, &sig);
      agent.request_stop();  // main() does the rest once serve() returns
    }).detach();
    edgeml::log::info("agent",
                      std::string("version ") + kAgentVersion + ", state " + options.state_dir.string() +
                          (options.token.empty() && options.controller_url.empty() ? ", no token (loopback only)"
                                                                                   : ", token required"));
    std::cout << "edgeml-agent listening on " << (options.tls_cert.empty() ? "http" : "https") << "://" << options.host
              << ":" << port << std::endl;
    agent.serve();
    agent.stop();
    edgeml::log::info("agent", "stopped");
    return 0;
  } catch (const std::exception& e) {
    std::cerr << "edgeml-agent: " << e.what() << "\n";
    return 1;
  }
}
