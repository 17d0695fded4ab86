// GetExecutionHistory and TestState.
#include "server/service_impl.hpp"

#include <stepsim/asl/json_text.hpp>
#include <stepsim/testing/test_state.hpp>

#include <fmt/format.h>

namespace stepsim::server {

namespace {

/// The payload members of event details, left out when includeExecutionData is false.
constexpr std::string_view payload_members[] = {"input", "output", "parameters", "result"};

json::object event_json(engine::history_event const& e, bool include_data) {
  json::object o{{"timestamp", epoch(e.timestamp)}, {"type", e.type}, {"id", e.id}, {"previousEventId", e.previous_event_id}};
  if (!e.details_key.empty()) {
    json::object d = e.details;
    if (!include_data)
      for (auto key : payload_members) d.erase(key);
    o[e.details_key] = std::move(d);
  }
  return o;
}

/// A request member holding JSON text, read as JSON; `code` names the AWS error for bad text.
std::optional<json::value> json_member(request const& r, std::string_view name, char const* code) {
  auto text = r.string(name);
  if (!text) return std::nullopt;
  std::string why;
  auto v = asl::parse_json(*text, why);
  if (!v) throw api_error(code, fmt::format("Invalid {}: '{}'", name, why));
  return v;
}

}  // namespace

void service::impl::get_execution_history(request const& r, reply_to const& reply) {
  auto const& e = execution(r.required_string("executionArn"));
  bool include = r.boolean("includeExecutionData", true);
  auto const& events = e.result().events;
  json::array items;
  items.reserve(events.size());
  if (r.boolean("reverseOrder"))
    for (auto it = events.rbegin(); it != events.rend(); ++it) items.push_back(event_json(*it, include));
  else
    for (auto const& ev : events) items.push_back(event_json(ev, include));
  reply.ok(page(r, "events", std::move(items)));
}

void service::impl::test_state(request const& r, reply_to const& reply) {
  std::string why;
  auto definition = asl::parse_json(r.required_string("definition"), why);
  if (!definition) throw api_error("InvalidDefinition", fmt::format("Invalid State Machine Definition: '{}'", why));
  auto input = json_member(r, "input", "InvalidExecutionInput").value_or(json::object{});
  testing::test_state_options t;
  t.state_name = r.string("stateName");
  t.role_arn = r.string("roleArn");
  t.reveal_secrets = r.boolean("revealSecrets");
  auto level = r.string("inspectionLevel").value_or("INFO");
  t.inspection = level == "TRACE"   ? testing::inspection_level::trace
                 : level == "DEBUG" ? testing::inspection_level::debug
                                    : testing::inspection_level::info;
  auto object_member = [&](std::string_view name) -> std::optional<json::object> {
    auto v = json_member(r, name, "ValidationException");
    if (!v) return std::nullopt;
    if (!v->is_object()) throw api_error("ValidationException", fmt::format("{} must be a JSON object", name));
    return v->as_object();
  };
  t.variables = object_member("variables");
  t.context = object_member("context");
  if (auto const* mock = r.structure("mock")) {
    if (auto const* result = mock->if_contains("result")) {
      if (!result->is_string()) throw api_error("SerializationException", "mock.result must be a string of JSON text");
      auto v = asl::parse_json(result->get_string(), why);
      if (!v) throw api_error("ValidationException", "Mocked result must be valid JSON");
      t.mock_result = std::move(*v);
    }
    if (auto const* out = mock->if_contains("errorOutput")) {
      auto const* o = out->if_object();
      auto const* err = o ? o->if_contains("error") : nullptr;
      auto const* cause = o ? o->if_contains("cause") : nullptr;
      if (!o || (err && !err->is_string()) || (cause && !cause->is_string()))
        throw api_error("SerializationException", "mock.errorOutput must be an object of strings error and cause");
      t.mock_error = testing::mocked_error{err ? std::string(err->get_string()) : std::string(),
                                           cause ? std::string(cause->get_string()) : std::string()};
    }
    if (auto const* m = mock->if_contains("fieldValidationMode")) {
      auto const* mode = m->if_string();
      if (!mode || (*mode != "STRICT" && *mode != "PRESENT" && *mode != "NONE"))
        throw api_error("ValidationException", "mock.fieldValidationMode must be STRICT, PRESENT or NONE");
      t.field_validation = *mode == "NONE"      ? testing::field_validation_mode::none
                           : *mode == "PRESENT" ? testing::field_validation_mode::present
                                                : testing::field_validation_mode::strict;
    }
  }
  if (auto const* config = r.structure("stateConfiguration")) {
    if (auto const* n = config->if_contains("retrierRetryCount")) {
      if (!n->is_int64() || n->get_int64() < 0)
        throw api_error("SerializationException", "stateConfiguration.retrierRetryCount must be a non-negative integer");
      t.retrier_retry_count = n->get_int64();
    }
    if (auto const* s = config->if_contains("errorCausedByState"); s && s->is_string())
      t.error_caused_by_state = std::string(s->get_string());
    if (auto const* n = config->if_contains("mapIterationFailureCount")) {
      if (!n->is_int64() || n->get_int64() < 0)
        throw api_error("SerializationException",
                        "stateConfiguration.mapIterationFailureCount must be a non-negative integer");
      t.map_iteration_failure_count = n->get_int64();
    }
    if (auto const* d = config->if_contains("mapItemReaderData")) {
      if (!d->is_string())
        throw api_error("SerializationException", "stateConfiguration.mapItemReaderData must be a string");
      t.map_item_reader_data = std::string(d->get_string());
    }
  }
  t.handlers = &base;
  try {
    reply.ok(testing::test_state(*definition, input, t).to_json());
  } catch (testing::test_state_error const& e) {
    if (e.code() != testing::test_state_error::kind::invalid_definition) throw api_error(e.aws_error(), e.what());
    throw api_error("InvalidDefinition", fmt::format("Invalid State Machine Definition: '{}'", e.what()));
  }
}

}  // namespace stepsim::server
