// State machines: create, describe, update, delete, list, validate.
#include "server/service_impl.hpp"

#include <stepsim/asl/parse.hpp>

#include <fmt/format.h>

namespace stepsim::server {

namespace {

std::shared_ptr<asl::state_machine const> compile(std::string const& definition) {
  auto r = asl::parse(definition);
  if (!r.ok())
    throw api_error("InvalidDefinition",
                    fmt::format("Invalid State Machine Definition: '{}'", fmt::join(definition_problems(r.errors), ", ")));
  return r.machine;
}

void check_role(std::string const& role) {
  if (!role.starts_with("arn:")) throw api_error("InvalidArn", fmt::format("Invalid Arn: 'Invalid ARN prefix: {}'", role));
}

json::object machine_json(machine_record const& m) {
  json::object o{{"stateMachineArn", m.arn},
                 {"name", m.name},
                 {"status", "ACTIVE"},
                 {"definition", m.definition},
                 {"roleArn", m.role_arn},
                 {"type", m.type},
                 {"creationDate", epoch(m.created)},
                 {"loggingConfiguration", json::object{{"level", "OFF"}, {"includeExecutionData", false}}},
                 {"tracingConfiguration", json::object{{"enabled", false}}}};
  if (!m.revision_id.empty()) o["revisionId"] = m.revision_id;
  if (m.version != 0 && !m.description.empty()) o["description"] = m.description;
  return o;
}

}  // namespace

machine_record const& service::impl::machine(std::string_view arn) const {
  auto p = parse_arn(arn);
  if (p.kind != "stateMachine")
    throw api_error("InvalidArn", fmt::format("Invalid Arn: 'Resource type not valid in this context: {}'", p.kind));
  auto it = machines.find(arn);
  if (it == machines.end())
    throw api_error("StateMachineDoesNotExist", fmt::format("State Machine Does Not Exist: '{}'", arn));
  return *it->second;
}

void service::impl::create_state_machine(request const& r, reply_to const& reply) {
  auto m = std::make_shared<machine_record>();
  m->name = r.required_string("name");
  check_name(m->name);
  m->definition = r.required_string("definition");
  m->role_arn = r.required_string("roleArn");
  check_role(m->role_arn);
  m->type = r.string("type").value_or("STANDARD");
  m->compiled = compile(m->definition);
  m->arn = arn("stateMachine", m->name);
  if (auto it = machines.find(m->arn); it != machines.end()) {
    auto const& old = *it->second;
    // Creating the same machine again is idempotent, as on AWS.
    if (old.definition != m->definition || old.role_arn != m->role_arn || old.type != m->type)
      throw api_error("StateMachineAlreadyExists", fmt::format("State Machine Already Exists: '{}'", m->arn));
    reply.ok({{"stateMachineArn", old.arn}, {"creationDate", epoch(old.created)}});
    return;
  }
  m->created = m->updated = sched.now();
  m->revision_id = next_id();
  set_tags(m->arn, r.list("tags"));
  persist(m->arn);
  machines[m->arn] = m;
  if (options.persistence) options.persistence->save_machine(*m);
  json::object out{{"stateMachineArn", m->arn}, {"creationDate", epoch(m->created)}};
  if (r.boolean("publish")) out["stateMachineVersionArn"] = publish(*m, r.string("versionDescription").value_or(""));
  reply.ok(out);
}

void service::impl::describe_state_machine(request const& r, reply_to const& reply) {
  reply.ok(machine_json(machine(r.required_string("stateMachineArn"))));
}

void service::impl::update_state_machine(request const& r, reply_to const& reply) {
  auto const& old = machine(r.required_string("stateMachineArn"));
  if (old.version != 0)
    throw api_error("InvalidArn", fmt::format("Invalid Arn: 'Resource type not valid in this context: stateMachineVersion'"));
  auto definition = r.string("definition");
  auto role = r.string("roleArn");
  if (!definition && !role && !r.structure("loggingConfiguration") && !r.structure("tracingConfiguration"))
    throw api_error("MissingRequiredParameter",
                    "Either the definition, the role ARN, the LoggingConfiguration, or the TracingConfiguration must be specified");
  auto m = std::make_shared<machine_record>(old);
  if (definition) {
    m->compiled = compile(*definition);
    m->definition = *definition;
  }
  if (role) {
    check_role(*role);
    m->role_arn = *role;
  }
  m->updated = sched.now();
  if (m->definition != old.definition || m->role_arn != old.role_arn) m->revision_id = next_id();
  machines[m->arn] = m;
  if (options.persistence) options.persistence->save_machine(*m);
  json::object out{{"updateDate", epoch(m->updated)}, {"revisionId", m->revision_id}};
  if (r.boolean("publish")) out["stateMachineVersionArn"] = publish(*m, r.string("versionDescription").value_or(""));
  reply.ok(out);
}

void service::impl::delete_state_machine(request const& r, reply_to const& reply) {
  auto arn = r.required_string("stateMachineArn");
  auto p = parse_arn(arn);
  if (p.kind != "stateMachine")
    throw api_error("InvalidArn", fmt::format("Invalid Arn: 'Resource type not valid in this context: {}'", p.kind));
  auto it = machines.find(arn);
  if (it != machines.end()) {
    if (it->second->version != 0)
      throw api_error("ValidationException", "Use DeleteStateMachineVersion to delete a state machine version");
    // Its versions and aliases go with it; executions already started run on.
    for (auto const& v : versions[arn]) {
      machines.erase(v);
      if (options.persistence) options.persistence->delete_machine(v);
    }
    versions.erase(arn);
    std::vector<std::string> gone{arn};
    for (auto const& [alias_arn, a] : aliases)
      if (a.machine_arn == arn) gone.push_back(alias_arn);
    std::erase_if(aliases, [&](auto const& a) { return a.second.machine_arn == arn; });
    machines.erase(it);
    tags.erase(arn);
    if (options.persistence) options.persistence->delete_machine(arn);
    for (auto const& g : gone) persist(g);
  }
  reply.ok({});
}

void service::impl::list_state_machines(request const& r, reply_to const& reply) {
  json::array items;
  for (auto const& [arn, m] : machines)
    if (m->version == 0)
      items.push_back(json::object{
          {"stateMachineArn", m->arn}, {"name", m->name}, {"type", m->type}, {"creationDate", epoch(m->created)}});
  reply.ok(page(r, "stateMachines", std::move(items)));
}

void service::impl::validate_definition(request const& r, reply_to const& reply) {
  auto parsed = asl::parse(r.required_string("definition"));
  // Every problem stepsim finds is an error; it reports no warnings.
  std::size_t max = page_size(r, 100);
  json::array diagnostics;
  for (auto const& e : parsed.errors) {
    if (diagnostics.size() == max) break;
    diagnostics.push_back(json::object{{"severity", "ERROR"},
                                       {"code", "SCHEMA_VALIDATION_FAILED"},
                                       {"message", e.message},
                                       {"location", e.pointer.empty() ? "/" : e.pointer}});
  }
  reply.ok({{"result", parsed.ok() ? "OK" : "FAIL"},
            {"diagnostics", std::move(diagnostics)},
            {"truncated", parsed.errors.size() > max}});
}

}  // namespace stepsim::server
