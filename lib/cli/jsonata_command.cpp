// `stepsim jsonata`: evaluate JSONata expressions, one from the command line
// or a stream of JSON-line requests (the protocol of the reference's eval.mjs).
#include "cli/commands.hpp"

#include <stepsim/asl/json_text.hpp>
#include <stepsim/jsonata/expression.hpp>
#include <stepsim/sim/time.hpp>
#include <stepsim/json/read_file.hpp>

#include <boost/json.hpp>
#include <fmt/format.h>

#include <chrono>
#include <cmath>
#include <cstdio>
#include <iostream>
#include <random>

namespace stepsim::cli {

namespace json = boost::json;

namespace {

/// The parts of an evaluation environment shared by every request.
struct common_env {
  jsonata::dialect dialect = jsonata::dialect::jsonata;
  std::optional<std::int64_t> now_ms;
  std::uint64_t seed = 0;
};

/// A fresh environment: the clock pinned or read once per evaluation (as the
/// reference does), the random stream restarted from the seed.
struct evaluation {
  std::mt19937_64 rng;
  jsonata::environment env;

  evaluation(common_env const& c, json::object const* bindings) : rng(c.seed) {
    env.functions = c.dialect;
    env.variables = bindings;
    if (c.now_ms) env.clock_ms = [ms = *c.now_ms] { return ms; };
    env.random = [this] { return std::uniform_real_distribution<double>(0.0, 1.0)(rng); };
  }
  evaluation(evaluation const&) = delete;
  evaluation& operator=(evaluation const&) = delete;
};

std::string error_text(jsonata::error const& e) {
  if (e.position() == 0) return fmt::format("{}: {}", e.code(), e.what());
  return fmt::format("{} at position {}: {}", e.code(), e.position(), e.what());
}

// ---- one request per line -------------------------------------------------------

std::string error_line(std::string_view code, std::string_view message, std::optional<std::size_t> position = {}) {
  std::string out = R"({"error":{"code":)";
  out += json::serialize(json::string(code));
  out += R"(,"message":)";
  out += json::serialize(json::string(message));
  if (position) out += fmt::format(R"(,"position":{})", *position);
  out += "}}";
  return out;
}

/// A non-negative number member of a request, or an error message.
std::optional<double> limit_of(json::object const& request, std::string_view name, std::string& error) {
  auto const* v = request.if_contains(name);
  if (!v) return std::nullopt;
  double d = -1;
  if (v->is_int64()) d = static_cast<double>(v->get_int64());
  else if (v->is_uint64()) d = static_cast<double>(v->get_uint64());
  else if (v->is_double()) d = v->get_double();
  if (!(d >= 0) || !std::isfinite(d)) error = fmt::format("\"{}\" must be a non-negative number", name);
  return d;
}

std::string answer(std::string const& line, common_env const& common, jsonata_options const& o) {
  std::string error;
  auto parsed = asl::parse_json(line, error);
  if (!parsed) return error_line("bad-line", "not JSON: " + error);
  auto const* request = parsed->if_object();
  if (!request) return error_line("bad-line", "a request is a JSON object {\"expr\", \"data\"?, \"bindings\"?, ...}");
  auto const* expr = request->if_contains("expr");
  if (!expr || !expr->is_string()) return error_line("bad-line", "\"expr\" must be a string");
  json::object const* bindings = nullptr;
  if (auto const* b = request->if_contains("bindings"); b && !b->is_null()) {
    bindings = b->if_object();
    if (!bindings) return error_line("bad-line", "\"bindings\" must be an object");
  }
  auto timelimit = limit_of(*request, "timelimit", error);
  auto depth = limit_of(*request, "depth", error);
  if (!error.empty()) return error_line("bad-line", error);

  evaluation ev(common, bindings);
  ev.env.max_depth = o.max_depth;
  ev.env.time_limit = std::chrono::milliseconds(o.time_limit_ms);
  if (timelimit) ev.env.time_limit = std::chrono::milliseconds(static_cast<std::int64_t>(*timelimit));
  if (depth) ev.env.max_depth = static_cast<std::size_t>(*depth);
  try {
    auto compiled = jsonata::expression::compile(expr->get_string());
    auto result = compiled.evaluate(request->if_contains("data"), ev.env);
    if (!result) return R"({"undefined":true})";
    std::string out = R"({"result":)";
    asl::append_js_text(out, *result);
    out += '}';
    return out;
  } catch (jsonata::error const& e) {
    return error_line(e.code(), e.what(), e.position() ? std::optional(e.position()) : std::nullopt);
  } catch (std::exception const& e) {
    return error_line("internal", e.what());
  }
}

/// Reads the next line of `in` into `line` (without its end), keeping at most
/// `limit` bytes: a longer line is read to its end and its byte count returned
/// in `dropped` (the request is not kept). False at the end of the input.
bool read_line(std::streambuf& in, std::string& line, std::size_t limit, std::size_t& dropped) {
  line.clear();
  dropped = 0;
  using traits = std::streambuf::traits_type;
  auto c = in.sbumpc();
  if (traits::eq_int_type(c, traits::eof())) return false;
  for (; !traits::eq_int_type(c, traits::eof()) && c != '\n'; c = in.sbumpc()) {
    if (dropped) {
      ++dropped;
    } else if (line.size() < limit) {
      line += traits::to_char_type(c);
    } else {
      dropped = line.size() + 1;
      line.clear();
    }
  }
  return true;
}

int run_lines(common_env const& common, jsonata_options const& o) {
  std::string line;
  std::size_t dropped = 0;
  auto& in = *std::cin.rdbuf();
  while (read_line(in, line, o.max_line_bytes, dropped)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (!dropped && line.find_first_not_of(" \t") == std::string::npos) continue;
    auto out = dropped ? error_line("bad-line", fmt::format("the request is {} bytes long, more than the {} a line may hold",
                                                            dropped, o.max_line_bytes))
                       : answer(line, common, o);
    out += '\n';
    std::fwrite(out.data(), 1, out.size(), stdout);
    std::fflush(stdout);
  }
  return ok;
}

}  // namespace

int jsonata_eval(jsonata_options const& o) {
  common_env common;
  common.dialect = o.dialect == "step-functions" ? jsonata::dialect::step_functions : jsonata::dialect::jsonata;
  common.seed = o.seed;
  if (o.now) {
    auto t = sim::parse_iso8601(*o.now);
    if (!t) return fail_usage(fmt::format("--now '{}' is not an ISO-8601 date-time such as 2024-01-01T00:00:00Z", *o.now));
    common.now_ms = std::chrono::duration_cast<std::chrono::milliseconds>(t->time_since_epoch()).count();
  }
  if (o.jsonl) return run_lines(common, o);

  std::string error;
  std::optional<json::value> input;
  if (o.input_file) {
    // "-" is standard input, read with the same bound as any input file.
    auto text = stepsim::json::read_file(*o.input_file == "-" ? std::string("/dev/stdin") : *o.input_file,
                                         stepsim::json::file_kind::input, error);
    if (!text) return fail_usage(error);
    input = asl::parse_json(*text, error);
    if (!input) return fail_usage(fmt::format("the input file '{}' is not valid JSON: {}", *o.input_file, error));
  } else if (o.input_json) {
    input = asl::parse_json(*o.input_json, error);
    if (!input) return fail_usage("--input-json is not valid JSON: " + error);
  }
  std::optional<json::value> bindings;
  if (o.bindings) {
    bindings = asl::parse_json(*o.bindings, error);
    if (!bindings) return fail_usage("--bindings is not valid JSON: " + error);
    if (!bindings->is_object()) return fail_usage("--bindings must be a JSON object of variable names (without $)");
  }

  evaluation ev(common, bindings ? &bindings->get_object() : nullptr);
  ev.env.max_depth = o.max_depth;
  ev.env.time_limit = std::chrono::milliseconds(o.time_limit_ms);
  std::optional<json::value> result;
  try {
    auto compiled = jsonata::expression::compile(o.expression);
    result = compiled.evaluate(input ? &*input : nullptr, ev.env);
  } catch (jsonata::error const& e) {
    fmt::print(stderr, "{}\n", error_text(e));
    return expression_failed;
  }
  if (!result) {
    if (o.verbose) fmt::print(stderr, "stepsim: the result is undefined\n");
    return ok;
  }
  if (o.compact) {
    fmt::print("{}\n", asl::to_js_text(*result));
  } else {
    fmt::print("{}\n", pretty(*result, number_style::javascript));
  }
  return ok;
}

}  // namespace stepsim::cli
