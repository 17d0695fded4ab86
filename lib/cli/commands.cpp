#include "cli/commands.hpp"

#include <stepsim/asl/json_text.hpp>
#include <stepsim/asl/parse.hpp>
#include <stepsim/engine/engine.hpp>
#include <stepsim/engine/state_machines.hpp>
#include <stepsim/sim/scheduler.hpp>
#include <stepsim/json/read_file.hpp>
#include <stepsim/tasks/registry.hpp>

#include <boost/json.hpp>
#include <fmt/format.h>

#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>

namespace stepsim::cli {

namespace json = boost::json;

int fail_usage(std::string const& reason) {
  fmt::print(stderr, "stepsim: {}\n", reason);
  return bad_input;
}

namespace {

void print_diagnostics(std::string const& file, asl::diagnostics const& errors) {
  for (auto const& e : errors)
    fmt::print(stderr, "{}: {}: {}\n", file, e.pointer.empty() ? "/" : e.pointer, e.message);
}

std::shared_ptr<asl::state_machine const> load_definition(std::string const& file, int& code) {
  std::string error;
  auto text = stepsim::json::read_file(file, stepsim::json::file_kind::definition, error);
  if (!text) {
    code = fail_usage(error);
    return nullptr;
  }
  auto r = asl::parse(*text);
  if (!r.ok()) {
    print_diagnostics(file, r.errors);
    code = bad_input;
  }
  return r.machine;
}

}  // namespace

int validate(std::vector<std::string> const& files, bool quiet) {
  int code = ok;
  for (auto const& f : files) {
    int c = ok;
    if (load_definition(f, c)) {
      if (!quiet) fmt::print("{}: valid\n", f);
    } else {
      code = bad_input;
    }
  }
  return code;
}

int run(run_options const& o) {
  int code = ok;
  auto machine = load_definition(o.definition, code);
  if (!machine) return code;

  std::string input_text = "{}";
  std::string error;
  if (o.input) input_text = *o.input;
  if (o.input_file) {
    auto text = stepsim::json::read_file(*o.input_file, stepsim::json::file_kind::input, error);
    if (!text) return fail_usage(error);
    input_text = std::move(*text);
  }
  auto input = asl::parse_json(input_text, error);
  if (!input) return fail_usage("the input is not valid JSON: " + error);

  sim::instant start;
  if (o.start_time) {
    auto t = sim::parse_iso8601(*o.start_time);
    if (!t) return fail_usage(fmt::format("--start-time '{}' is not an ISO-8601 date-time such as 2024-01-01T00:00:00Z", *o.start_time));
    start = *t;
  } else {
    // The command line is the one place that may read the wall clock.
    start = std::chrono::time_point_cast<sim::duration>(std::chrono::system_clock::now());
  }
  if (o.real_time && !(o.speed > 0 && std::isfinite(o.speed))) return fail_usage("--speed must be a positive number");
  auto sched = o.real_time ? sim::scheduler::real_time(start, o.speed) : sim::scheduler::virtual_time(start);

  tasks::registry tasks;
  if (o.echo_tasks) tasks.add("*", [](json::value const& in) { return in; });
  engine::engine eng(sched, tasks, engine::engine_options{.seed = o.seed, .s3_root = o.s3_root});

  engine::execution_options eo;
  eo.name = o.name;
  eo.type = o.type == "EXPRESS" ? engine::execution_type::express : engine::execution_type::standard;
  eo.state_machine_name = o.state_machine_name.empty()
                              ? std::filesystem::path(o.definition).stem().stem().string()
                              : o.state_machine_name;
  auto mocks = bind_mock_config(o, *machine, eo.state_machine_name, tasks, eng, code);
  if (code != ok) return code;
  engine::state_machines children;  // --machine NAME=FILE: started by states:startExecution Tasks
  for (auto const& m : o.machines) {
    auto eq = m.find('=');
    if (eq == std::string::npos || eq == 0 || eq + 1 == m.size())
      return fail_usage(fmt::format("--machine '{}' must be NAME=FILE", m));
    auto child = load_definition(m.substr(eq + 1), code);
    if (!child) return code;
    children.add(m.substr(0, eq), child);
  }
  if (!o.machines.empty()) children.bind(tasks, eng);
  eo.history = o.history ? engine::history_level::full : engine::history_level::off;
  eo.max_transitions = o.max_transitions;
  if (o.time_budget_seconds) {
    auto budget = sim::seconds_to_duration(*o.time_budget_seconds);
    if (!(*o.time_budget_seconds > 0) || !budget)
      return fail_usage(fmt::format("--time-budget must be a positive number of seconds, and the clock takes {}; not {}",
                                    sim::seconds_range(), *o.time_budget_seconds));
    eo.time_budget = *budget;
  }
  auto result = eng.run(machine, std::move(*input), eo);

  auto out = result.describe();
  if (o.history) out["events"] = engine::history_to_json(result.events)["events"];
  fmt::print("{}\n", pretty(out));
  return result.succeeded() ? ok : execution_failed;
}

}  // namespace stepsim::cli
