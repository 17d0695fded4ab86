#include "server/request.hpp"

#include <stepsim/json/parse.hpp>

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <cmath>

namespace stepsim::server {

api_error::api_error(std::string code, std::string message) : std::runtime_error(std::move(message)), code_(std::move(code)) {}

std::string api_error::type() const {
  if (code_ == "SerializationException" || code_ == "UnknownOperationException")
    return "com.amazon.coral.service#" + code_;
  if (code_ == "ValidationException") return "com.amazon.coral.validate#" + code_;
  return "com.amazonaws.swf.service.v2.model#" + code_;
}

namespace {

/// Length as AWS counts it: UTF-16 code units.
std::int64_t utf16_length(std::string_view s) {
  std::int64_t n = 0;
  for (unsigned char c : s) {
    if ((c & 0xC0) != 0x80) ++n;
    if (c >= 0xF0) ++n;  // outside the Basic Multilingual Plane: a surrogate pair
  }
  return n;
}

char const* type_name(member_type t) {
  switch (t) {
    case member_type::string: return "a string";
    case member_type::integer: return "an integer";
    case member_type::boolean: return "a boolean";
    case member_type::number: return "a number";
    case member_type::structure: return "an object";
    case member_type::list: return "a list";
  }
  return "a value";
}

bool has_type(json::value const& v, member_type t) {
  switch (t) {
    case member_type::string: return v.is_string();
    case member_type::integer:
      if (v.is_int64() || v.is_uint64()) return true;
      return v.is_double() && std::trunc(v.get_double()) == v.get_double() && std::abs(v.get_double()) < 9.2e18;
    case member_type::boolean: return v.is_bool();
    case member_type::number: return v.is_number();
    case member_type::structure: return v.is_object();
    case member_type::list: return v.is_array();
  }
  return false;
}

std::string quoted(json::value const& v) {
  if (v.is_string()) return fmt::format("'{}'", std::string_view(v.get_string()));
  return fmt::format("'{}'", json::serialize(v));
}

/// The constraint `v` breaks, as AWS words it, or "".
std::string broken_constraint(member_spec const& m, json::value const& v) {
  if (m.type == member_type::string) {
    auto s = std::string_view(v.get_string());
    if (!m.values.empty()) {
      if (std::find(m.values.begin(), m.values.end(), s) == m.values.end())
        return fmt::format("Member must satisfy enum value set: [{}]", fmt::join(m.values, ", "));
      return {};
    }
    auto n = utf16_length(s);
    if (n < m.min) return fmt::format("Member must have length greater than or equal to {}", m.min);
    if (m.max >= 0 && n > m.max) return fmt::format("Member must have length less than or equal to {}", m.max);
  } else if (m.type == member_type::integer || m.type == member_type::number) {
    double d = v.to_number<double>();
    if (d < double(m.min)) return fmt::format("Member must have value greater than or equal to {}", m.min);
    if (m.max >= 0 && d > double(m.max)) return fmt::format("Member must have value less than or equal to {}", m.max);
  } else if (m.type == member_type::list) {
    auto n = std::int64_t(v.get_array().size());
    if (n < m.min) return fmt::format("Member must have length greater than or equal to {}", m.min);
    if (m.max >= 0 && n > m.max) return fmt::format("Member must have length less than or equal to {}", m.max);
  }
  return {};
}

}  // namespace

request::request(operation_spec const& op, std::string_view body) {
  if (body.empty()) body = "{}";  // the AWS CLI sends an empty object; some clients send nothing
  auto parsed = ::stepsim::json::parse(body, 64);
  if (!parsed.value)
    throw api_error("SerializationException",
                    fmt::format("the request body is not valid JSON ({} at offset {})", parsed.error.message(), parsed.consumed));
  if (!parsed.value->is_object())
    throw api_error("SerializationException", "the request body must be a JSON object");
  body_ = std::move(parsed.value->get_object());
  std::vector<std::string> problems;
  for (auto const& m : op.members) {
    auto const* v = body_.if_contains(m.name);
    if (v && v->is_null()) v = nullptr;  // an explicit null is an absent member
    if (!v) {
      if (m.required) problems.push_back(fmt::format("Value null at '{}' failed to satisfy constraint: Member must not be null", m.name));
      continue;
    }
    if (!has_type(*v, m.type))
      throw api_error("SerializationException",
                      fmt::format("member '{}' must be {}, not {}", m.name, type_name(m.type), json::serialize(*v)));
    if (auto c = broken_constraint(m, *v); !c.empty())
      problems.push_back(fmt::format("Value {} at '{}' failed to satisfy constraint: {}",
                                     m.type == member_type::list ? std::string("of the list") : quoted(*v), m.name, c));
  }
  if (!problems.empty())
    throw api_error("ValidationException", fmt::format("{} validation error{} detected: {}", problems.size(),
                                                       problems.size() == 1 ? "" : "s", fmt::join(problems, "; ")));
  for (auto it = body_.begin(); it != body_.end();)
    it = it->value().is_null() ? body_.erase(it) : it + 1;
}

std::optional<std::string> request::string(std::string_view name) const {
  if (auto const* v = body_.if_contains(name); v && v->is_string()) return std::string(v->get_string());
  return std::nullopt;
}

std::string request::required_string(std::string_view name) const {
  auto const* v = body_.if_contains(name);
  if (!v || !v->is_string())
    throw api_error("ValidationException",
                    fmt::format("1 validation error detected: Value null at '{}' failed to satisfy constraint: Member must not be null", name));
  return std::string(v->get_string());
}

std::optional<std::int64_t> request::integer(std::string_view name) const {
  auto const* v = body_.if_contains(name);
  if (!v) return std::nullopt;
  if (v->is_int64()) return v->get_int64();
  if (v->is_uint64()) return std::int64_t(std::min<std::uint64_t>(v->get_uint64(), INT64_MAX));
  if (v->is_double()) return std::int64_t(v->get_double());
  return std::nullopt;
}

std::optional<double> request::number(std::string_view name) const {
  auto const* v = body_.if_contains(name);
  if (!v || !v->is_number()) return std::nullopt;
  return v->to_number<double>();
}

bool request::boolean(std::string_view name, bool fallback) const {
  auto const* v = body_.if_contains(name);
  return v && v->is_bool() ? v->get_bool() : fallback;
}

json::object const* request::structure(std::string_view name) const {
  auto const* v = body_.if_contains(name);
  return v ? v->if_object() : nullptr;
}

json::array const* request::list(std::string_view name) const {
  auto const* v = body_.if_contains(name);
  return v ? v->if_array() : nullptr;
}

json::value epoch(sim::instant t) {
  auto ms = std::chrono::floor<std::chrono::milliseconds>(t.time_since_epoch()).count();
  return json::value(double(ms) / 1000.0);
}

std::int64_t stored_time(sim::instant t) { return t.time_since_epoch().count(); }
sim::instant time_of_stored(json::value const& v) { return sim::instant{sim::duration{v.to_number<std::int64_t>()}}; }

std::string page_token(std::size_t offset) { return fmt::format("stepsim-page-{}", offset); }

std::size_t page_offset(std::string_view token) {
  constexpr std::string_view prefix = "stepsim-page-";
  std::size_t offset = 0;
  if (token.starts_with(prefix)) {
    auto digits = token.substr(prefix.size());
    auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), offset);
    if (ec == std::errc{} && end == digits.data() + digits.size() && !digits.empty()) return offset;
  }
  throw api_error("InvalidToken", fmt::format("Invalid Token: '{}'", token));
}

std::size_t page_size(request const& r, std::size_t fallback) {
  auto n = r.integer("maxResults").value_or(0);
  return n <= 0 ? fallback : std::size_t(n);
}

void check_name(std::string_view name) {
  constexpr std::string_view refused = " <>{}[]?*\"#%\\^|~`$&,;:/";
  bool ok = !name.empty() && utf16_length(name) <= 80;
  for (unsigned char c : name)
    if (c < 0x20 || c == 0x7F || refused.find(char(c)) != std::string_view::npos) ok = false;
  if (!ok) throw api_error("InvalidName", fmt::format("Invalid Name: '{}'", name));
}

std::string states_arn(std::string_view region, std::string_view account, std::string_view kind,
                       std::string_view parts) {
  return fmt::format("arn:aws:states:{}:{}:{}:{}", region, account, kind, parts);
}

}  // namespace stepsim::server
