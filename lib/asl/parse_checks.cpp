// Rules AWS applies to a parsed definition as a whole: a terminal state in
// every machine, fields that exclude each other, Lambda ARNs, Credentials.
#include "parse_detail.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <string_view>
#include <vector>

namespace stepsim::asl::detail {
namespace {

bool terminal(state const& s) noexcept {
  return s.end || s.type == state_type::succeed || s.type == state_type::fail;
}

std::vector<std::string_view> split(std::string_view s, char sep) {
  std::vector<std::string_view> out;
  for (std::size_t from = 0;;) {
    auto at = s.find(sep, from);
    out.push_back(s.substr(from, at == std::string_view::npos ? std::string_view::npos : at - from));
    if (at == std::string_view::npos) return out;
    from = at + 1;
  }
}

bool lambda_chars(std::string_view s, std::size_t max) noexcept {
  return !s.empty() && s.size() <= max && std::all_of(s.begin(), s.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
  });
}

// What is wrong with a Lambda function ARN used as a Resource
// (arn:PARTITION:lambda:REGION:ACCOUNT:function:NAME[:ALIAS|VERSION]); empty when nothing is.
std::string lambda_arn_problem(std::string_view arn) {
  auto parts = split(arn, ':');
  if (parts.size() < 7 || parts[5] != "function") return "it does not name a function (…:function:NAME)";
  if (parts.size() > 8) return "it has more parts than …:function:NAME:ALIAS";
  if (!lambda_chars(parts[6], 64))
    return fmt::format("the function name '{}' must be 1 to 64 letters, digits, '-' or '_'", parts[6]);
  if (parts.size() == 8) {
    auto q = parts[7];
    if (q.empty()) return "the alias or version after the function name is empty";
    if (q != "$LATEST" && !lambda_chars(q, 128))
      return fmt::format("the alias or version '{}' must be $LATEST, a version number or an alias of letters, "
                         "digits, '-' or '_'",
                         q);
  }
  return {};
}

bool is_lambda_arn(std::string_view r) noexcept {
  auto parts = split(r, ':');
  return parts.size() >= 3 && parts[0] == "arn" && parts[2] == "lambda";
}

class checker {
 public:
  checker(json::value const& definition, diagnostics& out) : definition_(definition), out_(out) {}

  void machine(state_machine const& m, std::string const& pointer) {
    auto const& states = m.states();
    if (!states.empty() && std::none_of(states.begin(), states.end(), terminal))
      out_.push_back({pointer_append(pointer, "States"),
                      "MISSING_END_STATE: no state ends the machine; one needs \"End\": true or to be a Succeed or "
                      "Fail state"});
    for (auto const& s : states) one(s);
  }

 private:
  json::value const& definition_;
  diagnostics& out_;

  json::object const* raw(state const& s) const {
    boost::system::error_code ec;
    auto const* v = definition_.find_pointer(s.pointer, ec);
    return v ? v->if_object() : nullptr;
  }

  void one(state const& s) {
    auto const* o = raw(s);
    if (o) {
      exclusive(s, *o, "ToleratedFailureCount", "ToleratedFailureCountPath");
      exclusive(s, *o, "ToleratedFailurePercentage", "ToleratedFailurePercentagePath");
      if (s.type == state_type::task) task(s, *o);
    }
    for (std::size_t i = 0; i < s.branches.size(); ++i)
      machine(*s.branches[i], pointer_append(pointer_append(s.pointer, "Branches"), i));
    if (s.item_processor)
      machine(*s.item_processor, pointer_append(s.pointer, o && o->contains("Iterator") ? "Iterator" : "ItemProcessor"));
  }

  void exclusive(state const& s, json::object const& o, std::string_view a, std::string_view b) {
    if (o.contains(a) && o.contains(b))
      out_.push_back({pointer_append(s.pointer, b),
                      fmt::format("a Map state takes '{}' or '{}', not both", a, b)});
  }

  void task(state const& s, json::object const& o) {
    if (is_lambda_arn(s.resource))
      if (auto why = lambda_arn_problem(s.resource); !why.empty())
        out_.push_back({pointer_append(s.pointer, "Resource"),
                        fmt::format("INVALID_RESOURCE: '{}' is not a valid Lambda function ARN: {}", s.resource, why)});
    if (auto const* c = o.if_contains("Credentials")) {
      auto const* co = c->if_object();
      auto role = co ? co->if_contains("RoleArn") : nullptr;
      auto role_path = co ? co->if_contains("RoleArn.$") : nullptr;
      std::string where = pointer_append(s.pointer, "Credentials");
      if (!co || (!role && !role_path))
        out_.push_back({where, "'Credentials' must be an object with 'RoleArn' (or 'RoleArn.$' for a path)"});
      else if (role && !role->is_string())
        out_.push_back({pointer_append(where, "RoleArn"), "'RoleArn' must be a string: the ARN of an IAM role"});
      else if (role_path && !role_path->is_string())
        out_.push_back({pointer_append(where, "RoleArn.$"), "'RoleArn.$' must be a string holding a JSONPath"});
    }
  }
};

}  // namespace

void check_whole_machine(state_machine const& top, diagnostics& out) {
  checker(top.definition(), out).machine(top, "");
}

}  // namespace stepsim::asl::detail
