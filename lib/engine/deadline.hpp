// Private: race an operation against a timer, where failing also counts as finishing.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <boost/asio/experimental/awaitable_operators.hpp>

#include <exception>
#include <optional>
#include <utility>
#include <variant>

namespace stepsim::engine {

/// The outcome of `work`: its value, or the exception it ended with.
template <typename T>
boost::asio::awaitable<std::variant<T, std::exception_ptr>> settle(boost::asio::awaitable<T> work) {
  try {
    co_return std::variant<T, std::exception_ptr>(std::in_place_index<0>, co_await std::move(work));
  } catch (...) {
    co_return std::variant<T, std::exception_ptr>(std::in_place_index<1>, std::current_exception());
  }
}

/// Runs `work` against `deadline` (a sleep). Returns nullopt when the
/// deadline came first (`work` is cancelled); otherwise `work`'s value, or
/// rethrows what it threw. Asio's `||` waits for the first *success*, so a
/// failure is settled into a value before the race and rethrown after it.
template <typename T>
boost::asio::awaitable<std::optional<T>> before_deadline(boost::asio::awaitable<T> work,
                                                        boost::asio::awaitable<void> deadline) {
  using namespace boost::asio::experimental::awaitable_operators;
  // `||` flattens the variants: (value | exception | deadline).
  auto raced = co_await (settle(std::move(work)) || std::move(deadline));
  if (raced.index() == 2) co_return std::nullopt;
  if (raced.index() == 1) std::rethrow_exception(std::get<1>(raced));
  co_return std::optional<T>(std::move(std::get<0>(raced)));
}

}  // namespace stepsim::engine
