// State machine versions and aliases.
#include "server/service_impl.hpp"

#include <fmt/format.h>

#include <algorithm>

namespace stepsim::server {

namespace {

api_error not_found(std::string_view arn) { return api_error("ResourceNotFound", fmt::format("Resource not found: '{}'", arn)); }

json::array routing_json(alias_record const& a) {
  json::array out;
  for (auto const& [version, weight] : a.routing)
    out.push_back(json::object{{"stateMachineVersionArn", version}, {"weight", weight}});
  return out;
}

}  // namespace

std::string service::impl::publish(machine_record const& m, std::string description) {
  auto& list = versions[m.arn];
  if (!list.empty()) {
    auto const& latest = *machines.at(list.back());
    if (latest.revision_id == m.revision_id) return latest.arn;  // nothing changed: the same version, as AWS
  }
  auto v = std::make_shared<machine_record>(m);
  v->version = list.empty() ? 1 : machines.at(list.back())->version + 1;
  v->machine_arn = m.arn;
  v->arn = fmt::format("{}:{}", m.arn, v->version);
  v->description = std::move(description);
  v->created = v->updated = sched.now();
  list.push_back(v->arn);
  machines[v->arn] = v;
  if (options.persistence) options.persistence->save_machine(*v);
  return v->arn;
}

void service::impl::publish_version(request const& r, reply_to const& reply) {
  auto const& m = machine(r.required_string("stateMachineArn"));
  if (m.version != 0) throw api_error("InvalidArn", "Invalid Arn: 'Resource type not valid in this context: stateMachineVersion'");
  if (auto rev = r.string("revisionId"); rev && *rev != m.revision_id)
    throw api_error("ConflictException",
                    fmt::format("Failed to publish the State Machine version for revision {}. The current State Machine "
                                "revision is {}.",
                                *rev, m.revision_id));
  auto arn = publish(m, r.string("description").value_or(""));
  reply.ok({{"creationDate", epoch(machines.at(arn)->created)}, {"stateMachineVersionArn", arn}});
}

void service::impl::list_versions(request const& r, reply_to const& reply) {
  auto const& m = machine(r.required_string("stateMachineArn"));
  json::array items;
  auto it = versions.find(m.arn);
  if (it != versions.end())
    for (auto v = it->second.rbegin(); v != it->second.rend(); ++v)
      items.push_back(json::object{{"stateMachineVersionArn", *v}, {"creationDate", epoch(machines.at(*v)->created)}});
  reply.ok(page(r, "stateMachineVersions", std::move(items)));
}

void service::impl::delete_version(request const& r, reply_to const& reply) {
  auto arn = r.required_string("stateMachineVersionArn");
  parse_arn(arn);
  auto it = machines.find(arn);
  if (it != machines.end() && it->second->version != 0) {
    std::vector<std::string> using_it;
    for (auto const& [alias_arn, a] : aliases)
      for (auto const& route : a.routing)
        if (route.first == arn) using_it.push_back(alias_arn);
    if (!using_it.empty())
      throw api_error("ConflictException",
                      fmt::format("Version to be deleted must not be referenced by an alias. Current list of aliases "
                                  "referencing this version: [{}]",
                                  fmt::join(using_it, ", ")));
    std::erase(versions[it->second->machine_arn], arn);
    machines.erase(it);
    if (options.persistence) options.persistence->delete_machine(arn);
  }
  reply.ok({});
}

namespace {

/// The routing of a create or update request, checked: one or two versions
/// of `machine_arn` that exist, weights summing to 100.
std::vector<std::pair<std::string, std::int64_t>> read_routing(service::impl const& s, json::array const& routes,
                                                               std::string const* machine_arn) {
  std::vector<std::pair<std::string, std::int64_t>> out;
  std::int64_t total = 0;
  for (auto const& route : routes) {
    auto const* o = route.if_object();
    auto const* v = o ? o->if_contains("stateMachineVersionArn") : nullptr;
    auto const* w = o ? o->if_contains("weight") : nullptr;
    if (!v || !v->is_string() || !w || !w->is_int64())
      throw api_error("SerializationException",
                      "routingConfiguration: each entry must be an object with a string stateMachineVersionArn and an "
                      "integer weight");
    std::string version(v->get_string());
    auto const& m = s.machine(version);
    if (m.version == 0) throw api_error("ValidationException", fmt::format("'{}' is not a state machine version ARN", version));
    if (machine_arn && m.machine_arn != *machine_arn)
      throw api_error("ValidationException", "The versions of an alias must belong to the same state machine");
    if (w->get_int64() < 0 || w->get_int64() > 100)
      throw api_error("ValidationException", "A routing weight must be between 0 and 100");
    for (auto const& seen : out)
      if (seen.first == version) throw api_error("ValidationException", "Routing configuration must contain distinct version ARNs");
    total += w->get_int64();
    out.emplace_back(std::move(version), w->get_int64());
  }
  if (total != 100) throw api_error("ValidationException", "Sum of routing configuration weights must be equal to 100");
  return out;
}

}  // namespace

void service::impl::create_alias(request const& r, reply_to const& reply) {
  auto name = r.required_string("name");
  check_name(name);
  if (name.find_first_not_of("0123456789") == std::string::npos)
    throw api_error("ValidationException", "An alias name must not consist of digits only");
  auto routing = read_routing(*this, *r.list("routingConfiguration"), nullptr);
  auto machine_arn = machines.at(routing.front().first)->machine_arn;
  read_routing(*this, *r.list("routingConfiguration"), &machine_arn);
  alias_record a;
  a.arn = machine_arn + ":" + name;
  a.name = std::move(name);
  a.machine_arn = machine_arn;
  a.description = r.string("description").value_or("");
  a.routing = std::move(routing);
  if (auto it = aliases.find(a.arn); it != aliases.end()) {
    if (it->second.routing != a.routing || it->second.description != a.description)
      throw api_error("ConflictException", fmt::format("Alias already exists with a different configuration: '{}'", a.arn));
    reply.ok({{"stateMachineAliasArn", a.arn}, {"creationDate", epoch(it->second.created)}});
    return;
  }
  a.created = a.updated = sched.now();
  reply.ok({{"stateMachineAliasArn", a.arn}, {"creationDate", epoch(a.created)}});
  auto key = a.arn;
  aliases[key] = std::move(a);
  persist(key);
}

void service::impl::describe_alias(request const& r, reply_to const& reply) {
  auto arn = r.required_string("stateMachineAliasArn");
  parse_arn(arn);
  auto it = aliases.find(arn);
  if (it == aliases.end()) throw not_found(arn);
  auto const& a = it->second;
  json::object out{{"stateMachineAliasArn", a.arn}, {"name", a.name}, {"routingConfiguration", routing_json(a)},
                   {"creationDate", epoch(a.created)}, {"updateDate", epoch(a.updated)}};
  if (!a.description.empty()) out["description"] = a.description;
  reply.ok(out);
}

void service::impl::update_alias(request const& r, reply_to const& reply) {
  auto arn = r.required_string("stateMachineAliasArn");
  parse_arn(arn);
  auto it = aliases.find(arn);
  if (it == aliases.end()) throw not_found(arn);
  auto& a = it->second;
  if (auto const* routes = r.list("routingConfiguration")) a.routing = read_routing(*this, *routes, &a.machine_arn);
  if (auto d = r.string("description")) a.description = *d;
  a.updated = sched.now();
  reply.ok({{"updateDate", epoch(a.updated)}});
  persist(arn);
}

void service::impl::delete_alias(request const& r, reply_to const& reply) {
  auto arn = r.required_string("stateMachineAliasArn");
  parse_arn(arn);
  if (aliases.erase(arn) == 0) throw not_found(arn);
  persist(arn);
  reply.ok({});
}

void service::impl::list_aliases(request const& r, reply_to const& reply) {
  auto const& m = machine(r.required_string("stateMachineArn"));
  json::array items;
  for (auto const& [arn, a] : aliases)
    if (a.machine_arn == m.arn) items.push_back(json::object{{"stateMachineAliasArn", arn}, {"creationDate", epoch(a.created)}});
  reply.ok(page(r, "stateMachineAliases", std::move(items)));
}

}  // namespace stepsim::server
