#include <stepsim/tasks/task_token.hpp>

#include <boost/asio/associated_cancellation_slot.hpp>
#include <boost/asio/error.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <fmt/format.h>

namespace stepsim::tasks {

namespace asio = boost::asio;

void token_wait::wake() {
  if (!waiter) return;
  asio::post(executor, [h = std::move(*waiter)]() mutable { std::move(h)(boost::system::error_code{}); });
  waiter.reset();
}

std::pair<std::string, std::shared_ptr<token_wait>> token_table::issue(asio::any_io_executor executor,
                                                                       std::string_view execution,
                                                                       std::string_view state) {
  auto token = fmt::format("{:016x}:{}:{}", ++issued_, execution, state);
  auto w = std::make_shared<token_wait>();
  w->executor = std::move(executor);
  waits_.emplace(token, w);
  return {std::move(token), std::move(w)};
}

std::shared_ptr<token_wait> token_table::lookup(std::string_view token) const {
  auto it = waits_.find(token);
  return it == waits_.end() ? nullptr : it->second;
}

void token_table::forget(std::string_view token) {
  if (auto it = waits_.find(token); it != waits_.end()) waits_.erase(it);
}

std::shared_ptr<token_wait> token_table::pending(std::string_view token) const {
  auto w = lookup(token);
  return w && !w->done() ? w : nullptr;
}

bool token_table::send_success(std::string_view token, boost::json::value output) {
  auto w = pending(token);
  if (!w) return false;
  w->output = std::move(output);
  w->wake();
  return true;
}

bool token_table::send_failure(std::string_view token, std::string error, std::string cause) {
  auto w = pending(token);
  if (!w) return false;
  w->failure.emplace(std::move(error), std::move(cause));
  w->wake();
  return true;
}

bool token_table::send_heartbeat(std::string_view token) {
  auto w = pending(token);
  if (!w) return false;
  if (w->heartbeat) w->heartbeat();
  return true;
}

asio::awaitable<void> wait_for(std::shared_ptr<token_wait> w) {
  if (w->done()) co_return;
  co_await asio::async_initiate<decltype(asio::use_awaitable), void(boost::system::error_code)>(
      [raw = w.get()](auto handler) {
        // Wrap first: any_completion_handler takes over the handler's slot,
        // so a cancellation handler must go into the wrapper's slot.
        raw->waiter.emplace(std::move(handler));
        auto slot = asio::get_associated_cancellation_slot(*raw->waiter);
        if (slot.is_connected())
          slot.assign([raw](asio::cancellation_type) {
            if (!raw->waiter) return;
            asio::post(raw->executor, [h = std::move(*raw->waiter)]() mutable {
              std::move(h)(asio::error::operation_aborted);
            });
            raw->waiter.reset();
          });
      },
      asio::use_awaitable);
}

}  // namespace stepsim::tasks
