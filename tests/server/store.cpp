#include <stepsim/server/store.hpp>

#include "server/api_client.hpp"

#include <catch2/catch.hpp>

#include <filesystem>

using namespace stepsim::server;
using namespace stepsim::server::test;

namespace {

constexpr char const* pass_machine = R"({"StartAt": "P", "States": {"P": {"Type": "Pass", "End": true}}})";
constexpr char const* wait_machine = R"({"StartAt": "W", "States": {"W": {"Type": "Wait", "Seconds": 3600, "End": true}}})";

struct temp_dir {
  std::filesystem::path path;
  temp_dir() {
    path = std::filesystem::temp_directory_path() /
           ("stepsim-store-test-" + std::to_string(std::chrono::steady_clock::now().time_since_epoch().count()));
  }
  ~temp_dir() { std::filesystem::remove_all(path); }
};

}  // namespace

TEST_CASE("serve --data: machines, versions, finished executions and histories survive a restart, running ones are ABORTED",
          "[server][store]") {
  temp_dir dir;
  std::string machine, done, running;
  json::array history;
  {
    store s(dir.path);
    client c(service_options{.persistence = &s});
    machine = c.create("Kept", pass_machine);
    c.call("PublishStateMachineVersion", {{"stateMachineArn", machine}});
    done = c.start(machine, R"({"a": 1})", "done");
    c.settle();
    history = c.call("GetExecutionHistory", {{"executionArn", done}}).at("events").as_array();
    running = c.start(c.create("Slow", wait_machine), "{}", "running");
    c.describe(running);
  }
  store s(dir.path);
  client c(service_options{.persistence = &s});
  CHECK(c.call("DescribeStateMachine", {{"stateMachineArn", machine}}).at("definition") == pass_machine);
  CHECK(c.call("DescribeStateMachine", {{"stateMachineArn", machine + ":1"}}).at("name") == "Kept");
  CHECK(c.describe(done).at("status") == "SUCCEEDED");
  CHECK(c.describe(done).at("output") == R"({"a":1})");
  CHECK(c.call("GetExecutionHistory", {{"executionArn", done}}).at("events").as_array() == history);
  auto d = c.describe(running);
  CHECK(d.at("status") == "ABORTED");
  CHECK(d.at("error") == "stepsim.ServerRestarted");
  auto events = c.call("GetExecutionHistory", {{"executionArn", running}}).at("events").as_array();
  CHECK(events.back().at("type") == "ExecutionAborted");
  CHECK(c.error("StartExecution", {{"stateMachineArn", machine}, {"name", "done"}}) == "ExecutionAlreadyExists");
}

TEST_CASE("serve --data: a directory that cannot be created is a store_error naming it", "[server][store]") {
  CHECK_THROWS_AS(store("/proc/stepsim-cannot-be-here"), store_error);
}
