#include "lambda/limits.hpp"

#include <catch2/catch.hpp>

#include <stdexcept>

using namespace std::chrono_literals;
namespace lambda = stepsim::lambda;
namespace sim = stepsim::sim;

namespace {
const sim::instant t0{};
}

TEST_CASE("limits: a reservation caps its function and is taken from the unreserved pool", "[lambda][limits]") {
  lambda::limits l(10, 1000, 10s);
  auto reserved = l.add("R", 4, t0);
  auto open = l.add("O", std::nullopt, t0);
  for (int i = 0; i < 4; ++i) {
    REQUIRE(l.allows(reserved));
    l.enter(reserved);
  }
  CHECK_FALSE(l.allows(reserved));
  for (int i = 0; i < 6; ++i) {
    REQUIRE(l.allows(open));
    l.enter(open);
  }
  CHECK_FALSE(l.allows(open));
  CHECK(l.account_in_flight() == 10);
  l.leave(open);
  CHECK(l.allows(open));
  CHECK_FALSE(l.allows(reserved));
}

TEST_CASE("limits: a reservation beyond the account's concurrency is refused with the function named",
          "[lambda][limits]") {
  lambda::limits l(10, 1000, 10s);
  l.add("A", 6, t0);
  CHECK_THROWS_WITH(l.add("B", 5, t0), Catch::Contains("function 'B': reserved concurrency 5"));
}

TEST_CASE("limits: the scaling bucket gives its burst, then refills at burst per period", "[lambda][limits]") {
  lambda::limits l(1000, 10, 10s);
  auto f = l.add("F", std::nullopt, t0);
  for (int i = 0; i < 10; ++i) REQUIRE(l.take_token(f, t0));
  CHECK_FALSE(l.take_token(f, t0));
  CHECK_FALSE(l.take_token(f, t0 + 999ms));  // 0.999 of a token
  CHECK(l.take_token(f, t0 + 1s + 1ms));     // one more token a second
  CHECK_FALSE(l.take_token(f, t0 + 1s + 2ms));
}
