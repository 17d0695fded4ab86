// Aliases, activities and tags in the store (`stepsim serve --data DIR`): written when they change,
// read back when the service starts.
#include "server/service_impl.hpp"

#include <fmt/format.h>

namespace stepsim::server {

namespace {

std::string text_of(json::object const& o, char const* key) { return std::string(o.at(key).as_string()); }

json::object alias_json(alias_record const& a) {
  json::array routing;
  for (auto const& [version, weight] : a.routing) routing.push_back(json::array{json::value(version), weight});
  return {{"name", a.name},          {"description", a.description}, {"machineArn", a.machine_arn},
          {"routing", std::move(routing)}, {"created", stored_time(a.created)}, {"updated", stored_time(a.updated)}};
}

alias_record alias_of(std::string const& arn, json::object const& o) {
  alias_record a;
  a.arn = arn;
  a.name = text_of(o, "name");
  a.description = text_of(o, "description");
  a.machine_arn = text_of(o, "machineArn");
  for (auto const& route : o.at("routing").as_array())
    a.routing.emplace_back(std::string(route.at(0).as_string()), route.at(1).to_number<std::int64_t>());
  a.created = time_of_stored(o.at("created"));
  a.updated = time_of_stored(o.at("updated"));
  return a;
}

}  // namespace

void service::impl::persist(std::string const& arn) {
  auto* st = options.persistence;
  if (!st) return;
  if (auto a = aliases.find(arn); a != aliases.end())
    st->save_record({"alias", arn, json::serialize(alias_json(a->second))});
  else
    st->delete_record("alias", arn);
  if (auto a = activities.find(arn); a != activities.end())
    st->save_record({"activity", arn, json::serialize(json::object{{"name", a->second.name}, {"created", stored_time(a->second.created)}})});
  else
    st->delete_record("activity", arn);
  if (auto t = tags.find(arn); t != tags.end() && !t->second.empty()) {
    json::array list;
    for (auto const& [k, v] : t->second) list.push_back(json::object{{"key", k}, {"value", v}});
    st->save_record({"tags", arn, json::serialize(list)});
  } else {
    st->delete_record("tags", arn);
  }
}

void service::impl::restore(std::vector<store::record> const& records) {
  std::vector<std::string> stale;  // records of resources deleted with their state machine
  for (auto const& r : records) {
    try {
      auto v = json::parse(r.text);
      if (r.kind == "alias") {
        auto a = alias_of(r.arn, v.as_object());
        bool routed = machines.count(a.machine_arn) && !a.routing.empty();
        for (auto const& route : a.routing) routed = routed && machines.count(route.first);
        if (!routed) {
          stale.push_back(r.arn);
          continue;
        }
        aliases[r.arn] = std::move(a);
      } else if (r.kind == "activity") {
        auto const& o = v.as_object();
        auto& a = activities[r.arn];
        a.arn = r.arn;
        a.name = text_of(o, "name");
        a.created = time_of_stored(o.at("created"));
      } else if (r.kind == "tags") {
        auto& list = tags[r.arn];
        for (auto const& t : v.as_array()) list.emplace_back(text_of(t.as_object(), "key"), text_of(t.as_object(), "value"));
      }
    } catch (std::exception const& e) {
      throw store_error(fmt::format("the stored {} of '{}' cannot be read: {}", r.kind, r.arn, e.what()));
    }
  }
  // Tags of a resource that is gone (a deleted state machine's, written before it went) are dropped.
  for (auto it = tags.begin(); it != tags.end();) {
    if (machines.count(it->first) || activities.count(it->first)) {
      ++it;
      continue;
    }
    stale.push_back(it->first);
    it = tags.erase(it);
  }
  for (auto const& arn : stale) persist(arn);
}

}  // namespace stepsim::server
