// Private: one state run as TestState runs it (test_state's work after the request is checked).
#pragma once

#include <stepsim/asl/state_machine.hpp>
#include <stepsim/sim/rng.hpp>
#include <stepsim/sim/time.hpp>
#include <stepsim/testing/test_state.hpp>

#include <boost/json.hpp>

#include <functional>
#include <optional>
#include <string>

namespace stepsim::testing {

namespace json = boost::json;

/// Runs one compiled state on `input` with the request's options and
/// collects TestState's response. JSONPath states (state_tester.cpp),
/// JSONata states (state_tester_jsonata.cpp), Map and Parallel states with
/// their mock (state_tester_branches.cpp).
class state_tester {
 public:
  /// `names` gives the name of a state index of the compiled machine.
  state_tester(asl::state const& s, json::value input, json::value context, test_state_options const& o,
               std::function<std::string(asl::state_index)> names);

  test_state_result run();

 private:
  void note(char const* key, json::value v) { r_.inspection_data[key] = std::move(v); }
  std::string next_name(asl::state_index i) const { return names_(i); }
  /// SUCCEEDED with `out`; nextState from Next (or `next` when given).
  void succeed(json::value out, asl::state_index next = asl::no_state);
  /// The state failed with `error`: Task, Map and Parallel states go
  /// through Retry and Catch (RETRIABLE, CAUGHT_ERROR), others FAIL.
  void failed(std::string const& error, std::string const& cause);
  /// The mocked result, or the mocked error thrown as a states_error.
  json::value mocked() const;

  /// The default context's start, 2024-01-01T00:00:00Z: what `$now()` and a Wait count from.
  static sim::instant start();
  /// A Wait's end, checked as an execution checks it (never waited for).
  static void check_wait(sim::instant until);

  // JSONPath (state_tester.cpp).
  void run_jsonpath();
  json::value select_input();
  void pass();
  void task();
  void choice();
  void fail();
  /// ResultSelector's result `result`: size check, Assign, ResultPath, OutputPath.
  void finish_jsonpath(json::value result);
  json::object assign_jsonpath(asl::assignment const& a, json::value const& dollar);

  // JSONata (state_tester_jsonata.cpp).
  void run_jsonata();
  json::value evaluate(asl::jsonata_template const& t, json::value const* result = nullptr,
                       json::value const* error_output = nullptr);
  json::object evaluate(asl::assignment const& a, json::value const* result = nullptr,
                        json::value const* error_output = nullptr);
  std::int64_t integer(asl::jsonata_template const& t, std::int64_t min);
  void task_jsonata();
  void choice_jsonata();
  void fail_jsonata();
  /// Assign and Output of a JSONata Task, Map or Parallel state with its result.
  void finish_jsonata(json::value result);

  // Map and Parallel (state_tester_branches.cpp).
  void map();
  void parallel();
  json::value map_items(json::value const& effective);
  void map_limits(json::value const& effective);
  std::optional<std::int64_t> count_of(asl::count_field const& f, json::value const& effective, char const* field);

  asl::state const& s_;
  json::value input_;
  json::value context_;
  test_state_options const& o_;
  bool jsonata_;
  json::object vars_;      ///< the request's variables
  json::object assigned_;  ///< what the state (or its catcher) assigns
  sim::random_stream random_;
  std::function<std::string(asl::state_index)> names_;
  /// A Map state's tolerated failures (count, percentage), once computed.
  std::optional<std::int64_t> tolerated_count_;
  std::optional<double> tolerated_percentage_;
  std::size_t map_iterations_ = 0;
  test_state_result r_;
};

/// A Task's result: the mock, or its handler's.
json::value task_result(asl::state const& s, json::value const& effective, json::value const& context,
                        test_state_options const& o);

}  // namespace stepsim::testing
