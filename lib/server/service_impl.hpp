// Private to the server: what a service holds (state machines, versions, aliases, executions,
// activities, tags) and the operations on it, split over the lib/server/*_ops.cpp files.
#pragma once

#include "server/request.hpp"

#include <stepsim/asl/state_machine.hpp>
#include <stepsim/engine/engine.hpp>
#include <stepsim/server/service.hpp>
#include <stepsim/server/store.hpp>
#include <stepsim/testing/mocks.hpp>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/steady_timer.hpp>

#include <chrono>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace stepsim::server {

/// Answers one request exactly once, on the scheduler's next turn. Copyable.
class reply_to {
 public:
  reply_to(boost::asio::any_completion_handler<void(response)> h, boost::asio::any_io_executor ex);
  void operator()(response r) const;
  void error(api_error const& e) const;
  void ok(json::object const& body) const;

 private:
  struct state;
  std::shared_ptr<state> state_;
};

/// An activity task waiting for a worker, or held by one.
struct activity_task {
  std::string token;
  std::string activity_arn;
  std::string input;  ///< JSON text
  std::function<void()> heartbeat;
  /// Completes the Task: its output, or throws its error.
  std::function<void(std::optional<json::value> output, std::string error, std::string cause)> complete;
};

/// A worker's GetActivityTask waiting for a task.
struct activity_poll {
  reply_to reply;
  std::shared_ptr<boost::asio::steady_timer> timer;
};

struct activity_record {
  std::string arn, name;
  sim::instant created{};
  std::deque<std::shared_ptr<activity_task>> queue;  ///< scheduled, not handed out yet
  std::deque<std::shared_ptr<activity_poll>> polls;
};

struct alias_record {
  std::string arn, name, description, machine_arn;
  std::vector<std::pair<std::string, std::int64_t>> routing;  ///< version ARN, weight
  sim::instant created{}, updated{};
};

/// The tasks of one kind of execution (the plain one, or one MockConfigFile
/// test case) and the engine that runs them.
struct engine_slot {
  tasks::registry registry;
  testing::mock_table mocks;
  std::unique_ptr<engine::engine> eng;
};

/// The fields every ListExecutions item has, whether of a state machine or of a Map Run.
json::object execution_item(std::string_view arn, std::string_view machine_arn, std::string_view name,
                            engine::execution_status status, sim::instant start, std::optional<sim::instant> stop);

struct service::impl {
  impl(sim::scheduler& s, service_options o);

  sim::scheduler& sched;
  service_options options;
  std::map<std::string, std::shared_ptr<machine_record const>, std::less<>> machines;  ///< also versions, by ARN
  std::map<std::string, std::vector<std::string>, std::less<>> versions;  ///< machine ARN -> version ARNs, oldest first
  std::map<std::string, alias_record, std::less<>> aliases;
  std::map<std::string, std::shared_ptr<execution_record>, std::less<>> executions;
  std::vector<std::shared_ptr<execution_record>> started;  ///< in the order they started
  std::map<std::string, activity_record, std::less<>> activities;
  std::map<std::string, std::shared_ptr<activity_task>, std::less<>> activity_tokens;  ///< handed out, not completed
  std::map<std::string, std::vector<std::pair<std::string, std::string>>, std::less<>> tags;
  std::map<std::string, std::vector<std::function<void()>>, std::less<>> on_end;  ///< execution ARN -> who waits for its end
  std::map<std::string, std::string, std::less<>> token_waits;  ///< task token -> execution name, while it may wait
  /// execution ARN -> the last 10 clientTokens of RedriveExecution that redrove it, with their redriveDate
  std::map<std::string, std::deque<std::pair<std::string, sim::instant>>, std::less<>> redrive_tokens;
  tasks::registry base;  ///< handlers, activities, echo
  std::map<std::string, std::unique_ptr<engine_slot>, std::less<>> slots;  ///< "" = no test case
  std::uint64_t counter = 0;  ///< revision ids, task tokens
  sim::random_stream routing_stream;

  std::string arn(std::string_view kind, std::string_view parts) const {
    return states_arn(options.region, options.account, kind, parts);
  }
  std::string next_id();  ///< a fresh UUID-shaped identifier
  engine_slot& slot_for(machine_record const& m, std::string const& test_case);
  void install_base_handlers();

  using op = void (impl::*)(request const&, reply_to const&);
  void dispatch(std::string_view operation, std::string_view body, reply_to const& reply);

  // State machines, versions, aliases (machine_ops.cpp, alias_ops.cpp).
  machine_record const& machine(std::string_view arn) const;  ///< a machine or version; errors as AWS
  void create_state_machine(request const&, reply_to const&);
  void describe_state_machine(request const&, reply_to const&);
  void update_state_machine(request const&, reply_to const&);
  void delete_state_machine(request const&, reply_to const&);
  void list_state_machines(request const&, reply_to const&);
  void validate_definition(request const&, reply_to const&);
  void publish_version(request const&, reply_to const&);
  void list_versions(request const&, reply_to const&);
  void delete_version(request const&, reply_to const&);
  void create_alias(request const&, reply_to const&);
  void describe_alias(request const&, reply_to const&);
  void update_alias(request const&, reply_to const&);
  void delete_alias(request const&, reply_to const&);
  void list_aliases(request const&, reply_to const&);
  std::string publish(machine_record const& m, std::string description);

  // Executions (execution_ops.cpp, history_ops.cpp).
  execution_record& execution(std::string_view arn);
  std::shared_ptr<execution_record> launch(request const&, bool sync, bool& already_running);
  /// DescribeExecution's answer; `sp` holds its memory (a request's own monotonic_resource spares
  /// the heap a dozen allocations that live only until the answer is written).
  json::object describe(execution_record const& e, bool include_data, json::storage_ptr sp = {}) const;
  engine::redrive_eligibility redrivability(execution_record const& e) const;
  void start_execution(request const&, reply_to const&);
  void start_sync_execution(request const&, reply_to const&);
  void describe_execution(request const&, reply_to const&);
  void stop_execution(request const&, reply_to const&);
  void list_executions(request const&, reply_to const&);
  void get_execution_history(request const&, reply_to const&);
  void describe_machine_for_execution(request const&, reply_to const&);
  void redrive_execution(request const&, reply_to const&);
  // Map Runs (map_run_ops.cpp).
  std::shared_ptr<engine::map_run_status const> map_run(std::string_view arn) const;  ///< or null
  /// ListExecutions with `mapRunArn`: the Map Run's child executions.
  void list_map_run_executions(request const&, std::string const& map_run_arn, reply_to const&);
  void list_map_runs(request const&, reply_to const&);
  void describe_map_run(request const&, reply_to const&);
  void update_map_run(request const&, reply_to const&);
  void test_state(request const&, reply_to const&);
  void finished(execution_record& e);

  // Activities, callbacks and tags (activity_ops.cpp).
  void create_activity(request const&, reply_to const&);
  void describe_activity(request const&, reply_to const&);
  void delete_activity(request const&, reply_to const&);
  void list_activities(request const&, reply_to const&);
  void get_activity_task(request const&, reply_to const&);
  void send_task_success(request const&, reply_to const&);
  void send_task_failure(request const&, reply_to const&);
  void send_task_heartbeat(request const&, reply_to const&);
  void tag_resource(request const&, reply_to const&);
  void untag_resource(request const&, reply_to const&);
  void list_tags(request const&, reply_to const&);
  boost::asio::awaitable<json::value> run_activity(std::string activity_arn, tasks::invocation const& inv);
  void hand_out(activity_record& a);
  void set_tags(std::string const& arn, json::array const* tags);

  // Aliases, activities and tags in the store (record_ops.cpp).
  void persist(std::string const& arn);  ///< writes (or deletes) the alias, activity and tags of `arn` as they are now
  void restore(std::vector<store::record> const& records);
};

/// An ARN's parts after "arn:aws:states:REGION:ACCOUNT:": its kind
/// ("stateMachine", "execution", ...) and what follows. Throws InvalidArn.
struct arn_parts {
  std::string kind;
  std::string rest;
};
arn_parts parse_arn(std::string_view arn);

/// `{"<key>": [page], "nextToken"?}` from `items`, paged as `r` asks.
json::object page(request const& r, std::string_view key, json::array items);

/// A state machine's definition problems, each "CODE: message at /pointer".
std::vector<std::string> definition_problems(asl::diagnostics const& errors);

}  // namespace stepsim::server
