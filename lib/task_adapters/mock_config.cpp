#include <stepsim/task_adapters/mock_config.hpp>

#include <stepsim/asl/json_text.hpp>
#include <stepsim/json/field_reader.hpp>

#include <boost/json.hpp>
#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <limits>

namespace stepsim::tasks {

namespace json = boost::json;

namespace {

using stepsim::json::kind_name;

class reader {
 public:
  asl::diagnostics errors;

  void error(std::string pointer, std::string message) { errors.push_back({std::move(pointer), std::move(message)}); }

  json::object const* object(json::value const& v, std::string const& at, std::string_view what) {
    if (auto const* o = v.if_object()) return o;
    error(at, fmt::format("{} must be an object, not {}", what, kind_name(v)));
    return nullptr;
  }

  void only(json::object const& o, std::string const& at, std::initializer_list<std::string_view> fields,
            std::string_view what) {
    for (auto const& kv : o)
      if (std::find(fields.begin(), fields.end(), std::string_view(kv.key())) == fields.end())
        error(asl::pointer_append(at, kv.key()),
              fmt::format("unknown field '{}' in {} (expected {})", std::string_view(kv.key()), what,
                          fmt::join(fields, " or ")));
  }

  json::object const* member_object(json::object const& o, std::string const& at, std::string_view key,
                                    std::string_view what) {
    auto const* v = o.if_contains(key);
    if (!v) {
      error(at, fmt::format("{} needs the field '{}'", what, key));
      return nullptr;
    }
    return object(*v, asl::pointer_append(at, key), fmt::format("'{}'", key));
  }

  std::optional<std::uint32_t> number(std::string_view text) {
    if (text.empty() || text.size() > 10) return std::nullopt;
    std::uint64_t n = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), n);
    if (ec != std::errc{} || end != text.data() + text.size() || n > std::numeric_limits<std::int32_t>::max())
      return std::nullopt;
    return static_cast<std::uint32_t>(n);
  }

  std::optional<mock_outcome> outcome(json::value const& v, std::string const& at) {
    auto const* o = object(v, at, "a mocked invocation");
    if (!o) return std::nullopt;
    only(*o, at, {"Return", "Throw"}, "a mocked invocation");
    auto const* ret = o->if_contains("Return");
    auto const* thr = o->if_contains("Throw");
    if (ret && thr) {
      error(at, "a mocked invocation has exactly one of 'Return' and 'Throw', not both");
      return std::nullopt;
    }
    if (!ret && !thr) {
      error(at, "a mocked invocation needs one of 'Return' and 'Throw'");
      return std::nullopt;
    }
    if (ret) return mock_outcome{*ret, {}, {}};
    auto const tat = asl::pointer_append(at, "Throw");
    auto const* t = object(*thr, tat, "'Throw'");
    if (!t) return std::nullopt;
    only(*t, tat, {"Error", "Cause"}, "'Throw'");
    mock_outcome out;
    bool good = true;
    for (auto [key, field] : {std::pair{"Error", &out.error}, std::pair{"Cause", &out.cause}}) {
      auto const* f = t->if_contains(key);
      if (!f) {
        error(tat, fmt::format("'Throw' needs the field '{}' (a string)", key));
        good = false;
      } else if (!f->is_string()) {
        error(asl::pointer_append(tat, key), fmt::format("'{}' must be a string, not {}", key, kind_name(*f)));
        good = false;
      } else {
        *field = std::string(f->get_string());
      }
    }
    if (good && out.error.empty()) {
      error(asl::pointer_append(tat, "Error"), "'Error' must not be empty");
      good = false;
    }
    if (!good) return std::nullopt;
    return out;
  }

  std::optional<mocked_response> response(json::value const& v, std::string const& at) {
    auto const* o = object(v, at, "a mocked response");
    if (!o) return std::nullopt;
    if (o->empty()) {
      error(at, "a mocked response needs at least the invocation \"0\"");
      return std::nullopt;
    }
    mocked_response r;
    std::vector<std::string> pointers;
    bool good = true;
    for (auto const& kv : *o) {
      std::string_view key = kv.key();
      auto const kat = asl::pointer_append(at, key);
      auto dash = key.find('-');
      auto first = number(key.substr(0, dash));
      auto last = dash == std::string_view::npos ? first : number(key.substr(dash + 1));
      if (!first || !last) {
        error(kat, fmt::format("'{}' is not an invocation number (\"0\", \"1\", ...) or an inclusive range of them "
                               "(\"1-2\")", key));
        good = false;
        continue;
      }
      if (*last < *first) {
        error(kat, fmt::format("the range '{}' ends before it starts", key));
        good = false;
        continue;
      }
      auto out = outcome(kv.value(), kat);
      if (!out) {
        good = false;
        continue;
      }
      r.ranges.push_back({*first, *last, std::move(*out)});
      pointers.push_back(kat);
    }
    if (!good) return std::nullopt;
    std::vector<std::size_t> order(r.ranges.size());
    for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
    std::sort(order.begin(), order.end(), [&](auto a, auto b) { return r.ranges[a].first < r.ranges[b].first; });
    std::uint64_t expected = 0;
    for (auto i : order) {
      auto const& rg = r.ranges[i];
      if (rg.first != expected) {
        error(pointers[i], rg.first > expected
                               ? fmt::format("invocations must be numbered consecutively from 0: {} is missing", expected)
                               : fmt::format("invocation {} is given twice", rg.first));
        return std::nullopt;
      }
      expected = std::uint64_t{rg.last} + 1;
    }
    std::vector<mocked_response::range> sorted;
    for (auto i : order) sorted.push_back(std::move(r.ranges[i]));
    r.ranges = std::move(sorted);
    return r;
  }
};

}  // namespace

mock_outcome const* mocked_response::at(std::uint64_t attempt) const noexcept {
  for (auto const& r : ranges)
    if (attempt >= r.first && attempt <= r.last) return &r.outcome;
  return nullptr;
}

mock_config::test_case const* mock_config::find(std::string_view machine, std::string_view name) const {
  auto m = state_machines.find(machine);
  if (m == state_machines.end()) return nullptr;
  auto c = m->second.find(name);
  return c == m->second.end() ? nullptr : &c->second;
}

mock_config_result read_mock_config(json::value const& document) {
  reader rd;
  mock_config cfg;
  auto const* top = rd.object(document, "", "a mock configuration");
  if (!top) return {std::nullopt, std::move(rd.errors)};
  rd.only(*top, "", {"StateMachines", "MockedResponses"}, "a mock configuration");
  if (auto const* responses = rd.member_object(*top, "", "MockedResponses", "a mock configuration"))
    for (auto const& kv : *responses)
      if (auto r = rd.response(kv.value(), asl::pointer_append("/MockedResponses", kv.key())))
        cfg.responses.emplace(std::string(kv.key()), std::move(*r));
  auto const* defined = top->if_contains("MockedResponses");
  if (auto const* machines = rd.member_object(*top, "", "StateMachines", "a mock configuration")) {
    for (auto const& m : *machines) {
      auto const mat = asl::pointer_append("/StateMachines", m.key());
      auto const* mo = rd.object(m.value(), mat, "a state machine's entry");
      if (!mo) continue;
      rd.only(*mo, mat, {"TestCases"}, "a state machine's entry");
      auto const* cases = rd.member_object(*mo, mat, "TestCases", "a state machine's entry");
      if (!cases) continue;
      auto& out = cfg.state_machines[std::string(m.key())];
      for (auto const& c : *cases) {
        auto const cat = asl::pointer_append(asl::pointer_append(mat, "TestCases"), c.key());
        auto const* co = rd.object(c.value(), cat, "a test case");
        if (!co) continue;
        auto& tc = out[std::string(c.key())];
        for (auto const& s : *co) {
          auto const sat = asl::pointer_append(cat, s.key());
          if (!s.value().is_string()) {
            rd.error(sat, fmt::format("a test case maps a state name to the name of a mocked response (a string), "
                                      "not {}", kind_name(s.value())));
            continue;
          }
          std::string_view name = s.value().get_string();
          bool exists = defined && defined->is_object() && defined->as_object().contains(name);
          if (!exists) {
            rd.error(sat, fmt::format("'{}' names the mocked response '{}', which MockedResponses does not define",
                                      std::string_view(s.key()), name));
            continue;
          }
          tc.emplace(std::string(s.key()), std::string(name));
        }
      }
    }
  }
  if (!rd.errors.empty()) return {std::nullopt, std::move(rd.errors)};
  return {std::move(cfg), {}};
}

mock_config_result read_mock_config(std::string_view text) {
  std::string why;
  auto doc = asl::parse_json(text, why);
  if (!doc) return {std::nullopt, {{"", "not valid JSON: " + why}}};
  return read_mock_config(*doc);
}

mock_config_error::mock_config_error(std::string const& source, asl::diagnostics errors)
    : std::invalid_argument([&] {
        std::string all;
        for (auto const& e : errors)
          all += fmt::format("{}{}: {}: {}", all.empty() ? "" : "\n", source, e.pointer.empty() ? "/" : e.pointer,
                             e.message);
        return all;
      }()),
      errors_(std::move(errors)) {}

mock_config read_mock_config_or_throw(std::string_view text, std::string const& source) {
  auto r = read_mock_config(text);
  if (!r.ok()) throw mock_config_error(source, std::move(r.errors));
  return std::move(*r.config);
}

}  // namespace stepsim::tasks
