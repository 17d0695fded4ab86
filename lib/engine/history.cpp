#include <stepsim/engine/history.hpp>

namespace stepsim::engine {

namespace json = boost::json;

json::object history_event::to_json() const {
  json::object o;
  o["timestamp"] = sim::format_iso8601(timestamp);
  o["type"] = type;
  o["id"] = id;
  o["previousEventId"] = previous_event_id;
  if (!details_key.empty()) o[details_key] = details;
  return o;
}

json::object history_to_json(std::vector<history_event> const& events) {
  json::array a;
  a.reserve(events.size());
  for (auto const& e : events) a.push_back(e.to_json());
  return json::object{{"events", std::move(a)}};
}

}  // namespace stepsim::engine
