#include "engine/task_token.hpp"

#include <boost/asio/associated_cancellation_slot.hpp>
#include <boost/asio/error.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <fmt/format.h>

namespace stepsim::engine {

namespace asio = boost::asio;

void token_wait::wake() {
  if (!waiter) return;
  asio::post(executor, [h = std::move(*waiter)]() mutable { std::move(h)(boost::system::error_code{}); });
  waiter.reset();
}

std::pair<std::string, std::shared_ptr<token_wait>> token_access::issue(engine& e, std::string const& execution,
                                                                       std::string const& state) {
  if (!e.tokens_) e.tokens_ = std::make_shared<token_table>();
  auto& t = *e.tokens_;
  // Opaque to the workflow, unique per engine, and the same on every rerun.
  auto token = fmt::format("{:016x}:{}:{}", ++t.issued, execution, state);
  auto w = std::make_shared<token_wait>();
  w->executor = e.scheduler().get_executor();
  t.waits.emplace(token, w);
  return {token, w};
}

void token_access::forget(engine& e, std::string const& token) {
  if (e.tokens_) e.tokens_->waits.erase(token);
}

std::shared_ptr<token_wait> token_access::lookup(engine& e, std::string const& token) {
  if (!e.tokens_) return nullptr;
  auto it = e.tokens_->waits.find(token);
  return it == e.tokens_->waits.end() ? nullptr : it->second;
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

namespace {

std::shared_ptr<token_wait> find(std::shared_ptr<token_table> const& t, std::string_view token) {
  if (!t) return nullptr;
  auto it = t->waits.find(std::string(token));
  if (it == t->waits.end() || it->second->done()) return nullptr;
  return it->second;
}

}  // namespace

bool engine::send_task_success(std::string_view token, boost::json::value output) {
  auto w = find(tokens_, token);
  if (!w) return false;
  w->output = std::move(output);
  w->wake();
  return true;
}

bool engine::send_task_failure(std::string_view token, std::string error, std::string cause) {
  auto w = find(tokens_, token);
  if (!w) return false;
  w->failure.emplace(std::move(error), std::move(cause));
  w->wake();
  return true;
}

bool engine::send_task_heartbeat(std::string_view token) {
  auto w = find(tokens_, token);
  if (!w) return false;
  if (w->heartbeat) w->heartbeat();
  return true;
}

}  // namespace stepsim::engine
