// stepsim::tasks::registry: what a Task state's Resource runs.
#pragma once

#include <stepsim/asl/error.hpp>
#include <stepsim/sim/scheduler.hpp>

#include <boost/asio/awaitable.hpp>
#include <boost/json/value.hpp>

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace stepsim::tasks {

/// Thrown by a handler to fail its Task with an error name and cause, which
/// Retry and Catch match like any AWS error:
/// `throw tasks::task_error("Payment.Declined", "card expired");`
class task_error : public asl::states_error {
 public:
  using asl::states_error::states_error;
};

/// What an awaitable handler is given for one Task attempt.
struct invocation {
  std::string_view resource;          ///< the state's Resource, as written
  std::string_view state_name;        ///< the Task state's name
  boost::json::value const& input;    ///< the effective input (after InputPath and Parameters)
  boost::json::value const& context;  ///< the context object (`$$`)
  sim::scheduler& scheduler;          ///< to take simulated time: co_await inv.scheduler.sleep(...)
  std::string_view execution_name = {};  ///< the execution's name (`$$.Execution.Name`), without building `$$`
  /// For a `.waitForTaskToken` resource: the token (`$$.Task.Token`) the
  /// Task waits for; pass it to engine::send_task_success / send_task_failure.
  std::string_view task_token = {};
  /// Not null when the engine will not read `input` again (the Task has no
  /// Retry that could run it once more): `*movable_input` is that same value,
  /// and a handler may take it (`json::value v = std::move(*inv.movable_input)`)
  /// instead of copying `input`, which it must not read afterwards.
  boost::json::value* movable_input = nullptr;
  /// Records a heartbeat for a Task with HeartbeatSeconds (no-op otherwise):
  /// a Task that goes longer than HeartbeatSeconds without one fails with
  /// States.HeartbeatTimeout.
  std::function<void()> heartbeat = {};
  void send_heartbeat() const {
    if (heartbeat) heartbeat();
  }
};

/// A plain handler: computes the Task's result from its input. Runs at once,
/// taking no simulated time. May throw `task_error`; any other exception
/// fails the Task with `States.TaskFailed` and the exception's message.
using handler = std::function<boost::json::value(boost::json::value const&)>;

/// A plain handler that takes its input by value: the engine moves the
/// effective input in when it will not need it again (no Retry that could
/// run the Task once more), so `[](json::value in) { return in; }` copies
/// nothing. Same rules as `handler` otherwise.
using consuming_handler = std::function<boost::json::value(boost::json::value)>;

/// Whether an awaitable handler reads `invocation::context`. When it does
/// not, the engine skips building `$$` for it (`context` is then null unless
/// the state machine itself reads `$$`).
enum class context_use { reads, ignores };

/// An awaitable handler: may take simulated time (sleep on the scheduler,
/// await other operations). Same error rules as `handler`.
using async_handler = std::function<boost::asio::awaitable<boost::json::value>(invocation const&)>;

/// Maps Task resources to handlers. A resource pattern is either exact
/// (`arn:aws:lambda:us-east-1:123456789012:function:Charge`) or contains `*`
/// wildcards matching any run of characters
/// (`arn:aws:lambda:*:*:function:Charge*`). Lookup: an exact match first,
/// then patterns in the order they were added.
class registry {
 public:
  /// A registered handler of one of the kinds (exactly one is set).
  struct entry {
    handler sync;
    async_handler async;
    consuming_handler consuming;
    bool reads_context = true;  ///< for `async`: see context_use
  };

  /// Adds (or replaces, for the same pattern) a plain handler.
  registry& add(std::string pattern, handler h);
  /// Adds (or replaces, for the same pattern) an awaitable handler.
  registry& add_async(std::string pattern, async_handler h);
  /// The same, saying whether the handler reads `invocation::context`.
  registry& add_async(std::string pattern, async_handler h, context_use context);
  /// Adds (or replaces, for the same pattern) a plain handler taking its input by value.
  registry& add_consuming(std::string pattern, consuming_handler h);
  /// Removes the handler registered under exactly `pattern`; false if none.
  bool remove(std::string_view pattern);

  /// The handler for `resource`, or nullptr. Complexity: one hash lookup,
  /// then a scan of the wildcard patterns.
  entry const* find(std::string_view resource) const;
  /// Changes with every add and remove: what `find` answered is still the
  /// answer while the generation is the same (and the entries it pointed to
  /// are still there), so a caller may keep it.
  std::uint64_t generation() const noexcept { return generation_; }

  /// True when `pattern` (with `*` wildcards) matches `text` as a whole.
  static bool matches(std::string_view pattern, std::string_view text) noexcept;

 private:
  struct hash {
    using is_transparent = void;
    std::size_t operator()(std::string_view s) const noexcept { return std::hash<std::string_view>{}(s); }
  };
  std::unordered_map<std::string, entry, hash, std::equal_to<>> exact_;
  std::vector<std::pair<std::string, entry>> patterns_;
  std::uint64_t generation_ = 0;
};

}  // namespace stepsim::tasks
