#include "dmap_bench.hpp"

#include <stepsim/asl/parse.hpp>
#include <stepsim/engine/engine.hpp>
#include <stepsim/sim/scheduler.hpp>
#include <stepsim/tasks/registry.hpp>

#include <boost/json.hpp>
#include <fmt/format.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include <unistd.h>

namespace stepsim::bench {

namespace json = boost::json;
namespace fs = std::filesystem;

namespace {

constexpr char const* definition = R"({"StartAt": "Map", "States": {"Map": {"Type": "Map", "End": true,
  "ItemReader": {"Resource": "arn:aws:states:::s3:getObject",
    "ReaderConfig": {"InputType": "CSV", "CSVHeaderLocation": "FIRST_ROW"},
    "Parameters": {"Bucket": "bench", "Key": "rows.csv"}},
  "ItemBatcher": {"MaxItemsPerBatch": 100},
  "ItemProcessor": {"ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "EXPRESS"},
    "StartAt": "Process", "States": {"Process": {"Type": "Task",
      "Resource": "arn:aws:lambda:us-east-1:123456789012:function:process", "End": true}}},
  "ResultWriter": {"Resource": "arn:aws:states:::s3:putObject", "Parameters": {"Bucket": "bench", "Prefix": "out"}}}}})";

/// Checks the manifest the run wrote lists `batches` successful children; "" when it does.
std::string check(fs::path const& root, json::value const& output, std::uint64_t batches) {
  auto key = output.at("ResultWriterDetails").at("Key").as_string();
  std::ifstream in(root / "bench" / std::string(key));
  std::stringstream text;
  text << in.rdbuf();
  auto manifest = json::parse(text.str());
  auto const& files = manifest.at("ResultFiles").as_object();
  if (!files.at("FAILED").as_array().empty()) return "some children failed";
  auto const& ok = files.at("SUCCEEDED").as_array();
  if (ok.size() != 1) return "no SUCCEEDED file";
  std::ifstream rf(root / "bench" / std::string(ok[0].at("Key").as_string()));
  std::stringstream results;
  results << rf.rdbuf();
  auto n = json::parse(results.str()).as_array().size();
  return n == batches ? "" : fmt::format("{} successful children, expected {}", n, batches);
}

}  // namespace

cell_result run_dmap(std::uint64_t rows, cell_options const& o) {
  cell_result c;
  c.workload = "dmap100k";
  c.mode = std::to_string(rows);
  c.batch = 1;
  c.states_per_execution = 2 + (rows + 99) / 100;
  fs::path const root = fs::temp_directory_path() / fmt::format("stepsim-bench-dmap-{}", ::getpid());
  fs::remove_all(root);
  fs::create_directories(root / "bench");
  {
    std::ofstream csv(root / "bench" / "rows.csv");
    csv << "id,customer,amount\n";
    for (std::uint64_t i = 0; i < rows; ++i) csv << i << ",customer-" << i << ',' << (i % 1000) << ".50\n";
  }
  auto machine = asl::parse_or_throw(definition);
  tasks::registry handlers;
  handlers.add("arn:aws:lambda:us-east-1:123456789012:function:process", [](json::value const& in) {
    return json::value(json::object{{"count", in.at("Items").as_array().size()}});
  });
  std::uint64_t n = 0;
  auto const t0 = clock::now();
  do {
    auto sched = sim::scheduler::virtual_time(sim::instant{});
    engine::engine_options options;
    options.s3_root = root;
    engine::engine eng(sched, handlers, options);
    engine::execution_options eo;
    eo.history = o.history;
    auto r = eng.run(machine, json::object{}, eo);
    if (!r.succeeded()) {
      c.error = fmt::format("{}: {}", r.error.value_or("?"), r.cause.value_or(""));
      break;
    }
    if (auto e = check(root, *r.output, (rows + 99) / 100); !e.empty()) {
      c.error = e;
      break;
    }
    ++n;
  } while (seconds_since(t0) < o.min_time_s);
  finish(c, n, n * rows, seconds_since(t0));
  fs::remove_all(root);
  return c;
}

}  // namespace stepsim::bench
