// execution::redrive: AWS's RedriveExecution, and execution::redrivability's rules.
#include "engine/harness.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <map>
#include <set>

using stepsim::engine::execution_options;
using stepsim::engine::execution_status;
using stepsim::engine::history_level;
using stepsim::engine::redrive_status;
using stepsim::test::t0;
using stepsim::test::types;
namespace json = boost::json;
namespace asl = stepsim::asl;
namespace engine = stepsim::engine;
using namespace std::chrono_literals;

namespace {

execution_options kept() {
  execution_options o;
  o.history = history_level::full;
  o.redrivable = true;
  return o;
}

/// An engine whose "flaky" Task fails (error Broken) while `broken` holds the
/// input's "id"; every Task call is counted by id, and its input remembered.
struct bench {
  stepsim::test::harness h;
  std::set<std::string> broken;
  std::map<std::string, int> calls;
  std::map<std::string, json::value> inputs;
  std::unique_ptr<engine::engine> eng;

  bench() {
    h.tasks.add("arn:aws:states:::flaky", [this](json::value const& in) -> json::value {
      std::string id = in.is_object() && in.as_object().contains("id") ? json::serialize(in.at("id")) : "?";
      ++calls[id];
      inputs[id] = in;
      if (broken.count(id)) throw stepsim::tasks::task_error("Broken", "id " + id + " is broken");
      return json::object{{"done", in.at("id")}};
    });
    eng = std::make_unique<engine::engine>(h.sched, h.tasks);
  }
  std::shared_ptr<engine::execution> start(std::string_view definition, std::string_view input = "{}",
                                           execution_options o = kept()) {
    auto ex = eng->start(asl::parse_or_throw(definition), json::parse(input), std::move(o));
    h.sched.run();
    return ex;
  }
};

long count_of(std::vector<engine::history_event> const& events, std::string const& type) {
  return std::count_if(events.begin(), events.end(), [&](auto const& e) { return e.type == type; });
}

std::vector<std::string> after_redrive(std::vector<engine::history_event> const& events) {
  auto all = types(events);
  auto at = std::find(all.begin(), all.end(), "ExecutionRedriven");
  return {at, all.end()};
}

std::string const pass_task_pass = R"({"StartAt": "Prepare", "States": {
    "Prepare": {"Type": "Task", "Resource": "arn:aws:states:::flaky", "Parameters": {"id": "prepare"},
                "Assign": {"seen": "yes"}, "ResultPath": "$.prepared", "Next": "Work"},
    "Work": {"Type": "Task", "Resource": "arn:aws:states:::flaky",
             "Parameters": {"id": "work", "seen.$": "$seen", "from.$": "$.prepared", "redrives.$": "$$.Execution.RedriveCount"},
             "Next": "Finish"},
    "Finish": {"Type": "Pass", "End": true}}})";

}  // namespace

TEST_CASE("redrive continues a failed execution from the failed state, with its input and variables",
          "[engine][redrive]") {
  bench b;
  b.broken.insert("\"work\"");
  auto ex = b.start(pass_task_pass);
  REQUIRE(ex->result().status == execution_status::failed);
  CHECK(ex->result().redrive == redrive_status::redrivable);
  CHECK(ex->redrivability().redrivable());
  auto const arn = ex->result().execution_arn;
  auto const first_input = b.inputs["\"work\""];
  CHECK(first_input.at("redrives") == 0);

  b.broken.clear();
  b.h.sched.run_until(t0 + 1h);
  auto e = ex->redrive();
  REQUIRE(e.redrivable());
  CHECK(ex->result().status == execution_status::running);
  CHECK(ex->result().redrive_count == 1);
  CHECK(ex->result().redrive_date == t0 + 1h);
  CHECK(ex->redrivability().reason == "Execution is RUNNING and cannot be redriven");
  b.h.sched.run();

  auto const& r = ex->result();
  INFO(r.cause.value_or(""));
  REQUIRE(r.succeeded());
  CHECK(r.execution_arn == arn);
  CHECK(b.calls["\"prepare\""] == 1);  // succeeded: not run again
  CHECK(b.calls["\"work\""] == 2);
  // The same input (the variable and the earlier state's result included); RedriveCount as $$ shows it.
  auto again = b.inputs["\"work\""].as_object();
  CHECK(again.at("redrives") == 1);
  again["redrives"] = 0;
  CHECK(json::value(again) == first_input);
  CHECK(r.path == std::vector<std::string>{"Prepare", "Work", "Work", "Finish"});
  CHECK(after_redrive(r.events) == std::vector<std::string>{"ExecutionRedriven", "TaskStateEntered", "TaskScheduled",
                                                            "TaskStarted", "TaskSucceeded", "TaskStateExited",
                                                            "PassStateEntered", "PassStateExited",
                                                            "ExecutionSucceeded"});
  auto redriven = std::find_if(r.events.begin(), r.events.end(), [](auto const& ev) { return ev.type == "ExecutionRedriven"; });
  CHECK(redriven->details_key == "executionRedrivenEventDetails");
  CHECK(redriven->details == json::object{{"redriveCount", 1}});
  CHECK(redriven->timestamp == t0 + 1h);
  CHECK(redriven->previous_event_id == redriven->id - 1);
  CHECK(types(r.events)[std::size_t(redriven->id - 2)] == "ExecutionFailed");
  // Event ids go on from the first attempt's.
  for (std::size_t i = 0; i < r.events.size(); ++i) CHECK(r.events[i].id == std::int64_t(i + 1));
  CHECK(r.event_count == std::int64_t(r.events.size()));
  CHECK(r.redrive == redrive_status::not_redrivable);
  CHECK(r.redrive_status_reason == "Execution is SUCCEEDED and cannot be redriven");

  auto d = r.describe();
  CHECK(d.at("redriveCount") == 1);
  CHECK(d.at("redriveStatus") == "NOT_REDRIVABLE");
  CHECK(d.at("redriveStatusReason") == "Execution is SUCCEEDED and cannot be redriven");
  CHECK(d.at("redriveDate") == "2024-01-01T01:00:00.000Z");
}

TEST_CASE("An execution that fails again can be redriven again: redriveCount counts", "[engine][redrive]") {
  bench b;
  b.broken.insert("\"work\"");
  auto ex = b.start(pass_task_pass);
  REQUIRE(ex->redrive().redrivable());
  b.h.sched.run();
  CHECK(ex->result().status == execution_status::failed);
  CHECK(ex->result().redrive_count == 1);
  CHECK(ex->result().redrive == redrive_status::redrivable);
  b.broken.clear();
  REQUIRE(ex->redrive().redrivable());
  b.h.sched.run();
  CHECK(ex->result().succeeded());
  CHECK(ex->result().redrive_count == 2);
  CHECK(b.calls["\"work\""] == 3);
  CHECK(b.calls["\"prepare\""] == 1);
  CHECK(ex->result().events[std::size_t(ex->result().event_count - 1)].type == "ExecutionSucceeded");
  int redrives = 0;
  for (auto const& ev : ex->result().events)
    if (ev.type == "ExecutionRedriven") CHECK(ev.details.at("redriveCount") == ++redrives);
  CHECK(redrives == 2);
}

TEST_CASE("on_done is called again when a redriven execution ends", "[engine][redrive]") {
  bench b;
  b.broken.insert("\"work\"");
  std::vector<execution_status> ends;
  auto ex = b.eng->start(asl::parse_or_throw(pass_task_pass), json::object{}, kept(),
                         [&](engine::execution_result const& r) { ends.push_back(r.status); });
  b.h.sched.run();
  b.broken.clear();
  REQUIRE(ex->redrive().redrivable());
  b.h.sched.run();
  CHECK(ends == std::vector<execution_status>{execution_status::failed, execution_status::succeeded});
}

TEST_CASE("A Parallel redrive runs only the branches that failed, each from the state it failed in",
          "[engine][redrive]") {
  bench b;
  b.broken.insert("\"b2\"");
  auto ex = b.start(R"({"StartAt": "P", "States": {"P": {"Type": "Parallel", "End": true, "Branches": [
      {"StartAt": "A", "States": {"A": {"Type": "Task", "Resource": "arn:aws:states:::flaky", "Parameters": {"id": "a"}, "End": true}}},
      {"StartAt": "B1", "States": {
        "B1": {"Type": "Task", "Resource": "arn:aws:states:::flaky", "Parameters": {"id": "b1"}, "ResultPath": "$.b1", "Next": "B2"},
        "B2": {"Type": "Task", "Resource": "arn:aws:states:::flaky", "Parameters": {"id": "b2", "b1.$": "$.b1"}, "End": true}}}]}}})");
  REQUIRE(ex->result().status == execution_status::failed);
  CHECK(ex->result().error == "Broken");
  b.broken.clear();
  REQUIRE(ex->redrive().redrivable());
  b.h.sched.run();
  auto const& r = ex->result();
  INFO(r.cause.value_or(""));
  REQUIRE(r.succeeded());
  CHECK(b.calls["\"a\""] == 1);
  CHECK(b.calls["\"b1\""] == 1);
  CHECK(b.calls["\"b2\""] == 2);
  CHECK(*r.output == json::parse(R"([{"done": "a"}, {"done": "b2"}])"));
  CHECK(b.inputs["\"b2\""] == json::parse(R"({"id": "b2", "b1": {"done": "b1"}})"));
  CHECK(after_redrive(r.events) ==
        std::vector<std::string>{"ExecutionRedriven", "ParallelStateEntered", "ParallelStateStarted", "TaskStateEntered",
                                 "TaskScheduled", "TaskStarted", "TaskSucceeded", "TaskStateExited",
                                 "ParallelStateSucceeded", "ParallelStateExited", "ExecutionSucceeded"});
}

TEST_CASE("An inline Map redrive runs only the iterations that did not succeed", "[engine][redrive]") {
  bench b;
  b.broken.insert("2");
  auto ex = b.start(R"({"StartAt": "M", "States": {"M": {"Type": "Map", "End": true, "MaxConcurrency": 1,
      "ItemSelector": {"id.$": "$$.Map.Item.Value"},
      "ItemProcessor": {"StartAt": "T", "States": {"T": {"Type": "Task", "Resource": "arn:aws:states:::flaky", "End": true}}}}}})",
                    "[1, 2, 3]");
  REQUIRE(ex->result().status == execution_status::failed);
  // MaxConcurrency 1: item 3 never started.
  CHECK(b.calls.count("3") == 0);
  b.broken.clear();
  REQUIRE(ex->redrive().redrivable());
  b.h.sched.run();
  auto const& r = ex->result();
  REQUIRE(r.succeeded());
  CHECK(b.calls["1"] == 1);
  CHECK(b.calls["2"] == 2);
  CHECK(b.calls["3"] == 1);
  CHECK(*r.output == json::parse(R"([{"done": 1}, {"done": 2}, {"done": 3}])"));
  std::vector<std::int64_t> started;
  bool after = false;
  for (auto const& ev : r.events) {
    after = after || ev.type == "ExecutionRedriven";
    if (after && ev.type == "MapIterationStarted") started.push_back(ev.details.at("index").to_number<std::int64_t>());
  }
  CHECK(started == std::vector<std::int64_t>{1, 2});
}

TEST_CASE("A stopped execution is redriven from the state it was stopped in", "[engine][redrive]") {
  bench b;
  auto ex = b.eng->start(asl::parse_or_throw(R"({"StartAt": "T", "States": {
      "T": {"Type": "Task", "Resource": "arn:aws:states:::flaky", "Parameters": {"id": "t"}, "Next": "W"},
      "W": {"Type": "Wait", "Seconds": 60, "Next": "U"},
      "U": {"Type": "Task", "Resource": "arn:aws:states:::flaky", "Parameters": {"id": "u"}, "End": true}}})"),
                         json::object{}, kept());
  b.h.sched.run_until(t0 + 10s);
  REQUIRE(ex->stop("Ops", "paused"));
  CHECK(ex->result().redrive == redrive_status::redrivable);
  // Redriven at once, while the stopped run is still unwinding.
  REQUIRE(ex->redrive().redrivable());
  b.h.sched.run();
  auto const& r = ex->result();
  REQUIRE(r.succeeded());
  CHECK(b.calls["\"t\""] == 1);
  CHECK(b.calls["\"u\""] == 1);
  CHECK(*r.stop_date == t0 + 70s);  // the Wait starts again
  CHECK(after_redrive(r.events).at(1) == "WaitStateEntered");
  CHECK(count_of(r.events, "ExecutionAborted") == 1);
}

TEST_CASE("A timed-out execution is redriven with its TimeoutSeconds counted from the redrive", "[engine][redrive]") {
  bench b;
  auto ex = b.start(R"({"TimeoutSeconds": 100, "StartAt": "W1", "States": {
      "W1": {"Type": "Wait", "Seconds": 80, "Next": "W2"},
      "W2": {"Type": "Wait", "Seconds": 80, "End": true}}})");
  REQUIRE(ex->result().status == execution_status::timed_out);
  CHECK(*ex->result().stop_date == t0 + 100s);
  REQUIRE(ex->redrive().redrivable());
  b.h.sched.run();
  REQUIRE(ex->result().succeeded());
  CHECK(*ex->result().stop_date == t0 + 180s);  // W2 again, whole, within a fresh 100 s
}

TEST_CASE("A distributed Map redrive redrives its Map Run: same ARN, MapRunRedriven, only failed children again",
          "[engine][redrive][dmap]") {
  bench b;
  b.broken.insert("2");
  auto ex = b.start(R"({"StartAt": "M", "States": {"M": {"Type": "Map", "End": true,
      "ItemSelector": {"id.$": "$$.Map.Item.Value"},
      "ItemProcessor": {"ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "STANDARD"},
        "StartAt": "T", "States": {"T": {"Type": "Task", "Resource": "arn:aws:states:::flaky", "End": true}}}}}})",
                    "[1, 2, 3]");
  REQUIRE(ex->result().status == execution_status::failed);
  CHECK(ex->result().error == "States.ExceedToleratedFailureThreshold");
  auto const& events = ex->result().events;
  auto started = std::find_if(events.begin(), events.end(), [](auto const& e) { return e.type == "MapRunStarted"; });
  REQUIRE(started != events.end());
  auto const run_arn = started->details.at("mapRunArn");
  auto const calls1 = b.calls["1"], calls3 = b.calls["3"];

  b.broken.clear();
  REQUIRE(ex->redrive().redrivable());
  b.h.sched.run();
  auto const& r = ex->result();
  INFO(r.cause.value_or(""));
  REQUIRE(r.succeeded());
  CHECK(b.calls["2"] == 2);
  CHECK(b.calls["1"] == calls1);
  CHECK(b.calls["3"] == calls3);
  CHECK(*r.output == json::parse(R"([{"done": 1}, {"done": 2}, {"done": 3}])"));
  auto redriven = std::find_if(r.events.begin(), r.events.end(), [](auto const& e) { return e.type == "MapRunRedriven"; });
  REQUIRE(redriven != r.events.end());
  CHECK(redriven->details_key == "mapRunRedrivenEventDetails");
  CHECK(redriven->details == json::object{{"mapRunArn", run_arn}, {"redriveCount", 1}});
  CHECK(count_of(r.events, "MapRunStarted") == 1);
  CHECK(types(r.events).back() == "ExecutionSucceeded");
}

TEST_CASE("A distributed Map's failed EXPRESS children are REDRIVABLE_BY_MAP_RUN, STANDARD ones REDRIVABLE",
          "[engine][redrive][dmap]") {
  for (std::string type : {"EXPRESS", "STANDARD"}) {
    INFO(type);
    bench b;
    b.broken.insert("2");
    auto ex = b.start(R"({"StartAt": "M", "States": {"M": {"Type": "Map", "End": true, "ToleratedFailurePercentage": 100,
        "ItemSelector": {"id.$": "$$.Map.Item.Value"},
        "ItemProcessor": {"ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": ")" + type + R"("},
          "StartAt": "T", "States": {"T": {"Type": "Task", "Resource": "arn:aws:states:::flaky", "End": true}}}}}})",
                      "[1, 2]");
    REQUIRE(ex->result().succeeded());
    auto const& failed = ex->result().output->as_array().at(1).as_object();
    CHECK(failed.at("Status") == "FAILED");
    CHECK(failed.at("RedriveStatus") == (type == "EXPRESS" ? "REDRIVABLE_BY_MAP_RUN" : "REDRIVABLE"));
  }
}

TEST_CASE("Executions that are not redrivable say why, and redrive changes nothing", "[engine][redrive]") {
  bench b;
  auto check_not = [](std::shared_ptr<engine::execution> const& ex, std::string const& reason) {
    auto before = ex->result().event_count;
    auto e = ex->redrive();
    CHECK_FALSE(e.redrivable());
    CHECK(e.status == redrive_status::not_redrivable);
    CHECK(e.reason == reason);
    CHECK(ex->result().event_count == before);
    CHECK(ex->result().redrive_count == 0);
  };
  SECTION("succeeded") {
    auto ex = b.start(R"({"StartAt": "P", "States": {"P": {"Type": "Pass", "End": true}}})");
    check_not(ex, "Execution is SUCCEEDED and cannot be redriven");
    CHECK(ex->result().redrive_status_reason == "Execution is SUCCEEDED and cannot be redriven");
  }
  SECTION("running") {
    auto ex = b.eng->start(asl::parse_or_throw(R"({"StartAt": "W", "States": {"W": {"Type": "Wait", "Seconds": 5, "End": true}}})"),
                           json::object{}, kept());
    b.h.sched.run_until(t0 + 1s);
    check_not(ex, "Execution is RUNNING and cannot be redriven");
  }
  SECTION("express") {
    auto o = kept();
    o.type = engine::execution_type::express;
    auto ex = b.start(R"({"StartAt": "F", "States": {"F": {"Type": "Fail", "Error": "E"}}})", "{}", o);
    check_not(ex, "Execution is EXPRESS and cannot be redriven");
  }
  SECTION("run without execution_options::redrivable") {
    auto o = kept();
    o.redrivable = false;
    auto ex = b.start(R"({"StartAt": "F", "States": {"F": {"Type": "Fail", "Error": "E"}}})", "{}", o);
    check_not(ex, "Execution was run without execution_options::redrivable: nothing was kept to redrive it from");
    CHECK(ex->result().describe().at("redriveStatus") == "NOT_REDRIVABLE");
  }
  SECTION("more than 14 days after it ended") {
    auto ex = b.start(R"({"StartAt": "F", "States": {"F": {"Type": "Fail", "Error": "E"}}})");
    b.h.sched.run_until(t0 + std::chrono::days(14));
    CHECK(ex->redrivability().redrivable());  // the last moment of the redrivable period
    b.h.sched.run_until(t0 + std::chrono::days(14) + 1s);
    check_not(ex, "Execution redrivable period exceeded");
  }
  SECTION("open for more than a year") {
    auto ex = b.start(R"({"StartAt": "W", "States": {"W": {"Type": "Wait", "Seconds": 31449600, "Next": "F"},
        "F": {"Type": "Fail", "Error": "E"}}})");  // fails after 364 days
    REQUIRE(ex->result().status == execution_status::failed);
    CHECK(ex->redrivability().redrivable());
    b.h.sched.run_until(t0 + std::chrono::days(365) + 1s);
    check_not(ex, "Execution has exceeded the max execution time");
  }
  SECTION("history of 24,999 events or more") {
    // A loop of Pass states until the 25,000-event limit fails the execution.
    auto ex = b.start(R"({"StartAt": "A", "States": {"A": {"Type": "Pass", "Next": "B"},
        "B": {"Type": "Choice", "Choices": [{"Variable": "$.stop", "IsPresent": true, "Next": "Done"}], "Default": "A"},
        "Done": {"Type": "Succeed"}}})",
                      "{}", [] {
                        auto o = kept();
                        o.history = history_level::off;
                        return o;
                      }());
    REQUIRE(ex->result().status == execution_status::failed);
    CHECK(ex->result().event_count == 25000);
    check_not(ex, "Execution history event limit exceeded");
  }
}

TEST_CASE("An execution that stopped before entering a state is redriven from its start", "[engine][redrive]") {
  bench b;
  auto ex = b.eng->start(asl::parse_or_throw(pass_task_pass), json::object{}, kept());
  REQUIRE(ex->stop());
  REQUIRE(ex->redrive().redrivable());
  b.h.sched.run();
  REQUIRE(ex->result().succeeded());
  CHECK(b.calls["\"prepare\""] == 1);
  CHECK(types(ex->result().events).at(3) == "TaskStateEntered");
}
