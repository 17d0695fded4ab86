// Each example workflow in examples/workflows/ that has a <name>.expected.json
// runs as `stepsim run` would run it with (plus `--machine <name>-child=<name>-child.asl.json` when that file exists)
//   --input-file <name>.input.json --echo-tasks --seed 1 --start-time 2024-01-01T00:00:00Z --s3-root examples/workflows/s3
// and its DescribeExecution-shaped result equals the golden file (compared as JSON).
// Regenerate a golden file with exactly that command (then review the diff):
//   stepsim run examples/workflows/<name>.asl.json --input-file examples/workflows/<name>.input.json \
//     --echo-tasks --seed 1 --start-time 2024-01-01T00:00:00Z --s3-root examples/workflows/s3 \
//     > examples/workflows/<name>.expected.json
#include <stepsim/asl/json_text.hpp>
#include <stepsim/asl/parse.hpp>
#include <stepsim/engine/engine.hpp>
#include <stepsim/engine/state_machines.hpp>
#include <stepsim/sim/scheduler.hpp>
#include <stepsim/sim/time.hpp>
#include <stepsim/tasks/registry.hpp>

#include "examples/golden.hpp"

#include <boost/json.hpp>
#include <catch2/catch.hpp>

#include <filesystem>
#include <string>

namespace {

namespace json = boost::json;
namespace asl = stepsim::asl;
namespace engine = stepsim::engine;
namespace sim = stepsim::sim;
namespace tasks = stepsim::tasks;
using stepsim::test::read_text;

}  // namespace

TEST_CASE("Each example workflow gives its golden DescribeExecution result", "[examples]") {
  auto name = GENERATE(as<std::string>{}, "hello", "retry-and-catch", "parallel-and-map", "intrinsics-and-choice",
                       "hello-jsonata", "order-jsonata", "csv-distributed-map",
                       "nested");
  std::string const base = STEPSIM_SOURCE_DIR "/examples/workflows/" + name;
  INFO("example " << name << ".asl.json");

  auto machine = asl::parse_or_throw(read_text(base + ".asl.json"));
  json::value input = json::parse(read_text(base + ".input.json"));

  auto sched = sim::scheduler::virtual_time(*sim::parse_iso8601("2024-01-01T00:00:00Z"));
  tasks::registry echo;
  echo.add("*", [](json::value const& in) { return in; });
  // The distributed Map example reads its "bucket" from examples/workflows/s3.
  engine::engine eng(sched, echo,
                     engine::engine_options{.seed = 1, .s3_root = STEPSIM_SOURCE_DIR "/examples/workflows/s3"});
  // The nested example starts <name>-child (as `stepsim run --machine nested-child=...`).
  engine::state_machines children;
  if (std::filesystem::exists(base + "-child.asl.json")) {
    children.add(name + "-child", asl::parse_or_throw(read_text(base + "-child.asl.json")));
    children.bind(echo, eng);
  }
  engine::execution_options options;
  options.state_machine_name = name;  // as `stepsim run` names it: the file name without .asl.json
  auto result = eng.run(machine, std::move(input), options);

  json::value actual = result.describe();
  json::value expected = json::parse(read_text(base + ".expected.json"));
  INFO("actual: " << asl::to_text(actual));
  CHECK(actual == expected);
}
