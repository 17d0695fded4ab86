// stepsim::tasks::token_table: the callback pattern (`.waitForTaskToken`):
// Tasks waiting for their task token, and what completes them
// (SendTaskSuccess, SendTaskFailure, SendTaskHeartbeat).
#pragma once

#include <stepsim/asl/error.hpp>

#include <boost/asio/any_completion_handler.hpp>
#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/json/value.hpp>

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>

namespace stepsim::tasks {

/// One Task's wait for its token: completed by an output or a failure.
struct token_wait {
  boost::asio::any_io_executor executor;  ///< where the waiting Task resumes
  std::optional<boost::json::value> output;
  std::optional<asl::states_error> failure;
  std::function<void()> heartbeat;  ///< the Task's heartbeat recorder, if it has HeartbeatSeconds
  // Boost 1.81's any_completion_handler must not be move-assigned: emplace, then move out.
  std::optional<boost::asio::any_completion_handler<void(boost::system::error_code)>> waiter;

  bool done() const noexcept { return output || failure; }
  /// Resumes the waiting Task (if it waits yet) on its executor.
  void wake();
};

/// The Tasks of one engine that wait for a task token. Tokens are opaque to
/// the workflow, unique in the table, and the same on every rerun of the
/// same executions (no randomness). Single-threaded, like the engine.
class token_table {
 public:
  /// Issues a token for a Task of `execution` in `state` and registers its
  /// wait, which resumes on `executor`.
  std::pair<std::string, std::shared_ptr<token_wait>> issue(boost::asio::any_io_executor executor,
                                                            std::string_view execution, std::string_view state);
  /// The wait registered under `token`, or nullptr.
  std::shared_ptr<token_wait> lookup(std::string_view token) const;
  /// Drops the token (its Task ended or was cancelled).
  void forget(std::string_view token);

  /// SendTaskSuccess / SendTaskFailure / SendTaskHeartbeat: each returns
  /// false when no Task waits for `token` (unknown, or already completed).
  /// A completion sent before the Task starts waiting takes effect when it does.
  bool send_success(std::string_view token, boost::json::value output);
  bool send_failure(std::string_view token, std::string error, std::string cause);
  bool send_heartbeat(std::string_view token);

 private:
  struct hash {
    using is_transparent = void;
    std::size_t operator()(std::string_view s) const noexcept { return std::hash<std::string_view>{}(s); }
  };
  /// The wait for `token` if it is not completed yet.
  std::shared_ptr<token_wait> pending(std::string_view token) const;

  std::uint64_t issued_ = 0;
  std::unordered_map<std::string, std::shared_ptr<token_wait>, hash, std::equal_to<>> waits_;
};

/// Completes when `w` is done (at once if it already is). Cancellable: a
/// cancellation ends it with boost::asio::error::operation_aborted.
boost::asio::awaitable<void> wait_for(std::shared_ptr<token_wait> w);

}  // namespace stepsim::tasks
