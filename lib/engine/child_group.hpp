// Private: run child coroutines (Parallel branches, Map iterations) with a concurrency limit.
#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>

#include <cstddef>
#include <functional>

namespace stepsim::engine {

/// Runs `make(0) ... make(count - 1)` as coroutines on `exec`, at most
/// `limit` at once (0 = all at once), in index order. Returns when every
/// started child has ended. The first child to throw cancels the running
/// ones, no further child starts, and its exception is rethrown here once
/// all have ended. Cancelling the awaiting coroutine cancels the children.
/// `set_limit`, when given, receives (before the first child starts) a
/// function that changes the limit while the group runs (a larger one starts
/// waiting children at once; it does nothing once the group has ended).
boost::asio::awaitable<void> run_children(boost::asio::any_io_executor exec, std::size_t count, std::size_t limit,
                                          std::function<boost::asio::awaitable<void>(std::size_t)> make,
                                          std::function<void(std::size_t)>* set_limit = nullptr);

}  // namespace stepsim::engine
