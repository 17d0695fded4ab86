#include "workload.hpp"

#include <stepsim/asl/parse.hpp>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <fmt/format.h>

#include <fstream>
#include <sstream>
#include <stdexcept>

namespace stepsim::bench {

namespace json = boost::json;

namespace {

std::string read_text(std::filesystem::path const& p) {
  std::ifstream in(p, std::ios::binary);
  if (!in) throw std::runtime_error(fmt::format("cannot read {}", p.string()));
  std::ostringstream s;
  s << in.rdbuf();
  return std::move(s).str();
}

json::value read_json(std::filesystem::path const& p) {
  boost::system::error_code ec;
  auto v = json::parse(read_text(p), ec);
  if (ec) throw std::runtime_error(fmt::format("{}: {}", p.string(), ec.message()));
  return v;
}

std::uint64_t count(json::object const& meta, std::string_view key, std::string const& name) {
  auto const* v = meta.if_contains(key);
  if (!v || !v->is_int64() || v->as_int64() < 1)
    throw std::runtime_error(fmt::format("workloads.json: {}.{} must be a positive integer", name, key));
  return static_cast<std::uint64_t>(v->as_int64());
}

}  // namespace

std::vector<workload> load_workloads(std::filesystem::path const& dir) {
  auto meta = read_json(dir / "workloads.json");
  if (!meta.is_object()) throw std::runtime_error("workloads.json: not an object");
  std::vector<workload> out;
  for (auto const& [key, m] : meta.as_object()) {
    workload w;
    w.name = std::string(key);
    if (!m.is_object()) throw std::runtime_error(fmt::format("workloads.json: {} is not an object", w.name));
    auto const& o = m.as_object();
    w.states_per_execution = count(o, "states_entered_per_execution", w.name);
    w.sequential_executions = count(o, "sequential_executions", w.name);
    w.concurrent_batch = count(o, "concurrent_batch", w.name);
    w.concurrent_rounds = count(o, "concurrent_rounds", w.name);
    auto def_path = dir / (w.name + ".asl.json");
    auto def = read_json(def_path);
    if (auto const* c = def.is_object() ? def.as_object().if_contains("Comment") : nullptr; c && c->is_string())
      w.comment = std::string(c->as_string());
    auto parsed = asl::parse(def);
    if (!parsed.ok()) {  // its cells fail with this; the other workloads still run
      w.load_error = fmt::format("{} does not parse:", def_path.string());
      for (auto const& d : parsed.errors) w.load_error += fmt::format("\n  {}", d.message);
    }
    w.machine = std::move(parsed.machine);
    w.input = read_json(dir / (w.name + ".input.json"));
    w.expected = read_json(dir / (w.name + ".expected.json"));
    out.push_back(std::move(w));
  }
  return out;
}

std::string generated_definition(int n) {
  json::object states;
  auto name = [](int i) { return fmt::format("S{:03}", i); };
  auto const last = name(n - 1);
  for (int i = 0; i + 1 < n; ++i) {
    auto next = name(i + 1);
    json::object s;
    switch (i % 4) {
      case 0:
        s = {{"Type", "Pass"},
             {"Comment", "template with paths and intrinsics"},
             {"InputPath", "$"},
             {"Parameters",
              {{"id.$", "$.id"},
               {"sum.$", "States.MathAdd($.count, 1)"},
               {"label.$", "States.Format('item {} of {}', $.id, $.count)"},
               {"nested", {{"items.$", "$.items[0:2]"}, {"const", i}}}}},
             {"ResultPath", "$.pass"},
             {"Next", next}};
        break;
      case 1:
        s = {{"Type", "Task"},
             {"Resource", fmt::format("arn:aws:lambda:us-east-1:123456789012:function:F{}", i)},
             {"Parameters", {{"payload.$", "$.pass"}, {"ctx.$", "$$.Execution.Id"}}},
             {"ResultSelector", {{"out.$", "$.payload"}}},
             {"ResultPath", "$.task"},
             {"OutputPath", "$"},
             {"TimeoutSeconds", 30},
             {"Retry",
              json::array{{{"ErrorEquals", {"States.Timeout", "Lambda.ServiceException"}},
                           {"IntervalSeconds", 2},
                           {"MaxAttempts", 3},
                           {"BackoffRate", 2.0}},
                          {{"ErrorEquals", {"States.ALL"}}, {"MaxAttempts", 1}}}},
             {"Catch", json::array{{{"ErrorEquals", {"States.ALL"}}, {"ResultPath", "$.error"}, {"Next", last}}}},
             {"Next", next}};
        break;
      case 2:
        s = {{"Type", "Choice"},
             {"Choices",
              json::array{{{"And", json::array{{{"Variable", "$.count"}, {"NumericGreaterThan", 10}},
                                               {{"Variable", "$.id"}, {"StringMatches", "a*"}}}},
                           {"Next", next}},
                          {{"Not", {{"Variable", "$.flag"}, {"BooleanEquals", true}}}, {"Next", next}},
                          {{"Variable", "$.count"}, {"NumericLessThanPath", "$.limit"}, {"Next", next}}}},
             {"Default", next}};
        break;
      default:
        s = {{"Type", "Wait"}, {"SecondsPath", "$.delay"}, {"Next", next}};
        break;
    }
    states[name(i)] = std::move(s);
  }
  states[last] = json::object{{"Type", "Succeed"}};
  json::object def{{"Comment", fmt::format("generated: {} states", n)}, {"StartAt", name(0)}};
  def["States"] = std::move(states);
  return json::serialize(def);
}

}  // namespace stepsim::bench
