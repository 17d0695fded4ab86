// examples/embedding/order_workflow.hpp runs, and prints exactly order_workflow.expected.
// Regenerate the golden file: STEPSIM_UPDATE_GOLDEN=1 ./stepsim_tests '[examples]' (then review the diff).
#include "../../examples/embedding/order_workflow.hpp"

#include "examples/golden.hpp"

#include <catch2/catch.hpp>

#include <sstream>

TEST_CASE("The embedding example prints its golden output", "[examples]") {
  std::string const dir = STEPSIM_SOURCE_DIR "/examples/embedding/";
  std::ostringstream out;
  REQUIRE(run_order_example(dir + "order.asl.json", out) == 0);
  stepsim::test::check_golden(out.str(), dir + "order_workflow.expected");
}

TEST_CASE("docs/embedding.md shows the embedding example as it is", "[examples]") {
  std::string const dir = STEPSIM_SOURCE_DIR "/examples/embedding/";
  std::string const doc = stepsim::test::read_text(STEPSIM_SOURCE_DIR "/docs/embedding.md");
  for (char const* file : {"order.asl.json", "order_workflow.hpp", "order_workflow.cpp", "order_workflow.expected",
                           "CMakeLists.txt"}) {
    INFO(file << " must appear verbatim in docs/embedding.md");
    CHECK(doc.find(stepsim::test::read_text(dir + file)) != std::string::npos);
  }
}
