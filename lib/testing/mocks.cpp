#include <stepsim/testing/mocks.hpp>

#include <stepsim/engine/engine.hpp>
#include <stepsim/sim/scheduler.hpp>

#include <fmt/format.h>

#include <set>
#include <stdexcept>

namespace stepsim::testing {

namespace json = boost::json;

mock_builder& mock_builder::returns(json::value result) {
  responses_.push_back({std::move(result), {}, {}, {}, {}});
  return *this;
}

mock_builder& mock_builder::throws(std::string error, std::string cause) {
  responses_.push_back({std::nullopt, std::move(error), std::move(cause), {}, {}});
  return *this;
}

mock_builder& mock_builder::calls(std::function<json::value(call const&)> fn) {
  responses_.push_back({std::nullopt, {}, {}, std::move(fn), {}});
  return *this;
}

mock_builder& mock_builder::after(sim::duration latency) {
  if (responses_.empty()) throw std::logic_error("mock_builder::after: append a response (returns, throws, calls) first");
  responses_.back().latency = latency;
  return *this;
}

mock_builder& mock_table::state(std::string const& name) { return by_state_[name]; }

mock_builder& mock_table::resource(std::string const& pattern) {
  for (auto& [p, m] : by_resource_)
    if (p == pattern) return *m;
  by_resource_.emplace_back(pattern, std::make_unique<mock_builder>());
  return *by_resource_.back().second;
}

namespace {

/// Names of the Task states of `m`, nested ones included.
void task_states(asl::state_machine const& m, std::set<std::string, std::less<>>& out) {
  for (auto const& s : m.states()) {
    if (s.type == asl::state_type::task) out.insert(s.name);
    for (auto const& b : s.branches) task_states(*b, out);
    if (s.item_processor) task_states(*s.item_processor, out);
  }
}

}  // namespace

void mock_table::use(tasks::mock_config config, asl::state_machine const& definition, std::string const& machine,
                     std::string const& test_case, std::string const& source) {
  auto names = [](auto const& map) {
    std::string all;
    for (auto const& kv : map) all += (all.empty() ? "'" : ", '") + kv.first + "'";
    return all.empty() ? std::string("none") : all;
  };
  auto m = config.state_machines.find(machine);
  if (m == config.state_machines.end())
    throw tasks::mock_config_error(
        source, {{"/StateMachines", fmt::format("no state machine named '{}' (the file has {}); set the state "
                                                "machine's name to the one the file uses",
                                                machine, names(config.state_machines))}});
  if (!m->second.contains(test_case))
    throw tasks::mock_config_error(
        source, {{asl::pointer_append(asl::pointer_append("/StateMachines", machine), "TestCases"),
                  fmt::format("no test case named '{}' for the state machine '{}' (it has {})", test_case, machine,
                              names(m->second))}});
  std::set<std::string, std::less<>> tasks;
  task_states(definition, tasks);
  asl::diagnostics errors;
  auto const at = asl::pointer_append(asl::pointer_append(asl::pointer_append("/StateMachines", machine), "TestCases"),
                                      test_case);
  for (auto const& [state, response] : m->second.at(test_case))
    if (!tasks.contains(state))
      errors.push_back({asl::pointer_append(at, state),
                        fmt::format("the state machine '{}' has no Task state named '{}'", machine, state)});
  if (!errors.empty()) throw tasks::mock_config_error(source, std::move(errors));
  config_ = std::move(config);
  case_name_ = test_case;
  source_ = source;
  case_ = config_->find(machine, test_case);
}

tasks::mock_config::test_case const* mock_table::test_case() const noexcept { return case_; }

std::vector<call> mock_table::calls(std::string_view name) const {
  std::vector<call> out;
  for (auto const& c : calls_)
    if (c.state == name) out.push_back(c);
  return out;
}

void mock_table::reset_attempts(std::string_view execution) {
  std::erase_if(attempts_, [&](auto const& kv) { return kv.first.first == execution; });
}

namespace {

/// Completes a mocked attempt: the result, or the error thrown; for a
/// `.waitForTaskToken` Task, through the engine.
json::value settle(tasks::invocation const& inv, engine::engine* eng, std::optional<json::value> result,
                   std::string const& error, std::string const& cause) {
  if (!inv.task_token.empty() && eng) {
    if (result) eng->send_task_success(inv.task_token, std::move(*result));
    else eng->send_task_failure(inv.task_token, error, cause);
    return nullptr;
  }
  if (!result) throw tasks::task_error(error, cause);
  return std::move(*result);
}

}  // namespace

void mock_table::install(tasks::registry& target, tasks::registry const* fallback, engine::engine* eng) {
  target.add_async("*", [this, fallback, eng](tasks::invocation const& inv) -> boost::asio::awaitable<json::value> {
    auto key = std::pair{std::string(inv.execution_name), std::string(inv.state_name)};
    std::uint64_t attempt = attempts_[key]++;
    calls_.push_back(call{key.second, key.first, inv.input, attempt, inv.scheduler.now()});
    call const this_call = calls_.back();

    if (case_) {
      if (auto it = case_->find(inv.state_name); it != case_->end()) {
        auto const& response = config_->response(it->second);
        auto const* outcome = response.at(attempt);
        if (!outcome)
          throw tasks::task_error(
              "States.TaskFailed",
              fmt::format("The mocked response '{}' ({} test case '{}') has no invocation {} for the state '{}'",
                          it->second, source_, case_name_, attempt, inv.state_name));
        co_return settle(inv, eng, outcome->result, outcome->error, outcome->cause);
      }
    }

    mock_builder const* m = nullptr;
    if (auto it = by_state_.find(inv.state_name); it != by_state_.end()) m = &it->second;
    for (auto const& [pattern, rm] : by_resource_)
      if (!m && tasks::registry::matches(pattern, inv.resource)) m = rm.get();
    if (m) {
      if (m->responses_.empty())
        throw tasks::task_error("States.TaskFailed",
                                fmt::format("The mock for the state '{}' has no response: give it returns(...), "
                                            "throws(...) or calls(...)",
                                            inv.state_name));
      auto const& r = m->responses_[std::min<std::size_t>(attempt, m->responses_.size() - 1)];
      if (r.latency > sim::duration::zero()) co_await inv.scheduler.sleep(r.latency);
      if (r.fn) co_return settle(inv, eng, r.fn(this_call), {}, {});
      co_return settle(inv, eng, r.result, r.error, r.cause);
    }

    if (auto const* entry = fallback ? fallback->find(inv.resource) : nullptr) {
      if (entry->async) co_return co_await entry->async(inv);
      if (entry->sync) co_return entry->sync(inv.input);
      co_return entry->consuming(inv.input);
    }
    throw tasks::task_error(
        "States.TaskFailed",
        fmt::format("No mock or handler for the Task state '{}' (resource '{}'): mock it with wf.mock(\"{}\"), "
                    "name it in the MockConfigFile test case, or register a handler",
                    inv.state_name, inv.resource, inv.state_name));
  });
}

}  // namespace stepsim::testing
