#include <stepsim/server/http_server.hpp>

#include "server/http_exchange.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include <algorithm>
#include <chrono>
#include <list>
#include <optional>

namespace stepsim::server {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

struct http_server::impl : std::enable_shared_from_this<impl> {
  sim::scheduler& sched;
  service& svc;
  listen_options options;
  tcp::acceptor acceptor;
  std::size_t connections = 0;
  std::uint64_t requests = 0;
  bool stopped = false;

  using steady = std::chrono::steady_clock;
  /// A connection being served, and until when it may take to send its request or take its answer
  /// (none while the service works on its request).
  struct watched {
    tcp::socket* socket;
    std::optional<steady::time_point> deadline;
  };
  /// One timer for all connections: a deadline per socket operation (as beast::tcp_stream keeps)
  /// would schedule and cancel a timer on every read and write, and each time the earliest
  /// deadline moves the reactor makes a system call.
  std::list<watched> watch;
  asio::steady_timer sweeper;

  impl(sim::scheduler& s, service& v, listen_options o)
      : sched(s), svc(v), options(std::move(o)), acceptor(s.context()), sweeper(s.context()) {
    tcp::endpoint ep(asio::ip::make_address(options.host), options.port);
    acceptor.open(ep.protocol());
    acceptor.set_option(tcp::acceptor::reuse_address(true));
    acceptor.bind(ep);
    acceptor.listen();
  }

  asio::awaitable<void> accept_loop() {
    auto self = shared_from_this();
    while (!stopped) {
      auto [ec, socket] = co_await acceptor.async_accept(asio::as_tuple(asio::use_awaitable));
      if (ec) {
        if (ec == asio::error::operation_aborted || stopped) co_return;
        continue;  // e.g. out of descriptors for a moment: the others are still served
      }
      if (connections >= options.max_connections) {
        boost::system::error_code ignored;
        socket.close(ignored);
        continue;
      }
      ++connections;
      asio::co_spawn(sched.context(), session(std::move(socket)), [self](std::exception_ptr) { --self->connections; });
    }
  }

  /// Closes the connections past their deadline, every quarter of the timeout until the server stops.
  asio::awaitable<void> sweep_loop() {
    auto self = shared_from_this();
    auto const period = std::max<std::chrono::milliseconds>(options.idle_timeout / 4, std::chrono::milliseconds(1));
    while (!stopped) {
      sweeper.expires_after(period);
      auto [ec] = co_await sweeper.async_wait(asio::as_tuple(asio::use_awaitable));
      if (ec || stopped) co_return;  // cancelled: the server stops or goes
      auto now = steady::now();
      for (auto& w : watch) {
        if (!w.deadline || *w.deadline > now) continue;
        w.deadline.reset();
        boost::system::error_code ignored;
        w.socket->close(ignored);  // its pending read or write ends with operation_aborted
      }
    }
  }

  asio::awaitable<void> session(tcp::socket socket) {
    auto self = shared_from_this();
    beast::flat_buffer buffer;
    auto me = watch.insert(watch.end(), watched{&socket, {}});
    struct unwatch {
      std::list<watched>& l;
      std::list<watched>::iterator i;
      ~unwatch() { l.erase(i); }
    } unwatched{watch, me};
    for (;;) {
      http_request_parser parser;
      set_limits(parser);
      me->deadline = steady::now() + options.idle_timeout;
      auto [ec, n] = co_await http::async_read(socket, buffer, parser, asio::as_tuple(asio::use_awaitable));
      (void)n;
      me->deadline.reset();
      unsigned version = 11;
      bool keep_alive = false;
      response r;
      if (ec == http::error::body_limit) {
        r = body_too_large();
      } else if (ec) {
        break;  // closed, timed out, or not HTTP: nothing sensible to answer
      } else {
        auto& req = parser.get();
        version = req.version();
        keep_alive = req.keep_alive();
        if (auto rejected = reject(req))
          r = std::move(*rejected);
        else
          r = co_await svc.async_handle(request_target(req), req.body(), asio::use_awaitable);
      }
      auto res = make_http_response(version, std::move(r), keep_alive, ++requests);
      me->deadline = steady::now() + options.idle_timeout;
      auto [wec, wn] = co_await http::async_write(socket, res, asio::as_tuple(asio::use_awaitable));
      (void)wn;
      me->deadline.reset();
      if (wec || !keep_alive) break;
    }
    boost::system::error_code ignored;
    socket.shutdown(tcp::socket::shutdown_send, ignored);
  }
};

http_server::http_server(sim::scheduler& sched, service& svc, listen_options options)
    : impl_(std::make_shared<impl>(sched, svc, std::move(options))) {}

http_server::~http_server() {
  boost::system::error_code ignored;
  impl_->acceptor.close(ignored);
  impl_->sweeper.cancel();
}

std::uint16_t http_server::port() const noexcept {
  boost::system::error_code ec;
  auto ep = impl_->acceptor.local_endpoint(ec);
  return ec ? 0 : ep.port();
}

void http_server::run() {
  auto& ctx = impl_->sched.context();
  asio::co_spawn(ctx, impl_->accept_loop(), asio::detached);
  asio::co_spawn(ctx, impl_->sweep_loop(), asio::detached);
  if (impl_->sched.mode() == sim::time_mode::real_time) {
    // The clock moves by itself: one handler at a time, waiting for the network only when nothing
    // is ready (no polling round, each a system call, between bursts).
    while (!impl_->stopped) {
      ctx.restart();
      if (ctx.run_one() == 0) break;
    }
    return;
  }
  while (!impl_->stopped) {
    ctx.restart();
    if (ctx.poll() > 0) continue;
    if (impl_->stopped) break;
    if (auto due = impl_->sched.next_due(); due && !impl_->svc.waiting_for_clients()) {
      impl_->sched.run_until(*due);
      continue;
    }
    ctx.restart();
    ctx.run_one();
  }
}

void http_server::stop() {
  impl_->stopped = true;
  boost::system::error_code ignored;
  impl_->acceptor.close(ignored);
  impl_->sweeper.cancel();
}

}  // namespace stepsim::server
