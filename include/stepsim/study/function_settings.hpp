// stepsim::study::parse_function_settings: one function's settings object, as a study file writes it.
#pragma once

#include <stepsim/asl/error.hpp>
#include <stepsim/lambda/function.hpp>

#include <boost/json/value.hpp>

#include <optional>
#include <string>

namespace stepsim::study {

/// A function read from its settings, or the problems found.
struct function_settings_result {
  std::optional<lambda::function_config> value;
  asl::diagnostics errors;
};

/// Reads `settings`, an object with the fields a study's `functions` entry
/// takes (`memory_mb`, `architecture`, `runtime`, `timeout_s`, `init_ms`,
/// `init_extra_ms`, `init_cpu_ms`, `run_ms`, `cpu_ms`, `threads`, `io_ms`,
/// ...; see docs/studies.md), into a function named `name`. Every problem
/// is reported with the JSON pointer of the field at fault, below `pointer`
/// (the settings' own location; "" for a whole file).
function_settings_result parse_function_settings(boost::json::value const& settings, std::string name,
                                                 std::string const& pointer = "");

}  // namespace stepsim::study
