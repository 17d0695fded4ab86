#include <stepsim/server/http_server.hpp>

#include "server/http_exchange.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include <chrono>

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

  impl(sim::scheduler& s, service& v, listen_options o)
      : sched(s), svc(v), options(std::move(o)), acceptor(s.context()) {
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

  asio::awaitable<void> session(tcp::socket socket) {
    auto self = shared_from_this();
    beast::tcp_stream stream(std::move(socket));
    beast::flat_buffer buffer;
    for (;;) {
      http_request_parser parser;
      set_limits(parser);
      stream.expires_after(options.idle_timeout);
      auto armed = std::chrono::steady_clock::now();
      auto [ec, n] = co_await http::async_read(stream, buffer, parser, asio::as_tuple(asio::use_awaitable));
      (void)n;
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
      // The write gets at least half the timeout: re-arming the timer for each answer would move
      // the reactor's earliest deadline (a system call) on nearly every request.
      if (std::chrono::steady_clock::now() - armed > options.idle_timeout / 2) stream.expires_after(options.idle_timeout);
      auto [wec, wn] = co_await http::async_write(stream, res, asio::as_tuple(asio::use_awaitable));
      (void)wn;
      if (wec || !keep_alive) break;
    }
    boost::system::error_code ignored;
    stream.socket().shutdown(tcp::socket::shutdown_send, ignored);
  }
};

http_server::http_server(sim::scheduler& sched, service& svc, listen_options options)
    : impl_(std::make_shared<impl>(sched, svc, std::move(options))) {}

http_server::~http_server() {
  boost::system::error_code ignored;
  impl_->acceptor.close(ignored);
}

std::uint16_t http_server::port() const noexcept {
  boost::system::error_code ec;
  auto ep = impl_->acceptor.local_endpoint(ec);
  return ec ? 0 : ep.port();
}

void http_server::run() {
  auto& ctx = impl_->sched.context();
  asio::co_spawn(ctx, impl_->accept_loop(), asio::detached);
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
}

}  // namespace stepsim::server
