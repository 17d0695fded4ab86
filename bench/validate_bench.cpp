#include "validate_bench.hpp"

#include <stepsim/asl/parse.hpp>
#include <stepsim/sim/time.hpp>
#include <stepsim/study/summary.hpp>

#include <boost/json.hpp>
#include <fmt/format.h>

#include <chrono>
#include <stdexcept>

namespace stepsim::bench {

namespace json = boost::json;

namespace {

json::value chain(std::uint64_t n) {
  json::object states;
  states.reserve(n);
  for (std::uint64_t i = 0; i < n; ++i) {
    json::object s{{"Type", "Pass"}};
    if (i + 1 < n) s["Next"] = fmt::format("S{}", i + 1);
    else s["End"] = true;
    states.emplace(fmt::format("S{}", i), std::move(s));
  }
  return json::object{{"StartAt", "S0"}, {"States", std::move(states)}};
}

std::string missing_targets() {
  std::string text = R"({"StartAt": "N0", "States": {)";
  for (int i = 0; i < 250; ++i)
    text += fmt::format(R"({}"N{}": {{"Type": "Pass", "Next": "{}{}"}})", i ? "," : "", i, std::string(1000, 'x'), i);
  return text + "}}";
}

template <class Body>
void timed(cell_result& c, std::uint64_t items, cell_options const& o, Body body) {
  body();  // verification and warm-up
  std::uint64_t n = 0;
  auto const t0 = clock::now();
  do {
    body();
    ++n;
  } while (seconds_since(t0) < o.min_time_s);
  finish(c, n, n * items, seconds_since(t0));
}

}  // namespace

cell_result run_validate(std::string const& mode, std::uint64_t references, cell_options const& o) {
  cell_result c;
  c.workload = "validate";
  c.mode = mode;
  c.batch = 1;
  try {
    if (mode == "hints") {
      auto const text = missing_targets();
      c.states_per_execution = 250;
      timed(c, 250, o, [&] {
        auto r = asl::parse(text);
        if (r.ok() || r.errors.size() != 250)
          throw std::runtime_error(fmt::format("expected 250 missing targets, got {} errors", r.errors.size()));
      });
    } else {
      auto const def = chain(references);
      c.states_per_execution = references;
      timed(c, references, o, [&] {
        auto r = asl::parse(def);
        if (!r.ok() || r.machine->states().size() != references)
          throw std::runtime_error(r.ok() ? "wrong state count" : r.errors.front().message);
      });
    }
  } catch (std::exception const& e) {
    c.error = e.what();
  }
  return c;
}

cell_result run_analyze(std::uint64_t executions, cell_options const& o) {
  cell_result c;
  c.workload = "analyze";
  c.mode = std::to_string(executions);
  c.batch = 1;
  try {
    json::array list;
    list.reserve(executions);
    auto t = *sim::parse_iso8601("2024-01-01T00:00:00Z");
    for (std::uint64_t i = 0; i < executions; ++i) {
      auto start = t + std::chrono::milliseconds(1500 * i);
      list.push_back(json::object{{"stateMachineArn", "arn:aws:states:us-east-1:123456789012:stateMachine:w"},
                                  {"name", fmt::format("e{}", i)},
                                  {"status", "SUCCEEDED"},
                                  {"startDate", sim::format_iso8601(start)},
                                  {"stopDate", sim::format_iso8601(start + std::chrono::milliseconds(700))}});
    }
    auto const text = json::serialize(json::object{{"executions", std::move(list)}});
    c.states_per_execution = executions;
    timed(c, executions, o, [&] {
      std::string error;
      auto rows = study::read_export(text, "bench.json", error);
      if (!rows || rows->size() != executions)
        throw std::runtime_error(rows ? fmt::format("read {} executions", rows->size()) : error);
      auto table = study::analyze_periods(*rows, {});
      if (table.size() != 1) throw std::runtime_error("expected one workflow in the analysis");
    });
  } catch (std::exception const& e) {
    c.error = e.what();
  }
  return c;
}

}  // namespace stepsim::bench
