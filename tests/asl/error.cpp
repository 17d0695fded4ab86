#include <stepsim/asl/error.hpp>

#include <catch2/catch.hpp>

using stepsim::asl::pointer_append;

TEST_CASE("pointer_append adds a reference token after a slash") {
  CHECK(pointer_append("/States/Check", "Choices") == "/States/Check/Choices");
  CHECK(pointer_append("", "States") == "/States");
}

TEST_CASE("pointer_append escapes '~' as ~0 and '/' as ~1") {
  CHECK(pointer_append("/States", "a/b~c") == "/States/a~1b~0c");
  CHECK(pointer_append("/States", "~1") == "/States/~01");
}

TEST_CASE("pointer_append with an index appends its decimal digits") {
  CHECK(pointer_append("/States/Check/Choices", std::size_t{0}) == "/States/Check/Choices/0");
  CHECK(pointer_append("/x", std::size_t{12}) == "/x/12");
}

TEST_CASE("states_error keeps the error name and the cause apart") {
  stepsim::asl::states_error const e("States.Runtime", "boom");
  CHECK(e.error() == "States.Runtime");
  CHECK(e.cause() == "boom");
  CHECK(std::string(e.what()) == "States.Runtime: boom");
}
