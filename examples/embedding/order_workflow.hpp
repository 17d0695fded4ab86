// What a C++ test suite does with stepsim: load a workflow definition, register
// handlers for its Task resources, run it in virtual time from a pinned
// instant, and look at the status, output, path, stop time and history.
//
// The whole example is this one function, so that a test can run it too
// (tests/examples/embedding.cpp compares its output with order_workflow.expected).
#pragma once

#include <stepsim/asl/json_text.hpp>
#include <stepsim/asl/parse.hpp>
#include <stepsim/engine/engine.hpp>
#include <stepsim/sim/scheduler.hpp>
#include <stepsim/sim/time.hpp>
#include <stepsim/tasks/registry.hpp>

#include <boost/asio/awaitable.hpp>
#include <boost/json.hpp>

#include <chrono>
#include <fstream>
#include <iterator>
#include <ostream>
#include <string>

/// Runs two orders through the workflow in `definition_file` and prints what
/// happened to `out`. Returns 0, or 1 when the definition cannot be loaded.
inline int run_order_example(std::string const& definition_file, std::ostream& out) {
  namespace json = boost::json;
  namespace asl = stepsim::asl;
  namespace engine = stepsim::engine;
  namespace sim = stepsim::sim;
  namespace tasks = stepsim::tasks;

  // 1. Parse once; every problem comes back with a JSON pointer to it.
  std::ifstream file(definition_file);
  std::string text{std::istreambuf_iterator<char>(file), std::istreambuf_iterator<char>()};
  asl::parse_result parsed = asl::parse(text);
  if (!parsed.ok()) {
    for (auto const& e : parsed.errors) out << definition_file << ": " << e.pointer << ": " << e.message << "\n";
    return 1;
  }

  // 2. Handlers for the Task resources.
  int busy_replies = 0;  // how many times Charge answers "busy" before it works
  tasks::registry handlers;
  // A plain handler: input -> result, at once. Throwing task_error fails the
  // Task with that error name, which Retry and Catch match.
  handlers.add("arn:aws:lambda:us-east-1:123456789012:function:Charge", [&](json::value const& input) {
    if (busy_replies > 0) {
      --busy_replies;
      throw tasks::task_error("Payment.Busy", "the payment service is busy; try again");
    }
    json::object charge;
    charge["status"] = input.at("amount").to_number<double>() <= 500 ? "approved" : "declined";
    charge["reference"] = "ch-" + std::string(input.at("order").as_string());
    return json::value(std::move(charge));
  });
  // An awaitable handler: it may take simulated time on the scheduler.
  handlers.add_async("arn:aws:lambda:*:*:function:Ship",
                     [](tasks::invocation const& call) -> boost::asio::awaitable<json::value> {
                       json::value input = call.input;  // copied: we suspend below
                       co_await call.scheduler.sleep(std::chrono::minutes(2));
                       if (!input.as_object().contains("address"))
                         throw tasks::task_error("Shipping.NoAddress", "the order has no delivery address");
                       co_return json::object{{"carrier", "parcel-post"}, {"label", "1Z-" + std::string(input.at("order").as_string())}};
                     });

  // 3. Run each order on a virtual-time scheduler pinned to a fixed instant:
  //    the hour-long Wait takes no wall time, and every run prints the same.
  auto run_order = [&](std::string_view input_text, int busy) {
    busy_replies = busy;
    sim::instant const start = std::chrono::sys_days{std::chrono::year{2024} / 1 / 1};  // 2024-01-01T00:00:00Z
    sim::scheduler clock = sim::scheduler::virtual_time(start);
    engine::engine eng(clock, handlers, engine::engine_options{.seed = 1});
    engine::execution_options options;
    options.name = std::string(json::parse(input_text).at("order").as_string());
    options.state_machine_name = "Orders";
    options.history = engine::history_level::summary;  // event types and times, no payloads
    engine::execution_result r = eng.run(parsed.machine, json::parse(input_text), options);

    out << "order " << r.name << ": " << engine::to_string(r.status) << "\n";
    if (r.output) out << "  output:  " << asl::to_text(*r.output) << "\n";
    if (r.error) out << "  error:   " << *r.error << " (" << r.cause.value_or("") << ")\n";
    out << "  path:   ";
    for (auto const& state : r.path) out << " " << state;
    out << "\n  started: " << sim::format_iso8601(r.start_date) << "\n";
    out << "  stopped: " << sim::format_iso8601(*r.stop_date) << "\n";
    out << "  history:\n";
    for (auto const& e : r.events) out << "    " << sim::format_iso8601(e.timestamp) << "  " << e.type << "\n";
  };
  // Charge is busy twice (retried after 2 s, then 4 s), then ships after the hour.
  run_order(R"({"order": "A-1", "amount": 120, "address": "1 Main St"})", 2);
  // No address: Ship fails with Shipping.NoAddress; Catch sends it to ShippingFailed.
  run_order(R"({"order": "A-2", "amount": 80})", 0);
  return 0;
}
