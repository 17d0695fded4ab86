// Inputs found by the libFuzzer targets in tests/fuzz that crashed, hung or
// tripped a sanitizer, each fed to the same API with its correct outcome.
#include <stepsim/asl/error.hpp>
#include <stepsim/asl/intrinsic.hpp>
#include <stepsim/asl/parse.hpp>
#include <stepsim/asl/path.hpp>
#include <stepsim/sim/rng.hpp>

#include <boost/json/parse.hpp>
#include <catch2/catch.hpp>

#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace json = boost::json;
using stepsim::asl::intrinsic;
using stepsim::asl::path;

namespace {

// The input copied to an exactly sized heap buffer (no terminating NUL), as
// libFuzzer passes it, so a sanitizer build sees a read past the end.
struct exact_text {
  explicit exact_text(std::string_view s) : buf(new char[s.size()]), size(s.size()) {
    std::copy(s.begin(), s.end(), buf.get());
  }
  std::string_view view() const { return {buf.get(), size}; }
  std::unique_ptr<char[]> buf;
  std::size_t size;
};

std::optional<intrinsic> parse_intrinsic(std::string_view text, std::string& error) {
  exact_text t(text);
  return intrinsic::parse(t.view(), error);
}

std::optional<path> parse_path(std::string_view text, std::string& error) {
  exact_text t(text);
  return path::parse(t.view(), error);
}

}  // namespace

// fuzz_intrinsic: a path argument ending in a quoted name whose last character
// is a backslash stepped one past the end of the text (heap-buffer-overflow
// in intrinsic_parse.cpp parser::parse_path).
TEST_CASE("Fuzz: intrinsic path argument ending in a backslash inside quotes", "[fuzz][intrinsic]") {
  for (std::string_view text : {std::string_view(R"(States.Array($['\)"),
                                std::string_view(R"(States.ArrayRange($.F%nctk('This\\\\\\\\\\\\\\\\\\\)")}) {
    std::string error;
    auto call = parse_intrinsic(text, error);
    CHECK_FALSE(call);
    CHECK_FALSE(error.empty());
  }
  std::string error;
  CHECK(parse_intrinsic(R"(States.Array($['a\'b'], 1))", error));  // an escaped quote inside still works
}
