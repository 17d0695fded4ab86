#include "jsonata_bench.hpp"

#include <stepsim/asl/json_text.hpp>
#include <stepsim/jsonata/expression.hpp>

#include <fmt/format.h>

#include <chrono>
#include <fstream>
#include <sstream>
#include <stdexcept>

namespace stepsim::bench {

namespace json = boost::json;
namespace fs = std::filesystem;

namespace {

json::value read_json(fs::path const& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) throw std::runtime_error(fmt::format("cannot open '{}'", file.string()));
  std::ostringstream ss;
  ss << in.rdbuf();
  std::string error;
  auto v = asl::parse_json(ss.str(), error);
  if (!v) throw std::runtime_error(fmt::format("{}: {}", file.string(), error));
  return std::move(*v);
}

std::string string_member(json::object const& o, char const* key, std::string const& where) {
  auto const* v = o.if_contains(key);
  if (!v || !v->is_string()) throw std::runtime_error(fmt::format("{}: \"{}\" must be a string", where, key));
  return std::string(v->get_string());
}

std::string shown(std::optional<json::value> const& v) {
  if (!v) return "undefined";
  auto text = asl::to_js_text(*v);
  return text.size() > 200 ? text.substr(0, 200) + "..." : text;
}

}  // namespace

std::vector<jsonata_case> load_jsonata_set(fs::path const& file) {
  auto doc = read_json(file);
  auto const* root = doc.if_object();
  auto const* list = root ? root->if_contains("expressions") : nullptr;
  if (!list || !list->is_array())
    throw std::runtime_error(fmt::format("{}: expected an object with an \"expressions\" array", file.string()));
  fs::path datasets = file.parent_path();
  if (auto const* d = root->if_contains("datasets"); d && d->is_string()) datasets /= std::string(d->get_string());

  std::vector<jsonata_case> out;
  std::size_t i = 0;
  for (auto const& item : list->get_array()) {
    auto where = fmt::format("{}: expressions[{}]", file.string(), i++);
    auto const* e = item.if_object();
    if (!e) throw std::runtime_error(where + ": not an object");
    jsonata_case c;
    c.name = string_member(*e, "name", where);
    where += " (" + c.name + ")";
    c.expr = string_member(*e, "expr", where);
    if (auto const* ds = e->if_contains("dataset"); ds && !ds->is_null()) {
      if (!ds->is_string()) throw std::runtime_error(where + ": \"dataset\" must be a string");
      c.input = read_json(datasets / (std::string(ds->get_string()) + ".json"));
    } else if (auto const* data = e->if_contains("data")) {
      c.input = *data;
    }
    if (auto const* b = e->if_contains("bindings"); b && !b->is_null()) {
      if (!b->is_object()) throw std::runtime_error(where + ": \"bindings\" must be an object");
      c.bindings = b->get_object();
    }
    if (auto const* r = e->if_contains("result")) c.expected = *r;
    out.push_back(std::move(c));
  }
  return out;
}

cell_result run_jsonata(jsonata_case const& c, cell_options const& o) {
  using clock = std::chrono::steady_clock;
  cell_result r;
  r.workload = "jsonata/" + c.name;
  r.mode = "eval";
  r.batch = 1;
  try {
    auto expr = jsonata::expression::compile(c.expr);
    jsonata::environment env;
    env.variables = &c.bindings;
    json::value const* input = c.input ? &*c.input : nullptr;
    auto const want = c.expected ? std::optional(asl::to_js_text(*c.expected)) : std::nullopt;
    auto check = [&](std::optional<json::value> const& got) {
      auto text = got ? std::optional(asl::to_js_text(*got)) : std::nullopt;
      if (text != want)
        throw std::runtime_error(fmt::format("result {} != expected {}", shown(got), shown(c.expected)));
    };
    check(expr.evaluate(input, env));
    for (int i = 0; i < 200; ++i) (void)expr.evaluate(input, env);  // warm-up, as bench.mjs

    std::uint64_t n = 0;
    double wall = 0;
    auto const t0 = clock::now();
    std::optional<json::value> last;
    do {
      for (int i = 0; i < 100; ++i) last = expr.evaluate(input, env);
      n += 100;
      wall = std::chrono::duration<double>(clock::now() - t0).count();
    } while (wall < o.min_time_s);
    check(last);
    r.executions = n;
    r.wall_s = wall;
    r.exec_per_s = wall > 0 ? static_cast<double>(n) / wall : 0;
    r.ms_per_op = n ? wall * 1e3 / static_cast<double>(n) : 0;
  } catch (jsonata::error const& e) {
    r.error = fmt::format("{} at position {}: {}", e.code(), e.position(), e.what());
  } catch (std::exception const& e) {
    r.error = e.what();
  }
  return r;
}

}  // namespace stepsim::bench
