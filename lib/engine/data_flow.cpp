#include <stepsim/engine/state_rules.hpp>

#include <stepsim/asl/error.hpp>
#include <stepsim/asl/json_text.hpp>

#include <fmt/format.h>

namespace stepsim::engine::data_flow {

json::value select(asl::path_field const& f, json::value& v, bool keep, json::value const& context,
                   json::object const* vars) {
  if (f.is_null) return json::object();
  if (f.is_identity()) return keep ? v : std::move(v);
  auto const& p = *f.selected;
  auto const* root_p = p.root_in(v, context, vars);
  if (!root_p) throw asl::states_error("States.Runtime", fmt::format("Invalid path '{}' : No results for path: {}",
                                                                    p.text(), p.canonical()));
  auto const& root = *root_p;
  bool from_input = root_p == &v;
  if (p.is_definite()) {
    if (auto const* found = p.find(root)) {
      if (keep || !from_input) return *found;
      return std::move(const_cast<json::value&>(*found));  // `v` is ours to consume
    }
  } else if (auto selected = p.select(root)) {
    return std::move(*selected);
  }
  throw asl::states_error("States.Runtime",
                          fmt::format("Invalid path '{}' : No results for path: {}", p.text(), p.canonical()));
}

json::value combine(asl::path_field const& f, json::value raw, json::value result) {
  if (f.is_null) return raw;
  if (f.is_identity()) return result;
  std::string error;
  if (!f.selected->assign(raw, std::move(result), error)) throw asl::states_error("States.ResultPathMatchFailure", error);
  return raw;
}

namespace {

// Adds an upper bound of v's text size to n; stops once n passes max_payload_bytes.
void add_size_bound(json::value const& v, std::size_t& n) {
  switch (v.kind()) {
    case json::kind::object:
      n += 2 + v.get_object().size();  // braces, commas, colons
      for (auto const& kv : v.get_object()) {
        n += 2 + 6 * kv.key().size();
        add_size_bound(kv.value(), n);
        if (n > max_payload_bytes) return;
      }
      return;
    case json::kind::array:
      n += 2 + v.get_array().size();
      for (auto const& e : v.get_array()) {
        add_size_bound(e, n);
        if (n > max_payload_bytes) return;
      }
      return;
    case json::kind::string: n += 2 + 6 * v.get_string().size(); return;
    default: n += 40; return;  // null, true, false, numbers
  }
}

}  // namespace

bool exceeds_payload_limit(json::value const& v) {
  std::size_t bound = 0;
  add_size_bound(v, bound);
  return bound > max_payload_bytes && asl::text_size(v, max_payload_bytes) > max_payload_bytes;
}

void check_result_size(asl::state const& s, json::value const& result) {
  if (exceeds_payload_limit(result))
    throw asl::states_error("States.DataLimitExceeded",
                            fmt::format("The state/task '{}' returned a result with a size exceeding the maximum "
                                        "number of bytes service limit.",
                                        s.name));
}

sim::instant wait_until(asl::state const& s, json::value const& input, json::value const& context,
                        json::object const* vars, sim::instant now) {
  if (s.seconds) return now + std::chrono::seconds(*s.seconds);
  if (s.timestamp) return *s.timestamp;
  if (s.seconds_path) {
    auto const* v = s.seconds_path->find_in(input, context, vars);
    auto const& p = s.seconds_path->text();
    if (!v)
      throw asl::states_error("States.Runtime",
                              fmt::format("The SecondsPath parameter does not reference an input value: {}", p));
    std::int64_t secs = 0;
    if (auto const* i = v->if_int64()) secs = *i;
    else if (auto const* u = v->if_uint64()) secs = *u > std::uint64_t(INT64_MAX) ? INT64_MAX : std::int64_t(*u);
    else
      throw asl::states_error("States.Runtime",
                              fmt::format("The SecondsPath parameter cannot be parsed as a long value: {} == {}", p,
                                          v->is_string() ? std::string(v->get_string()) : asl::to_text(*v)));
    if (secs < 0)
      throw asl::states_error("States.Runtime",
                              fmt::format("The SecondsPath parameter references a negative value: {} == {}", p, secs));
    if (secs > std::chrono::duration_cast<std::chrono::seconds>(max_wait).count())
      throw asl::states_error("States.Runtime", "Wait state delay is too long.");
    return now + std::chrono::seconds(secs);
  }
  auto const& p = *s.timestamp_path;
  auto const* v = p.find_in(input, context, vars);
  if (!v)
    throw asl::states_error("States.Runtime",
                            fmt::format("The TimestampPath parameter does not reference an input value: {}", p.text()));
  std::optional<sim::instant> t;
  if (auto const* str = v->if_string()) t = sim::parse_iso8601(*str);
  if (!t)
    throw asl::states_error(
        "States.Runtime",
        fmt::format("The TimestampPath parameter does not reference a valid ISO-8601 extended offset date-time "
                    "format string: {} == {}",
                    p.text(), v->is_string() ? std::string(v->get_string()) : asl::to_text(*v)));
  return *t;
}

}  // namespace stepsim::engine::data_flow
