// `stepsim run --mock-config` and `stepsim test-state`: the testing toolkit on the command line.
#include "cli/commands.hpp"

#include <stepsim/asl/json_text.hpp>
#include <stepsim/engine/engine.hpp>
#include <stepsim/json/read_file.hpp>
#include <stepsim/task_adapters/mock_config.hpp>
#include <stepsim/testing/mocks.hpp>
#include <stepsim/testing/test_state.hpp>

#include <boost/json.hpp>
#include <fmt/format.h>

namespace stepsim::cli {

namespace json = boost::json;

namespace {

/// The mocks of a run and the handlers they fall back to.
struct mock_binding {
  testing::mock_table table;
  tasks::registry unmocked;
};

/// A JSON request field given on the command line; `what` names it in errors.
std::optional<json::value> json_field(std::string const& text, std::string const& what, int& code) {
  std::string why;
  auto v = asl::parse_json(text, why);
  if (!v) code = fail_usage(fmt::format("{} is not valid JSON: {}", what, why));
  return v;
}

}  // namespace

std::shared_ptr<void> bind_mock_config(run_options const& o, asl::state_machine const& machine,
                                       std::string const& machine_name, tasks::registry& tasks, engine::engine& eng,
                                       int& code) {
  if (!o.mock_config && !o.test_case) return nullptr;
  if (!o.mock_config || !o.test_case) {
    code = fail_usage("--mock-config and --test-case go together");
    return nullptr;
  }
  std::string error;
  auto text = stepsim::json::read_file(*o.mock_config, stepsim::json::file_kind::mock, error);
  if (!text) {
    code = fail_usage(error);
    return nullptr;
  }
  auto binding = std::make_shared<mock_binding>();
  try {
    binding->table.use(tasks::read_mock_config_or_throw(*text, *o.mock_config), machine, machine_name, *o.test_case,
                       *o.mock_config);
  } catch (tasks::mock_config_error const& e) {
    fmt::print(stderr, "{}\n", e.what());
    code = bad_input;
    return nullptr;
  }
  binding->unmocked = tasks;
  binding->table.install(tasks, &binding->unmocked, &eng);
  return binding;
}

int test_state(test_state_options const& o) {
  int code = ok;
  std::string definition_text = o.definition;
  if (definition_text.starts_with("file://")) {
    std::string error;
    auto text = stepsim::json::read_file(definition_text.substr(7), stepsim::json::file_kind::definition, error);
    if (!text) return fail_usage(error);
    definition_text = std::move(*text);
  }
  auto definition = json_field(definition_text, "--definition", code);
  if (!definition) return code;
  auto input = json_field(o.input.value_or("{}"), "--input", code);
  if (!input) return code;

  testing::test_state_options t;
  t.state_name = o.state_name;
  t.role_arn = o.role_arn;
  t.reveal_secrets = o.reveal_secrets;
  t.inspection = o.inspection_level == "TRACE"   ? testing::inspection_level::trace
                 : o.inspection_level == "DEBUG" ? testing::inspection_level::debug
                                                 : testing::inspection_level::info;
  auto object_field = [&](std::optional<std::string> const& text, char const* what) -> std::optional<json::object> {
    if (!text) return std::nullopt;
    auto v = json_field(*text, what, code);
    if (!v) return std::nullopt;
    if (!v->is_object()) {
      code = fail_usage(fmt::format("{} must be a JSON object", what));
      return std::nullopt;
    }
    return v->as_object();
  };
  t.variables = object_field(o.variables, "--variables");
  t.context = object_field(o.context, "--context");
  auto mock = object_field(o.mock, "--mock");
  auto config = object_field(o.state_configuration, "--state-configuration");
  if (code != ok) return code;
  if (mock) {
    for (auto const& kv : *mock)
      if (kv.key() != "result" && kv.key() != "errorOutput" && kv.key() != "fieldValidationMode")
        return fail_usage(fmt::format("--mock: unknown field '{}' (expected result, errorOutput or fieldValidationMode)",
                                  std::string_view(kv.key())));
    if (auto const* r = mock->if_contains("result")) {
      if (!r->is_string()) return fail_usage("--mock: 'result' must be a string of JSON text, as in the TestState API");
      t.mock_result = json_field(std::string(r->get_string()), "--mock result", code);
      if (!t.mock_result) return code;
    }
    if (auto const* m = mock->if_contains("fieldValidationMode")) {
      auto const* mode = m->if_string();
      if (!mode || (*mode != "STRICT" && *mode != "PRESENT" && *mode != "NONE"))
        return fail_usage("--mock: 'fieldValidationMode' must be STRICT, PRESENT or NONE");
      t.field_validation = *mode == "NONE"      ? testing::field_validation_mode::none
                           : *mode == "PRESENT" ? testing::field_validation_mode::present
                                                : testing::field_validation_mode::strict;
    }
    if (auto const* e = mock->if_contains("errorOutput")) {
      auto const* eo = e->if_object();
      auto const* err = eo ? eo->if_contains("error") : nullptr;
      auto const* cause = eo ? eo->if_contains("cause") : nullptr;
      if (!err || !err->is_string() || (cause && !cause->is_string()))
        return fail_usage("--mock: 'errorOutput' must be an object with a string 'error' and an optional string 'cause'");
      t.mock_error = testing::mocked_error{std::string(err->get_string()),
                                           cause ? std::string(cause->get_string()) : std::string()};
    }
  }
  if (config) {
    for (auto const& kv : *config) {
      std::string_view key = kv.key();
      if (key == "retrierRetryCount") {
        auto const* n = kv.value().if_int64();
        if (!n || *n < 0) return fail_usage("--state-configuration: 'retrierRetryCount' must be a non-negative integer");
        t.retrier_retry_count = *n;
      } else if (key == "errorCausedByState") {
        if (!kv.value().is_string()) return fail_usage("--state-configuration: 'errorCausedByState' must be a string");
        t.error_caused_by_state = std::string(kv.value().get_string());
      } else if (key == "mapIterationFailureCount") {
        auto const* n = kv.value().if_int64();
        if (!n || *n < 0)
          return fail_usage("--state-configuration: 'mapIterationFailureCount' must be a non-negative integer");
        t.map_iteration_failure_count = *n;
      } else if (key == "mapItemReaderData") {
        if (!kv.value().is_string())
          return fail_usage("--state-configuration: 'mapItemReaderData' must be a string (the text the ItemReader reads)");
        t.map_item_reader_data = std::string(kv.value().get_string());
      } else {
        return fail_usage(fmt::format("--state-configuration: unknown field '{}'", key));
      }
    }
  }
  try {
    auto r = testing::test_state(*definition, *input, t);
    fmt::print("{}\n", pretty(r.to_json()));
    return r.status == "SUCCEEDED" ? ok : execution_failed;
  } catch (testing::test_state_error const& e) {
    return fail_usage(fmt::format("the TestState request is invalid ({}):\n{}", e.aws_error(), e.what()));
  }
}

}  // namespace stepsim::cli
