// The operations the server reads, against the botocore service model the AWS CLI and SDKs are built from.
#include "server/request.hpp"

#include "server/api_client.hpp"

#include <catch2/catch.hpp>

#include <set>

using namespace stepsim::server;

namespace {

std::string model_type(json::object const& shapes, std::string const& shape) {
  std::string t(shapes.at(shape).as_object().at("type").as_string());
  if (t == "long") return "integer";
  if (t == "float" || t == "double") return "number";
  return t;
}

std::string spec_type(member_type t) {
  switch (t) {
    case member_type::string: return "string";
    case member_type::integer: return "integer";
    case member_type::boolean: return "boolean";
    case member_type::number: return "number";
    case member_type::structure: return "structure";
    case member_type::list: return "list";
  }
  return "?";
}

}  // namespace

TEST_CASE("serve: the server reads exactly the operations and input members of the service model", "[server][model]") {
  auto const& m = test::model();
  auto const& shapes = m.at("shapes").as_object();
  std::set<std::string> in_model;
  for (auto const& op : m.at("operations").as_object()) {
    in_model.insert(std::string(op.key()));
    auto const* spec = find_operation(op.key());
    INFO("operation " << op.key());
    REQUIRE(spec);
    auto const& input = shapes.at(op.value().at("input").at("shape").as_string()).as_object();
    auto const& members = input.at("members").as_object();
    std::set<std::string> required;
    if (auto const* r = input.if_contains("required"))
      for (auto const& x : r->as_array()) required.insert(std::string(x.as_string()));
    CHECK(spec->members.size() == members.size());
    for (auto const& member : spec->members) {
      INFO("member " << member.name);
      auto const* mm = members.if_contains(member.name);
      REQUIRE(mm);
      std::string shape(mm->at("shape").as_string());
      CHECK(spec_type(member.type) == model_type(shapes, shape));
      CHECK(member.required == (required.count(std::string(member.name)) == 1));
      auto const& sh = shapes.at(shape).as_object();
      if (member.type != member_type::structure && member.type != member_type::boolean) {
        if (auto const* mn = sh.if_contains("min")) CHECK(member.min == mn->to_number<std::int64_t>());
        if (auto const* mx = sh.if_contains("max")) CHECK(member.max == mx->to_number<std::int64_t>());
        else CHECK(member.max == -1);
      }
      if (auto const* e = sh.if_contains("enum")) {
        std::vector<std::string_view> values;
        for (auto const& v : e->as_array()) values.push_back(v.as_string());
        CHECK(member.values == values);
      }
    }
  }
  for (auto const& spec : operation_specs()) CHECK(in_model.count(std::string(spec.name)) == 1);
}
