#include "server/api_client.hpp"

#include <catch2/catch.hpp>
#include <fmt/format.h>

#include <cstdio>
#include <stdexcept>

namespace stepsim::server::test {

json::object client::call(std::string const& op, json::object const& body) {
  auto r = raw(op, json::serialize(body));
  INFO(op << " " << json::serialize(body) << " -> " << r.body);
  REQUIRE(r.status == 200);
  auto out = json::parse(r.body).as_object();
  INFO(op << " output " << r.body);
  CHECK(output_problems(op, out) == "");
  return out;
}

std::string client::error(std::string const& op, json::object const& body, std::string* message) {
  auto r = raw(op, json::serialize(body));
  INFO(op << " " << json::serialize(body) << " -> " << r.body);
  REQUIRE(r.status == 400);
  auto out = json::parse(r.body).as_object();
  REQUIRE(out.at("message").is_string());
  if (message) *message = std::string(out.at("message").as_string());
  std::string type(out.at("__type").as_string());
  // botocore reads the code after the last '#'.
  return type.substr(type.rfind('#') + 1);
}

std::string client::create(std::string const& name, std::string const& definition, std::string const& type) {
  auto out = call("CreateStateMachine", {{"name", name},
                                         {"definition", definition},
                                         {"roleArn", "arn:aws:iam::123456789012:role/test"},
                                         {"type", type}});
  return std::string(out.at("stateMachineArn").as_string());
}

std::string client::start(std::string const& machine_arn, std::string const& input, std::string const& name) {
  json::object body{{"stateMachineArn", machine_arn}, {"input", input}};
  if (!name.empty()) body["name"] = name;
  return std::string(call("StartExecution", body).at("executionArn").as_string());
}

json::object client::describe(std::string const& execution_arn) {
  return call("DescribeExecution", {{"executionArn", execution_arn}});
}

void client::settle() {
  auto& ctx = sched.context();
  for (;;) {
    ctx.restart();
    if (ctx.poll() > 0) continue;
    auto due = sched.next_due();
    if (!due || svc->waiting_for_clients()) return;
    sched.run_until(*due);
  }
}

json::object const& model() {
  static json::object const m = [] {
    // botocore carries the model gzipped; python3 reads it the way the AWS CLI does.
    FILE* p = popen("python3 -c \"import botocore.session, json, sys; "
                    "json.dump(botocore.session.get_session().get_service_data('stepfunctions'), sys.stdout)\" 2>&1",
                    "r");
    if (!p) throw std::runtime_error("cannot run python3 to read the botocore model");
    std::string text;
    char buf[65536];
    for (std::size_t n; (n = fread(buf, 1, sizeof buf, p)) > 0;) text.append(buf, n);
    int rc = pclose(p);
    if (rc != 0) throw std::runtime_error("the botocore model of stepfunctions could not be read (is awscli installed?): " + text);
    return json::parse(text).as_object();
  }();
  return m;
}

namespace {

void check_shape(json::object const& shapes, std::string const& shape_name, json::value const& v, std::string const& where,
                 std::string& problems) {
  auto const& shape = shapes.at(shape_name).as_object();
  std::string type(shape.at("type").as_string());
  auto fail = [&](std::string const& what) { problems += fmt::format("{}: {}; ", where, what); };
  if (type == "string") {
    if (!v.is_string()) return fail("not a string");
    if (auto const* e = shape.if_contains("enum")) {
      bool found = false;
      for (auto const& x : e->as_array()) found = found || x == v;
      if (!found) fail(fmt::format("{} is not one of the enum", json::serialize(v)));
    }
  } else if (type == "timestamp" || type == "float" || type == "double") {
    if (!v.is_number()) fail("not a number");
  } else if (type == "integer" || type == "long") {
    if (!v.is_int64() && !v.is_uint64()) fail("not an integer");
  } else if (type == "boolean") {
    if (!v.is_bool()) fail("not a boolean");
  } else if (type == "list") {
    if (!v.is_array()) return fail("not a list");
    std::string member(shape.at("member").as_object().at("shape").as_string());
    std::size_t i = 0;
    for (auto const& x : v.as_array()) check_shape(shapes, member, x, fmt::format("{}[{}]", where, i++), problems);
  } else if (type == "map") {
    if (!v.is_object()) fail("not a map");
  } else if (type == "structure") {
    if (!v.is_object()) return fail("not an object");
    auto const& members = shape.at("members").as_object();
    for (auto const& kv : v.as_object()) {
      auto const* m = members.if_contains(kv.key());
      if (!m) {
        fail(fmt::format("member '{}' is not in the model", std::string_view(kv.key())));
        continue;
      }
      check_shape(shapes, std::string(m->as_object().at("shape").as_string()), kv.value(),
                  where + "." + std::string(kv.key()), problems);
    }
    if (auto const* req = shape.if_contains("required"))
      for (auto const& r : req->as_array())
        if (!v.as_object().contains(r.as_string())) fail(fmt::format("required member '{}' is missing", std::string_view(r.as_string())));
  }
}

}  // namespace

std::string output_problems(std::string const& op, json::object const& body) {
  auto const& m = model();
  auto const& operation = m.at("operations").as_object().at(op).as_object();
  std::string problems;
  auto const* output = operation.if_contains("output");
  if (!output) return body.empty() ? "" : "the model has no output for " + op;
  check_shape(m.at("shapes").as_object(), std::string(output->as_object().at("shape").as_string()), body, op, problems);
  return problems;
}

}  // namespace stepsim::server::test
