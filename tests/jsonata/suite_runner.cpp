#include "jsonata/suite_runner.hpp"

#include <cmath>
#include <fstream>
#include <map>
#include <sstream>

namespace stepsim::jsonata::testing {

namespace json = boost::json;

namespace {

bool same(json::value const& a, json::value const& b) {
  if (a.is_number() && b.is_number()) {
    double x = a.to_number<double>(), y = b.to_number<double>();
    return x == y || std::fabs(x - y) <= 1e-12 * std::max(std::fabs(x), std::fabs(y));
  }
  if (a.kind() != b.kind()) return false;
  if (a.is_array()) {
    auto const& x = a.get_array();
    auto const& y = b.get_array();
    if (x.size() != y.size()) return false;
    for (std::size_t i = 0; i < x.size(); ++i)
      if (!same(x[i], y[i])) return false;
    return true;
  }
  if (a.is_object()) {
    auto const& x = a.get_object();
    auto const& y = b.get_object();
    if (x.size() != y.size()) return false;
    for (auto const& kv : x) {
      auto it = y.find(kv.key());
      if (it == y.end() || !same(kv.value(), it->value())) return false;
    }
    return true;
  }
  return a == b;
}

json::value read_json(std::string const& path) {
  std::ifstream in(path);
  std::stringstream ss;
  ss << in.rdbuf();
  return json::parse(ss.str());
}

}  // namespace

std::vector<case_outcome> run_suite(std::string const& dir) {
  std::vector<case_outcome> out;
  std::map<std::string, json::value> datasets;
  std::ifstream in(dir + "/cases.jsonl");
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty()) continue;
    boost::system::error_code ec;
    json::value parsed = json::parse(line, ec);
    if (ec) {
      // a lone UTF-16 surrogate (\ud800) cannot be read into UTF-8 text
      auto at = line.find("\"id\": \"");
      case_outcome bad;
      bad.id = line.substr(at + 7, line.find('"', at + 7) - at - 7);
      bad.detail = "the case cannot be read as UTF-8 JSON: " + ec.message();
      out.push_back(std::move(bad));
      continue;
    }
    json::object c = parsed.as_object();
    case_outcome o;
    o.id = json::value_to<std::string>(c.at("id"));
    json::value const* input = nullptr;
    json::value data;
    if (auto* d = c.if_contains("data")) {
      data = *d;
      input = &data;
    } else if (auto* ds = c.if_contains("dataset"); ds && ds->is_string()) {
      std::string name(ds->get_string());
      auto it = datasets.find(name);
      if (it == datasets.end()) it = datasets.emplace(name, read_json(dir + "/datasets/" + name + ".json")).first;
      input = &it->second;
    }
    json::object bindings;
    if (auto* b = c.if_contains("bindings"); b && b->is_object()) bindings = b->get_object();
    environment env;
    env.variables = &bindings;
    env.clock_ms = [] { return std::int64_t{1502000000000}; };
    // The suite's time limit guards against a hang, not a speed target (those
    // live in bench/): a case that expects a result gets ten times the limit,
    // so a busy shared machine cannot fail it. Cases that expect U1001 stop on
    // the depth limit, which does not depend on the machine.
    if (auto* t = c.if_contains("timelimit")) {
      auto ms = t->to_number<std::int64_t>();
      if (!c.contains("code")) ms *= 10;
      env.time_limit = std::chrono::milliseconds(ms);
    }
    if (auto* d = c.if_contains("depth")) env.max_depth = d->to_number<std::size_t>();
    std::string got;
    try {
      auto e = expression::compile(json::value_to<std::string>(c.at("expr")));
      auto r = e.evaluate(input, env);
      if (auto* code = c.if_contains("code")) {
        o.passed = false;
        got = r ? json::serialize(*r) : "undefined";
        o.detail = "expected error " + json::serialize(*code) + ", got " + got;
      } else if (c.contains("undefinedResult")) {
        o.passed = !r;
        if (!o.passed) o.detail = "expected undefined, got " + json::serialize(*r);
      } else if (auto* res = c.if_contains("result")) {
        o.passed = r && same(*r, *res);
        if (!o.passed) o.detail = "expected " + json::serialize(*res) + ", got " + (r ? json::serialize(*r) : "undefined");
      } else {
        o.passed = !r;
        if (!o.passed) o.detail = "expected undefined, got " + json::serialize(*r);
      }
    } catch (error const& e) {
      if (auto* code = c.if_contains("code")) {
        o.passed = e.code() == code->get_string();
      } else {
        o.passed = false;
      }
      if (!o.passed) {
        o.detail = "error " + e.code() + " at " + std::to_string(e.position()) + ": " + e.what();
        if (auto* code = c.if_contains("code")) o.detail += " (expected " + json::serialize(*code) + ")";
      }
    } catch (std::exception const& e) {
      o.passed = false;
      o.detail = std::string("exception: ") + e.what();
    }
    if (!o.passed) o.detail = "expr " + json::serialize(c.at("expr")) + ": " + o.detail;
    out.push_back(std::move(o));
  }
  return out;
}

}  // namespace stepsim::jsonata::testing
