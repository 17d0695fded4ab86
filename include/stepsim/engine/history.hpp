// stepsim::engine history events, shaped like AWS GetExecutionHistory.
#pragma once

#include <stepsim/sim/time.hpp>

#include <boost/json/object.hpp>

#include <cstdint>
#include <string>
#include <vector>

namespace stepsim::engine {

/// How much history an execution keeps.
enum class history_level {
  off,      ///< none (events are still numbered, so causes quote the same ids as AWS)
  summary,  ///< every event with its type, ids, timestamp and names, without payloads
  full      ///< every event with its details, payloads included, as AWS records them
};

/// One event, as in AWS `GetExecutionHistory`: `details` is the
/// `...EventDetails` object (e.g. `stateEnteredEventDetails` for a
/// `PassStateEntered`), whose member name `details_key` gives.
struct history_event {
  std::int64_t id = 0;
  std::int64_t previous_event_id = 0;
  sim::instant timestamp{};
  std::string type;         ///< "ExecutionStarted", "PassStateEntered", "TaskSucceeded", ...
  std::string details_key;  ///< "executionStartedEventDetails", ... ("" when none)
  boost::json::object details;

  /// The event as AWS prints it: {"timestamp", "type", "id", "previousEventId", "<details_key>": {...}}.
  boost::json::object to_json() const;
};

/// `{"events": [...]}` as `aws stepfunctions get-execution-history` prints it.
boost::json::object history_to_json(std::vector<history_event> const& events);

}  // namespace stepsim::engine
