#include "agent/model_manager.hpp"

#include <filesystem>
#include <thread>

#include "common/error.hpp"
#include "common/log.hpp"
#include "common/sha256.hpp"

namespace edgeml::agent {

namespace {
std::string label(const ModelRef& r) { return r.name + "@" + r.sha256.substr(0, 12); }

struct ActivatingFlag {
  std::atomic<bool>& flag;
  explicit ActivatingFlag(std::atomic<bool>& f) : flag(f) { flag = true; }
  ~ActivatingFlag() { flag = false; }
};
}  // namespace

ModelManager::ModelManager(ModelStore& store, ModelHost& host, const Clock& clock, double activation_test_delay_s)
    : store_(store), host_(host), clock_(clock), test_delay_s_(activation_test_delay_s) {}

std::shared_ptr<LoadedModel> ModelManager::verify_and_prepare(const ModelRef& ref) const {
  auto file = store_.path_of(ref);
  if (!std::filesystem::exists(file))
    throw Error(ErrorKind::unprocessable,
                "model file of " + label(ref) + " is missing from the store (" + file.string() + ")");
  // The store only holds verified files, but a disk can still rot or a person can edit a file: check again.
  auto actual = sha256_file(file);
  if (actual != ref.sha256)
    throw Error(ErrorKind::unprocessable, "stored file of " + label(ref) + " is damaged: its sha256 is now " + actual);
  return host_.prepare(ref, file);
}

void ModelManager::restore() {
  std::lock_guard lock(activation_mu_);
  std::lock_guard state_lock(state_mu_);  // nothing else runs yet; held for simplicity
  try {
    state_ = load_agent_state(store_.state_file());
  } catch (const std::exception& e) {
    // Keep the damaged file for a person to look at, and start empty rather than refuse to run at all.
    auto aside = store_.state_file();
    aside += ".damaged";
    std::error_code ec;
    std::filesystem::rename(store_.state_file(), aside, ec);
    log::error("agent", std::string(e.what()) + "; moved aside to " + aside.string() + ", starting with no model");
    state_ = AgentState{};
  }
  for (bool first : {true, false}) {
    auto candidate = first ? state_.active : state_.previous;
    if (!candidate) continue;
    try {
      auto prepared = verify_and_prepare(*candidate);
      double since = first ? state_.active_since_s : clock_.now_s();
      host_.swap_in(prepared, since);
      if (!first) {  // the active model no longer loads: the previous one takes over, durably
        state_.active = candidate;
        state_.active_since_s = since;
        state_.previous.reset();
        state_.record({since, "restored_previous", candidate->name, candidate->sha256, ""});
        save_agent_state(store_.state_file(), state_);
      }
      log::info("agent", "restored active model " + label(*candidate));
      return;
    } catch (const std::exception& e) {
      last_failure_ = ActivationFailure{clock_.now_s(), candidate->name, candidate->sha256,
                                        std::string("restore at start failed: ") + e.what()};
      log::error("agent", last_failure_->reason);
    }
  }
}

ModelRef ModelManager::activate(const std::string& name, const std::string& sha256, const std::string& event) {
  auto ref = store_.find(name, sha256);
  if (!ref) throw NotFoundError("no stored model " + name + " with sha256 " + sha256);
  std::lock_guard lock(activation_mu_);
  return activate_locked(*ref, event);
}

ModelRef ModelManager::rollback() {
  std::lock_guard lock(activation_mu_);
  if (!state_.previous) throw Error(ErrorKind::conflict, "no previous model to roll back to");
  const ModelRef previous = *state_.previous;  // a copy: activation replaces state_, and with it state_.previous
  return activate_locked(previous, "rolled_back");
}

ModelRef ModelManager::activate_locked(const ModelRef& ref, const std::string& event) {
  ActivatingFlag busy(activating_);
  log::info("agent", "activating " + label(ref));
  try {
    auto prepared = verify_and_prepare(ref);
    if (test_delay_s_ > 0) {
      log::warn("agent", "TEST HOOK: sleeping inside activation before the state write");
      std::this_thread::sleep_for(std::chrono::duration<double>(test_delay_s_));
    }
    AgentState next = state_;
    double now = clock_.now_s();
    if (!(state_.active && state_.active->same_version(ref))) next.previous = state_.active;
    next.active = ref;
    next.active_since_s = now;
    next.record({now, event, ref.name, ref.sha256, ""});
    try {
      save_agent_state(store_.state_file(), next);
    } catch (const std::exception& e) {
      throw Error(ErrorKind::insufficient_storage,
                  std::string("could not save the agent state, so the model was not switched: ") + e.what());
    }
    host_.swap_in(prepared, now);
    std::lock_guard state_lock(state_mu_);
    state_ = std::move(next);
    last_failure_.reset();
  } catch (const Error& e) {
    if (e.kind() == ErrorKind::bad_field || e.kind() == ErrorKind::not_found) throw;
    record_failure_locked(ref, event, e.what());
    std::string kept = state_.active ? label(*state_.active) + " stays active" : "no model is active";
    throw Error(
        e.kind() == ErrorKind::insufficient_storage ? ErrorKind::insufficient_storage : ErrorKind::unprocessable,
        std::string(e.what()) + "; " + kept);
  }
  std::set<std::string> keep{state_.active->sha256};
  if (state_.previous && state_.previous->name == ref.name) keep.insert(state_.previous->sha256);
  for (const auto& r : store_.prune(ref.name, keep)) log::info("agent", "pruned old version " + label(r));
  log::info("agent", "active model is now " + label(ref));
  return ref;
}

void ModelManager::record_failure_locked(const ModelRef& ref, const std::string& event, const std::string& reason) {
  double now = clock_.now_s();
  {
    std::lock_guard state_lock(state_mu_);
    last_failure_ = ActivationFailure{now, ref.name, ref.sha256, reason};
  }
  log::error("agent", "activation of " + label(ref) + " failed: " + reason);
  AgentState next = state_;
  next.record({now, event == "rolled_back" ? "rollback_failed" : "activation_failed", ref.name, ref.sha256, reason});
  try {
    save_agent_state(store_.state_file(), next);  // best effort: the history is useful, not essential
    std::lock_guard state_lock(state_mu_);
    state_ = std::move(next);
  } catch (const std::exception&) {
  }
}

AgentState ModelManager::state() const {
  std::lock_guard lock(state_mu_);
  return state_;
}

std::optional<ActivationFailure> ModelManager::last_failure() const {
  std::lock_guard lock(state_mu_);
  return last_failure_;
}

}  // namespace edgeml::agent
