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

TEST_CASE("serve --data: aliases, activities and tags survive a restart, and deleted ones stay deleted", "[server][store]") {
  temp_dir dir;
  std::string machine, alias, gone_alias, activity, gone_activity, dropped;
  {
    store s(dir.path);
    client c(service_options{.persistence = &s});
    machine = c.create("Routed", pass_machine);
    auto v1 = c.call("PublishStateMachineVersion", {{"stateMachineArn", machine}}).at("stateMachineVersionArn");
    json::array routing{json::object{{"stateMachineVersionArn", v1}, {"weight", 100}}};
    alias = std::string(c.call("CreateStateMachineAlias", {{"name", "live"}, {"description", "first"}, {"routingConfiguration", routing}})
                            .at("stateMachineAliasArn")
                            .as_string());
    c.call("UpdateStateMachineAlias", {{"stateMachineAliasArn", alias}, {"description", "second"}});
    gone_alias = std::string(c.call("CreateStateMachineAlias", {{"name", "old"}, {"routingConfiguration", routing}})
                                 .at("stateMachineAliasArn")
                                 .as_string());
    c.call("DeleteStateMachineAlias", {{"stateMachineAliasArn", gone_alias}});
    activity = std::string(c.call("CreateActivity", {{"name", "Work"}, {"tags", json::array{json::object{{"key", "team"}, {"value", "a"}}}}})
                               .at("activityArn")
                               .as_string());
    gone_activity = std::string(c.call("CreateActivity", {{"name", "Gone"}}).at("activityArn").as_string());
    c.call("DeleteActivity", {{"activityArn", gone_activity}});
    c.call("TagResource", {{"resourceArn", machine},
                           {"tags", json::array{json::object{{"key", "k1"}, {"value", "v1"}}, json::object{{"key", "k2"}, {"value", "v2"}}}}});
    c.call("UntagResource", {{"resourceArn", machine}, {"tagKeys", json::array{"k1"}}});
    // A machine deleted with its alias and tags: none of them comes back.
    dropped = c.create("Dropped", pass_machine);
    c.call("TagResource", {{"resourceArn", dropped}, {"tags", json::array{json::object{{"key", "x"}, {"value", "y"}}}}});
    c.call("DeleteStateMachine", {{"stateMachineArn", dropped}});
  }
  store s(dir.path);
  client c(service_options{.persistence = &s});
  auto a = c.call("DescribeStateMachineAlias", {{"stateMachineAliasArn", alias}});
  CHECK(a.at("name") == "live");
  CHECK(a.at("description") == "second");
  CHECK(a.at("routingConfiguration").as_array().at(0).at("stateMachineVersionArn").as_string() == machine + ":1");
  CHECK(c.error("DescribeStateMachineAlias", {{"stateMachineAliasArn", gone_alias}}) == "ResourceNotFound");
  CHECK(c.call("DescribeActivity", {{"activityArn", activity}}).at("name") == "Work");
  CHECK(c.error("DescribeActivity", {{"activityArn", gone_activity}}) == "ActivityDoesNotExist");
  CHECK(c.call("ListActivities").at("activities").as_array().size() == 1);
  CHECK(json::serialize(c.call("ListTagsForResource", {{"resourceArn", activity}}).at("tags")) == R"([{"key":"team","value":"a"}])");
  CHECK(json::serialize(c.call("ListTagsForResource", {{"resourceArn", machine}}).at("tags")) == R"([{"key":"k2","value":"v2"}])");
  // An execution started on the alias after the restart is routed by it.
  auto exec = c.call("StartExecution", {{"stateMachineArn", alias}, {"input", "{}"}}).at("executionArn");
  CHECK(c.describe(std::string(exec.as_string())).at("stateMachineAliasArn").as_string() == alias);
  // The dropped machine's name is free again, with no tags.
  auto again = c.create("Dropped", pass_machine);
  CHECK(c.call("ListTagsForResource", {{"resourceArn", again}}).at("tags").as_array().empty());
}
