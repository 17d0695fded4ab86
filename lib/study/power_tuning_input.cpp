// Power Tuning's input: read and checked as the tool reads it, with a JSON pointer for every refusal.
#include <stepsim/study/power_tuning.hpp>

#include <stepsim/json/field_reader.hpp>

#include <stepsim/asl/json_text.hpp>

#include <boost/json.hpp>
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <set>
#include <stdexcept>

namespace stepsim::study {

namespace json = boost::json;
using stepsim::json::field_reader;

namespace {

// The tool's "ALL": 128 to 3,008 MB in steps of 64 MB.
std::vector<int> all_power_values() {
  std::vector<int> v;
  for (int m = 128; m <= 3008; m += 64) v.push_back(m);
  return v;
}

/// JavaScript truthiness of a JSON value (the tool's `p.weight && p.payload`).
bool truthy(json::value const* v) {
  if (!v || v->is_null()) return false;
  if (auto const* b = v->if_bool()) return *b;
  if (v->is_number()) return v->to_number<double>() != 0;
  if (auto const* s = v->if_string()) return !s->empty();
  return true;
}

/// The tool treats `payload` as weighted when it is a non-empty list whose
/// every entry has a truthy `weight` and a truthy `payload`.
bool is_weighted(json::value const& p) {
  auto const* a = p.if_array();
  if (!a || a->empty()) return false;
  for (auto const& e : *a) {
    auto const* o = e.if_object();
    if (!o || !truthy(o->if_contains("weight")) || !truthy(o->if_contains("payload"))) return false;
  }
  return true;
}

void read_power_values(field_reader const& r, power_tuning_input& in) {
  auto const* v = r.find("powerValues");
  if (!v || v->is_null()) return;
  if (auto const* s = v->if_string()) {
    if (*s == "ALL") in.power_values = all_power_values();
    else r.error("powerValues", fmt::format("'powerValues' must be a list of memory sizes or \"ALL\", not \"{}\"",
                                            std::string_view(*s)));
    return;
  }
  auto const* a = v->if_array();
  if (!a) {
    r.error("powerValues", "'powerValues' must be a list of memory sizes (MB) or \"ALL\"");
    return;
  }
  if (a->empty()) return;  // the tool falls back to the default list
  std::vector<int> values;
  for (std::size_t i = 0; i < a->size(); ++i) {
    auto const& e = (*a)[i];
    auto where = asl::pointer_append(r.at("powerValues"), i);
    std::optional<std::int64_t> m;
    if (auto const* p = e.if_int64()) m = *p;
    else if (auto const* d = e.if_double(); d && std::trunc(*d) == *d && std::fabs(*d) < 1e6) m = std::int64_t(*d);
    if (!m) {
      r.out.push_back({where, fmt::format("a power value must be a whole number of MB, not {}", asl::to_text(e))});
      continue;
    }
    if (*m < 128 || *m > 10240) {
      r.out.push_back({where, fmt::format("a power value must be 128 to 10240 MB, not {}", *m)});
      continue;
    }
    values.push_back(int(*m));
  }
  in.power_values = std::move(values);
}

void read_payload(field_reader const& r, power_tuning_input& in) {
  auto const* v = r.find("payload");
  if (!v) return;
  if (!is_weighted(*v)) {
    in.payload = *v;
    return;
  }
  auto const& a = v->get_array();
  for (std::size_t i = 0; i < a.size(); ++i) {
    auto const& o = a[i].get_object();
    auto where = asl::pointer_append(asl::pointer_append(r.at("payload"), i), "weight");
    auto const& w = o.at("weight");
    if (!w.is_number() || !(w.to_number<double>() > 0) || !std::isfinite(w.to_number<double>())) {
      r.out.push_back({where, fmt::format("a payload's weight must be a positive number, not {}", asl::to_text(w))});
      continue;
    }
    in.weighted.push_back({o.at("payload"), w.to_number<double>()});
  }
}

/// JSON text sent as a payload string reaches the function as that JSON value.
json::value convert_payload(json::value const& p) {
  if (auto const* s = p.if_string()) {
    std::string error;
    if (auto v = asl::parse_json(*s, error)) return std::move(*v);
  }
  return p;
}

}  // namespace

power_tuning_input_result parse_power_tuning_input(json::value const& input) {
  power_tuning_input_result res;
  auto const* o = input.if_object();
  if (!o) {
    res.errors.push_back({"", "the input must be an object such as {\"lambdaARN\": \"...\", \"num\": 10}"});
    return res;
  }
  static std::string const root;
  field_reader r{*o, root, res.errors};
  static std::set<std::string_view> const known{
      "lambdaARN",  "powerValues",      "num",         "payload",   "parallelInvocation", "strategy",
      "balancedWeight", "discardTopBottom", "sleepBetweenRunsMs", "onlyColdStarts", "includeOutputResults",
      "dryRun",     "autoOptimize",     "autoOptimizeAlias", "disablePayloadLogs"};
  static std::set<std::string_view> const online_only{"payloadS3", "preProcessorARN", "postProcessorARN",
                                                      "allowedExceptions"};
  for (auto const& kv : *o) {
    if (online_only.contains(kv.key()))
      r.error(kv.key(), fmt::format("'{}' is not supported offline (no S3 objects or other functions to call)",
                                    std::string_view(kv.key())));
    else if (!known.contains(kv.key()))
      r.error(kv.key(), fmt::format("unknown field '{}' in the Power Tuning input", std::string_view(kv.key())));
  }

  power_tuning_input in;
  if (auto const* v = r.find("lambdaARN"); !v || !v->is_string() || v->get_string().empty())
    res.errors.push_back({"/lambdaARN", "Missing or empty lambdaARN: the function's ARN or name is required"});
  else in.lambda_arn = std::string(v->get_string());
  if (!r.find("num")) res.errors.push_back({"/num", "Missing num or num below 5: 'num' is required"});
  else if (auto n = r.integer("num", 5, 10000)) in.num = int(*n);
  in.power_values.assign(std::begin(default_power_values), std::end(default_power_values));
  read_power_values(r, in);
  read_payload(r, in);
  if (auto b = r.boolean("parallelInvocation")) in.parallel_invocation = *b;
  if (auto s = r.string("strategy")) {
    if (*s == "cost") in.strategy = tuning_strategy::cost;
    else if (*s == "speed") in.strategy = tuning_strategy::speed;
    else if (*s == "balanced") in.strategy = tuning_strategy::balanced;
    else r.error("strategy", fmt::format("'strategy' must be \"cost\", \"speed\" or \"balanced\", not \"{}\"", *s));
  }
  // Any number: the tool clamps them.
  constexpr double any = std::numeric_limits<double>::max();
  if (auto w = r.number("balancedWeight", -any, any)) in.balanced_weight = std::clamp(*w, 0.0, 1.0);
  if (auto d = r.number("discardTopBottom", -any, any)) in.discard_top_bottom = std::clamp(*d, 0.0, 0.4);
  if (auto s = r.integer("sleepBetweenRunsMs", 0, 3600000)) in.sleep_between_runs_ms = *s;
  if (auto b = r.boolean("onlyColdStarts")) in.only_cold_starts = *b;
  if (auto b = r.boolean("includeOutputResults")) in.include_output_results = *b;
  if (auto b = r.boolean("dryRun")) in.dry_run = *b;
  (void)r.boolean("autoOptimize");  // nothing to reconfigure offline, but a wrong type is still an error
  (void)r.string("autoOptimizeAlias");
  (void)r.boolean("disablePayloadLogs");
  // Every invocation is counted when each one is a cold start of its own.
  if (in.only_cold_starts) in.discard_top_bottom = 0;
  if (!in.weighted.empty() && in.num > 0 && res.errors.empty()) {
    try {
      (void)generate_payloads(in, in.num);
    } catch (std::invalid_argument const& e) {
      res.errors.push_back({"/payload", e.what()});
    }
  }
  if (res.errors.empty()) res.value = std::move(in);
  return res;
}

std::vector<json::value> generate_payloads(power_tuning_input const& in, int num) {
  std::vector<json::value> out;
  out.reserve(std::size_t(std::max(num, 0)));
  if (in.weighted.empty()) {
    auto p = convert_payload(in.payload);
    out.assign(std::size_t(std::max(num, 0)), p);
    return out;
  }
  if (std::size_t(num) < in.weighted.size())
    throw std::invalid_argument(fmt::format("You have {} payloads and only \"num\"={}. Please increase \"num\".",
                                            in.weighted.size(), num));
  double total = 0;
  for (auto const& w : in.weighted) total += w.weight;
  int done = 0;
  for (std::size_t i = 0; i < in.weighted.size(); ++i) {
    auto how_many = int(std::floor(in.weighted[i].weight * num / total));
    if (how_many < 1) throw std::invalid_argument("Invalid payload weight (num is too small)");
    if (i + 1 == in.weighted.size()) how_many = num - done;
    auto p = convert_payload(in.weighted[i].payload);
    for (int k = 0; k < how_many; ++k) out.push_back(p);
    done += how_many;
  }
  return out;
}

}  // namespace stepsim::study
