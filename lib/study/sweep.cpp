// A study's "sweep": a grid of overrides expanded into named scenarios.
//
//   "sweep": {"axes": [
//     {"name": "mem", "path": "/functions/*/memory_mb", "values": [128, 512]},
//     {"name": "ka", "path": "/lambda/keep_alive", "values": [{"fixed_s": 60}, {"fixed_s": 600}],
//      "labels": ["1min", "10min"]}]}
//
// makes "mem=128,ka=1min", "mem=128,ka=10min", "mem=512,ka=1min",
// "mem=512,ka=10min": the first axis varies slowest. docs/studies.md has the rules.
#include "study/sweep.hpp"

#include <stepsim/json/field_reader.hpp>
#include <stepsim/study/study.hpp>

#include <boost/json.hpp>
#include <fmt/format.h>

#include <array>
#include <charconv>
#include <set>

namespace stepsim::study::detail {

namespace json = boost::json;
using stepsim::json::field_reader;

namespace {

/// The reference tokens of a JSON pointer ("/a~1b/c" -> {"a/b", "c"}), or
/// nullopt when it is not one (no leading '/', a bad '~' escape).
std::optional<std::vector<std::string>> split_pointer(std::string_view p) {
  std::vector<std::string> tokens;
  if (p.empty()) return tokens;
  if (p.front() != '/') return std::nullopt;
  std::string token;
  for (std::size_t i = 1; i <= p.size(); ++i) {
    if (i == p.size() || p[i] == '/') {
      tokens.push_back(std::move(token));
      token.clear();
    } else if (p[i] == '~') {
      if (i + 1 >= p.size() || (p[i + 1] != '0' && p[i + 1] != '1')) return std::nullopt;
      token += p[i + 1] == '0' ? '~' : '/';
      ++i;
    } else {
      token += p[i];
    }
  }
  return tokens;
}

/// Objects merged member by member, `over` winning; no wildcard rules (those
/// apply when the point's overrides meet the study).
void deep_merge(json::object& base, json::object const& over) {
  for (auto const& kv : over) {
    auto* existing = base.if_contains(kv.key());
    if (existing && existing->is_object() && kv.value().is_object())
      deep_merge(existing->get_object(), kv.value().get_object());
    else
      base[kv.key()] = kv.value();
  }
}

/// {"a": {"b": value}} for the tokens {"a", "b"}.
json::object nest(std::vector<std::string> const& tokens, json::value const& value) {
  json::value v = value;
  for (auto it = tokens.rbegin(); it != tokens.rend(); ++it) v = json::object{{*it, std::move(v)}};
  return std::move(v.get_object());
}

/// The label a value gives itself, or nullopt when it needs one from "labels".
std::optional<std::string> label_of(json::value const& v) {
  if (auto const* s = v.if_string()) return std::string(*s);
  if (v.is_bool()) return v.get_bool() ? "true" : "false";
  if (v.is_int64()) return std::to_string(v.get_int64());
  if (v.is_uint64()) return std::to_string(v.get_uint64());
  if (v.is_double()) {
    std::array<char, 32> buf{};
    auto r = std::to_chars(buf.data(), buf.data() + buf.size(), v.get_double());
    return std::string(buf.data(), r.ptr);
  }
  return std::nullopt;
}

/// Why `name` cannot be an axis name or a label in a scenario name, or nullopt.
std::optional<std::string> part_problem(std::string const& name) {
  if (auto why = file_name_problem(name)) return why;
  if (name.find_first_of(",=") != std::string::npos) return std::string("it contains ',' or '=' (they separate the parts of a scenario's name)");
  return std::nullopt;
}

struct axis {
  std::string name;
  std::optional<std::vector<std::string>> path;
  std::vector<json::value> values;
  std::vector<std::string> labels;
  std::string pointer;  ///< "/sweep/axes/K"
};

std::optional<axis> read_axis(json::value const& v, std::string const& where, asl::diagnostics& out) {
  auto const* o = v.if_object();
  if (!o) {
    out.push_back({where, "a sweep axis must be an object {\"name\", \"path\", \"values\", \"labels\"}"});
    return std::nullopt;
  }
  auto const errors = out.size();
  field_reader r{*o, where, out};
  for (auto const& kv : *o)
    if (kv.key() != "name" && kv.key() != "path" && kv.key() != "values" && kv.key() != "labels")
      r.error(kv.key(), fmt::format("unknown field '{}' in a sweep axis", std::string_view(kv.key())));
  axis a;
  a.pointer = where;
  if (auto n = r.string("name")) {
    a.name = *n;
    if (auto why = part_problem(a.name)) r.error("name", fmt::format("an axis's name is part of scenario names, and {}", *why));
  } else if (!r.find("name")) {
    out.push_back({where, "a sweep axis needs 'name'"});
  }
  if (auto p = r.string("path")) {
    a.path = split_pointer(*p);
    if (!a.path || a.path->empty())
      r.error("path", fmt::format("'path' must be a JSON pointer to a setting, such as /functions/*/memory_mb, not '{}'", *p));
    else if (auto const& top = a.path->front();
             top != "functions" && top != "lambda" && top != "orchestration" && top != "workloads")
      r.error("path", fmt::format("a sweep sets functions, lambda, orchestration or workloads, not '{}'", top));
  }
  auto const* vals = r.find("values");
  if (!vals || !vals->is_array() || vals->get_array().empty()) {
    if (vals) r.error("values", "'values' must be a non-empty array");
    else out.push_back({where, "a sweep axis needs 'values': a non-empty array"});
    return std::nullopt;
  }
  a.values.assign(vals->get_array().begin(), vals->get_array().end());
  if (!o->contains("path"))
    for (std::size_t j = 0; j < a.values.size(); ++j)
      if (!a.values[j].is_object())
        out.push_back({asl::pointer_append(r.at("values"), j),
                       "without 'path', each value is an overrides object (as a scenario's 'overrides')"});
  if (auto const* lv = r.find("labels")) {
    auto const* la = lv->if_array();
    if (!la || la->size() != a.values.size()) {
      r.error("labels", fmt::format("'labels' must be an array of {} strings, one per value", a.values.size()));
      return std::nullopt;
    }
    for (std::size_t j = 0; j < la->size(); ++j) {
      auto const* s = (*la)[j].if_string();
      if (!s) out.push_back({asl::pointer_append(r.at("labels"), j), "a label must be a string"});
      a.labels.push_back(s ? std::string(*s) : std::string());
    }
  } else {
    for (std::size_t j = 0; j < a.values.size(); ++j) {
      auto l = label_of(a.values[j]);
      if (!l) out.push_back({asl::pointer_append(r.at("values"), j), "this value needs a label: give the axis 'labels'"});
      a.labels.push_back(l.value_or(""));
    }
  }
  if (out.size() > errors) return std::nullopt;
  std::set<std::string> seen;
  char const* from = o->contains("labels") ? "labels" : "values";
  for (std::size_t j = 0; j < a.labels.size(); ++j) {
    auto at = asl::pointer_append(r.at(from), j);
    if (auto why = part_problem(a.labels[j]))
      out.push_back({at, fmt::format("the label '{}' is part of scenario names, and {}", a.labels[j], *why)});
    else if (!seen.insert(a.labels[j]).second)
      out.push_back({at, fmt::format("two values of the axis '{}' are labelled '{}'", a.name, a.labels[j])});
  }
  if (out.size() > errors) return std::nullopt;
  return a;
}

}  // namespace

std::optional<std::vector<sweep_point>> expand_sweep(json::value const& sweep, asl::diagnostics& out) {
  auto const* o = sweep.if_object();
  auto const* axes_v = o ? o->if_contains("axes") : nullptr;
  if (!o || !axes_v || !axes_v->is_array() || axes_v->get_array().empty()) {
    out.push_back({axes_v ? "/sweep/axes" : "/sweep", "'sweep' must be {\"axes\": [...]}, a non-empty array of axes"});
    return std::nullopt;
  }
  for (auto const& kv : *o)
    if (kv.key() != "axes")
      out.push_back({asl::pointer_append("/sweep", kv.key()),
                     fmt::format("unknown field '{}' in 'sweep'", std::string_view(kv.key()))});
  auto const& list = axes_v->get_array();
  std::vector<axis> axes;
  std::set<std::string> names;
  std::size_t points = 1;
  auto const errors = out.size();
  for (std::size_t k = 0; k < list.size(); ++k) {
    auto where = asl::pointer_append("/sweep/axes", k);
    auto a = read_axis(list[k], where, out);
    if (!a) continue;
    if (!names.insert(a->name).second)
      out.push_back({where + "/name", fmt::format("two sweep axes are named '{}'", a->name)});
    points = std::min(points * a->values.size(), max_sweep_points + 1);
    axes.push_back(std::move(*a));
  }
  if (out.size() > errors) return std::nullopt;
  if (points > max_sweep_points) {
    std::string sizes;
    for (auto const& a : axes) sizes += (sizes.empty() ? "" : " x ") + std::to_string(a.values.size());
    out.push_back({"/sweep/axes", fmt::format("the sweep makes more than {} scenarios ({}): split it into several studies",
                                              max_sweep_points, sizes)});
    return std::nullopt;
  }
  std::vector<sweep_point> result;
  std::vector<std::size_t> at(axes.size(), 0);
  for (std::size_t n = 0; n < points; ++n) {
    sweep_point p;
    for (std::size_t k = 0; k < axes.size(); ++k) {
      auto const& a = axes[k];
      auto const& v = a.values[at[k]];
      p.name += (k ? "," : "") + a.name + "=" + a.labels[at[k]];
      p.coordinates[a.name] = a.path ? v : json::value(a.labels[at[k]]);
      auto value_pointer = asl::pointer_append(a.pointer + "/values", at[k]);
      if (a.path) {
        deep_merge(p.overrides, nest(*a.path, v));
        p.origins.push_back({*a.path, value_pointer});
      } else {
        deep_merge(p.overrides, v.get_object());
      }
    }
    if (auto why = file_name_problem(p.name)) {
      out.push_back({"/sweep/axes", fmt::format("the scenario name '{}' is not usable as a file name: {}", p.name, *why)});
      return std::nullopt;
    }
    result.push_back(std::move(p));
    for (std::size_t k = axes.size(); k-- > 0;) {  // the last axis varies fastest
      if (++at[k] < axes[k].values.size()) break;
      at[k] = 0;
    }
  }
  return result;
}

std::optional<std::string> sweep_pointer(sweep_point const& p, std::string const& pointer) {
  auto tokens = split_pointer(pointer);
  if (!tokens) return std::nullopt;
  // The last axis wins where two set the same setting: search from the end.
  for (auto it = p.origins.rbegin(); it != p.origins.rend(); ++it) {
    auto const& path = it->path;
    if (tokens->size() < path.size()) continue;
    bool match = true;
    for (std::size_t i = 0; match && i < path.size(); ++i) match = path[i] == "*" || path[i] == (*tokens)[i];
    if (!match) continue;
    std::string out = it->value_pointer;
    for (std::size_t i = path.size(); i < tokens->size(); ++i) out = asl::pointer_append(out, (*tokens)[i]);
    return out;
  }
  return std::nullopt;
}

}  // namespace stepsim::study::detail
