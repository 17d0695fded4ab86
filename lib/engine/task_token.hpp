// Private: Tasks waiting for a task token (the callback pattern), and heartbeats.
#pragma once

#include <stepsim/asl/error.hpp>
#include <stepsim/engine/engine.hpp>

#include <boost/asio/any_completion_handler.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/json/value.hpp>

#include <memory>
#include <optional>
#include <string>
#include <unordered_map>

namespace stepsim::engine {

/// One Task's wait for its token.
struct token_wait {
  boost::asio::any_io_executor executor;
  std::optional<boost::json::value> output;
  std::optional<asl::states_error> failure;
  std::function<void()> heartbeat;  ///< the Task's heartbeat recorder, if it has HeartbeatSeconds
  // Boost 1.81's any_completion_handler must not be move-assigned: emplace, then move out.
  std::optional<boost::asio::any_completion_handler<void(boost::system::error_code)>> waiter;
  bool done() const noexcept { return output || failure; }
  void wake();
};

struct token_table {
  std::uint64_t issued = 0;
  std::unordered_map<std::string, std::shared_ptr<token_wait>> waits;
};

/// Engine internals for the Task runner.
struct token_access {
  /// Issues a token for a Task of `execution` in `state` and registers its wait.
  static std::pair<std::string, std::shared_ptr<token_wait>> issue(engine& e, std::string const& execution,
                                                                   std::string const& state);
  static void forget(engine& e, std::string const& token);
  static std::shared_ptr<token_wait> lookup(engine& e, std::string const& token);
};

/// Completes when `w` is done (at once if it already is). Cancellable.
boost::asio::awaitable<void> wait_for(std::shared_ptr<token_wait> w);

}  // namespace stepsim::engine
