#include "engine/child_group.hpp"

#include <boost/asio/any_completion_handler.hpp>
#include <boost/asio/associated_cancellation_slot.hpp>
#include <boost/asio/bind_cancellation_slot.hpp>
#include <boost/asio/cancellation_signal.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <memory>
#include <optional>
#include <vector>

namespace stepsim::engine {

namespace asio = boost::asio;

namespace {

struct group : std::enable_shared_from_this<group> {
  asio::any_io_executor exec;
  std::size_t count = 0, limit = 0, next = 0, running = 0;
  std::function<asio::awaitable<void>(std::size_t)> make;
  std::vector<std::unique_ptr<asio::cancellation_signal>> signals;  // by child index, while it runs
  std::exception_ptr error;
  // Boost 1.81's any_completion_handler move-assignment recurses forever, so
  // the handler is only ever constructed in place (emplace) and moved out.
  std::optional<asio::any_completion_handler<void(boost::system::error_code)>> waiter;

  void cancel_running() {
    for (auto& s : signals)
      if (s) s->emit(asio::cancellation_type::terminal);
  }

  void launch(std::size_t i) {
    ++running;
    signals[i] = std::make_unique<asio::cancellation_signal>();
    asio::co_spawn(exec, make(i),
                   asio::bind_cancellation_slot(signals[i]->slot(), [self = shared_from_this(), i](std::exception_ptr e) {
                     self->ended(i, e);
                   }));
  }

  void fill() {
    while (!error && next < count && (limit == 0 || running < limit)) launch(next++);
    if (running == 0 && waiter) {
      asio::post(exec, [h = std::move(*waiter)]() mutable { std::move(h)(boost::system::error_code{}); });
      waiter.reset();
    }
  }

  void ended(std::size_t i, std::exception_ptr e) {
    --running;
    signals[i].reset();
    if (e && !error) {
      error = e;
      cancel_running();
    }
    fill();
  }
};

}  // namespace

asio::awaitable<void> run_children(asio::any_io_executor exec, std::size_t count, std::size_t limit,
                                   std::function<asio::awaitable<void>(std::size_t)> make,
                                   std::function<void(std::size_t)>* set_limit) {
  auto g = std::make_shared<group>();
  g->exec = exec;
  g->count = count;
  g->limit = limit;
  g->make = std::move(make);
  g->signals.resize(count);
  if (set_limit)
    *set_limit = [w = g->weak_from_this()](std::size_t l) {
      if (auto gg = w.lock(); gg && gg->waiter) {
        gg->limit = l;
        gg->fill();
      }
    };
  co_await asio::async_initiate<decltype(asio::use_awaitable), void(boost::system::error_code)>(
      // A raw pointer on purpose: g++ 12 destroys temporaries of a co_await
      // expression twice, so a captured shared_ptr would drop `g` too early.
      [g = g.get()](auto handler) {
        // Wrap first: any_completion_handler takes over the handler's slot,
        // so the cancellation handler must go into the wrapper's slot.
        g->waiter.emplace(std::move(handler));
        auto slot = asio::get_associated_cancellation_slot(*g->waiter);
        if (slot.is_connected())
          slot.assign([w = g->weak_from_this()](asio::cancellation_type) {
            if (auto gg = w.lock()) {
              gg->next = gg->count;  // start no more children
              gg->cancel_running();
            }
          });
        g->fill();
      },
      asio::use_awaitable);
  if (g->error) std::rethrow_exception(g->error);
}

}  // namespace stepsim::engine
