// Power Tuning's state machine, its Task handlers, and one run of it in virtual time.
#include <stepsim/study/power_tuning.hpp>

#include <stepsim/asl/parse.hpp>
#include <stepsim/engine/engine.hpp>

#include <boost/asio/any_completion_handler.hpp>
#include <boost/asio/async_result.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/json.hpp>
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <memory>
#include <stdexcept>

namespace stepsim::study {

namespace asio = boost::asio;
namespace json = boost::json;

namespace {

constexpr std::string_view definition = R"json({
  "Comment": "Power Tuning, offline: invokes a simulated Lambda function num times at each memory size and picks the best one. Its Tasks are C++ handlers (stepsim::study::bind_power_tuning).",
  "StartAt": "Initializer",
  "States": {
    "Initializer": {
      "Type": "Task",
      "Resource": "arn:aws:lambda:us-east-1:123456789012:function:power-tuning-initializer",
      "ResultPath": "$.lambdaConfigurations",
      "Next": "Branching"
    },
    "Branching": {
      "Type": "Map",
      "ItemsPath": "$.lambdaConfigurations.powerValues",
      "ItemSelector": {
        "input.$": "$",
        "value.$": "$$.Map.Item.Value"
      },
      "MaxConcurrency": 0,
      "ItemProcessor": {
        "ProcessorConfig": {"Mode": "INLINE"},
        "StartAt": "Executor",
        "States": {
          "Executor": {
            "Type": "Task",
            "Resource": "arn:aws:lambda:us-east-1:123456789012:function:power-tuning-executor",
            "End": true
          }
        }
      },
      "ResultPath": "$.stats",
      "Catch": [
        {"ErrorEquals": ["States.ALL"], "ResultPath": "$.error", "Next": "CleanUpOnError"}
      ],
      "Next": "Cleaner"
    },
    "Cleaner": {
      "Type": "Task",
      "Resource": "arn:aws:lambda:us-east-1:123456789012:function:power-tuning-cleaner",
      "ResultPath": null,
      "Next": "Analyzer"
    },
    "Analyzer": {
      "Type": "Task",
      "Resource": "arn:aws:lambda:us-east-1:123456789012:function:power-tuning-analyzer",
      "ResultPath": "$.analysis",
      "Next": "Optimizer"
    },
    "Optimizer": {
      "Type": "Task",
      "Resource": "arn:aws:lambda:us-east-1:123456789012:function:power-tuning-optimizer",
      "ResultPath": null,
      "OutputPath": "$.analysis",
      "End": true
    },
    "CleanUpOnError": {
      "Type": "Task",
      "Resource": "arn:aws:lambda:us-east-1:123456789012:function:power-tuning-cleaner",
      "ResultPath": null,
      "Next": "TuningFailed"
    },
    "TuningFailed": {
      "Type": "Fail",
      "ErrorPath": "$.error.Error",
      "CausePath": "$.error.Cause"
    }
  }
}
)json";

constexpr std::string_view resource_prefix = "arn:aws:lambda:us-east-1:123456789012:function:power-tuning-";

[[noreturn]] void fail(std::string message) { throw tasks::task_error("Error", std::move(message)); }

/// The state machine's input, read again by each Task from its own input
/// (the Map items carry it under "input"; the analyzer gets it with the
/// fields the states added).
power_tuning_input read_input(json::value const& v) {
  json::value original = v;
  if (auto* o = original.if_object())
    for (auto key : {"lambdaConfigurations", "stats", "analysis", "error"}) o->erase(key);
  auto r = parse_power_tuning_input(original);
  if (!r.value) {
    std::string message;
    for (auto const& e : r.errors)
      message += fmt::format("{}{}: {}", message.empty() ? "" : "; ", e.pointer.empty() ? "/" : e.pointer, e.message);
    fail(message);
  }
  return std::move(*r.value);
}

/// The region of an ARN (`arn:aws:lambda:REGION:...`), or `fallback` for a name.
std::string region_of(std::string_view arn, std::string const& fallback) {
  if (arn.substr(0, 4) != "arn:") return fallback;
  std::size_t at = 0;
  for (int field = 0; field < 3; ++field) {
    at = arn.find(':', at);
    if (at == std::string_view::npos) return fallback;
    ++at;
  }
  auto end = arn.find(':', at);
  auto r = arn.substr(at, end == std::string_view::npos ? std::string_view::npos : end - at);
  return r.empty() ? fallback : std::string(r);
}

/// Sets the function's name, region and account from `arn` (a name alone sets the name).
void name_from_arn(lambda::function_config& f, std::string_view arn) {
  f.name = std::string(lambda::function_name(arn));
  f.region = region_of(arn, f.region);
  if (arn.substr(0, 4) == "arn:") {
    auto p = arn.find(":function:");
    auto q = p == std::string_view::npos ? std::string_view::npos : arn.rfind(':', p - 1);
    if (q != std::string_view::npos && q < p) f.account = std::string(arn.substr(q + 1, p - q - 1));
  }
}

/// Invokes every (service, payload) at once and completes when all have ended.
asio::awaitable<std::vector<lambda::invocation_result>> invoke_all(
    std::vector<std::pair<lambda::service*, json::value>> calls, std::string function) {
  using signature = void(std::vector<lambda::invocation_result>);
  return asio::async_initiate<decltype(asio::use_awaitable), signature>(
      [](asio::any_completion_handler<signature> handler, std::vector<std::pair<lambda::service*, json::value>> c,
         std::string fn) {
        struct join {
          asio::any_completion_handler<signature> handler;
          std::vector<lambda::invocation_result> results;
          std::size_t left;
        };
        auto j = std::make_shared<join>(join{std::move(handler), {}, c.size()});
        j->results.resize(c.size());
        for (std::size_t i = 0; i < c.size(); ++i)
          c[i].first->async_invoke(fn, std::move(c[i].second),
                                   [j, i](boost::system::error_code, lambda::invocation_result r) {
                                     j->results[i] = std::move(r);
                                     if (--j->left == 0) std::move(j->handler)(std::move(j->results));
                                   });
      },
      asio::use_awaitable, std::move(calls), std::move(function));
}

tuning_sample sample_of(lambda::invocation_record const& r) {
  // REPORT prints Duration and Init Duration to the hundredth of a millisecond.
  auto hundredths = [](sim::duration d) { return double(std::llround(double(d.count()) / 10.0)) / 100.0; };
  return {hundredths(r.run) + hundredths(r.init), r.billed_ms, r.cold};
}

asio::awaitable<json::value> execute(power_tuning_context& ctx, json::value item, sim::scheduler& sched) {
  auto const* o = item.if_object();
  if (!o || !o->contains("input") || !o->contains("value")) fail("the executor's input must be {\"input\", \"value\"}");
  auto in = read_input(o->at("input"));
  auto const& v = o->at("value");
  if (!v.is_int64() || v.get_int64() < 128 || v.get_int64() > 10240)
    fail(fmt::format("Invalid value: {}", json::serialize(v)));
  int value = int(v.get_int64());
  int num = in.dry_run ? 1 : in.num;
  std::vector<json::value> payloads;
  try {
    // A dry run's one invocation takes a weighted payload's first entry (the
    // tool would refuse to split one invocation among the entries).
    if (in.dry_run && !in.weighted.empty()) in.weighted.resize(1);
    payloads = generate_payloads(in, num);
  } catch (std::invalid_argument const& e) {
    fail(e.what());
  }

  auto f = ctx.function;
  name_from_arn(f, in.lambda_arn);
  f.memory_mb = value;
  try {
    f.validate();
  } catch (std::invalid_argument const& e) {
    fail(e.what());
  }
  // One service per alias: each has its own environments. Every alias of
  // every power value draws the same random numbers (common random numbers),
  // so power values differ only by what memory changes.
  int aliases = in.only_cold_starts ? num : 1;
  std::vector<std::unique_ptr<lambda::service>> services;
  std::vector<std::unique_ptr<lambda::collecting_sink>> sinks;
  for (int a = 0; a < aliases; ++a) {
    auto seed = a == 0 ? ctx.seed : sim::rng(ctx.seed).stream(fmt::format("power-tuning/alias/{}", a)).next_u64();
    services.push_back(std::make_unique<lambda::service>(sched, sim::rng(seed), ctx.service));
    sinks.push_back(std::make_unique<lambda::collecting_sink>());
    services.back()->set_sink(sinks.back().get());
    services.back()->add(f);
  }
  auto service_for = [&](int i) { return services[std::size_t(in.only_cold_starts ? i : 0)].get(); };

  std::vector<lambda::invocation_result> results;
  if (in.parallel_invocation) {
    std::vector<std::pair<lambda::service*, json::value>> calls;
    for (int i = 0; i < num; ++i) calls.emplace_back(service_for(i), std::move(payloads[std::size_t(i)]));
    auto all = co_await invoke_all(std::move(calls), f.name);
    results = std::move(all);
  } else {
    for (int i = 0; i < num; ++i) {
      auto r = co_await service_for(i)->invoke(f.name, std::move(payloads[std::size_t(i)]));
      results.push_back(std::move(r));
      if (in.sleep_between_runs_ms > 0) co_await sched.sleep(std::chrono::milliseconds(in.sleep_between_runs_ms));
    }
  }
  std::vector<tuning_sample> samples;
  for (auto const& r : results) {
    if (r.result != lambda::outcome::success)
      fail(fmt::format("Invocation error (running in {}): {}: {}", in.parallel_invocation ? "parallel" : "series",
                       r.error, r.cause));
    samples.push_back(sample_of(r.record));
  }
  for (auto& s : services) (void)s->finish();
  auto stats = compute_power_stats(value, samples, in.discard_top_bottom, power_tuning_ms_price(f.region, f.arch));
  ctx.stats.push_back(stats);
  co_return json::object{{"averagePrice", stats.average_price},
                         {"averageDuration", stats.average_duration},
                         {"totalCost", stats.total_cost},
                         {"value", stats.value}};
}

json::value analyze(power_tuning_context const& ctx, json::value const& state) {
  auto in = read_input(state);
  auto const* o = state.if_object();
  auto const* stats = o ? o->if_contains("stats") : nullptr;
  if (!stats || !stats->is_array() || stats->get_array().empty())
    fail("Wrong input: the analyzer needs the executors' \"stats\"");
  if (in.dry_run) return nullptr;
  std::vector<power_stats> all;
  for (auto const& s : stats->get_array()) {
    auto const* so = s.if_object();
    auto number = [&](char const* key) {
      auto const* x = so ? so->if_contains(key) : nullptr;
      if (!x || !x->is_number()) fail(fmt::format("Wrong input: a stat without a numeric \"{}\"", key));
      return x->to_number<double>();
    };
    power_stats p;
    p.value = int(number("value"));
    p.average_price = number("averagePrice");
    p.average_duration = number("averageDuration");
    p.total_cost = number("totalCost");
    all.push_back(p);
  }
  try {
    return analyze_power_stats(all, in, region_of(in.lambda_arn, ctx.function.region));
  } catch (std::invalid_argument const& e) {
    fail(e.what());
  }
}

}  // namespace

std::string_view power_tuning_definition() noexcept { return definition; }

void bind_power_tuning(tasks::registry& r, power_tuning_context& ctx) {
  auto name = [](std::string_view task) { return std::string(resource_prefix) + std::string(task); };
  r.add(name("initializer"), [](json::value const& input) -> json::value {
    auto in = read_input(input);
    json::array values;
    for (int v : in.power_values) values.push_back(v);
    return json::object{{"powerValues", std::move(values)}};
  });
  r.add_async(
      name("executor"),
      [&ctx](tasks::invocation const& inv) { return execute(ctx, inv.input, inv.scheduler); },
      tasks::context_use::ignores);
  r.add(name("cleaner"), [](json::value const&) -> json::value { return "OK"; });
  r.add(name("analyzer"), [&ctx](json::value const& input) { return analyze(ctx, input); });
  r.add(name("optimizer"), [](json::value const& input) -> json::value {
    // Offline there is no function to reconfigure: autoOptimize changes nothing.
    (void)read_input(input);
    return nullptr;
  });
}

power_tuning_run run_power_tuning(lambda::function_config function, json::value input,
                                  power_tuning_options const& options) {
  auto parsed = asl::parse(definition);
  if (!parsed.ok()) throw std::logic_error("the Power Tuning state machine does not parse");
  power_tuning_context ctx{std::move(function), options.service, options.seed, {}};
  if (auto const* o = input.if_object())
    if (auto const* arn = o->if_contains("lambdaARN"); arn && arn->is_string() && !arn->get_string().empty())
      name_from_arn(ctx.function, arn->get_string());

  auto sched = sim::scheduler::virtual_time(options.start);
  tasks::registry tasks;
  bind_power_tuning(tasks, ctx);
  engine::engine_options eopts;
  eopts.seed = options.seed;
  engine::engine eng(sched, tasks, eopts);
  engine::execution_options eo;
  eo.name = "power-tuning";
  eo.state_machine_name = "power-tuning";
  power_tuning_run run;
  run.execution = eng.run(parsed.machine, std::move(input), eo);
  run.function = ctx.function;
  run.stats = std::move(ctx.stats);
  std::stable_sort(run.stats.begin(), run.stats.end(),
                   [](power_stats const& a, power_stats const& b) { return a.value < b.value; });
  return run;
}

}  // namespace stepsim::study
