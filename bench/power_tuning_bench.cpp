#include "power_tuning_bench.hpp"

#include <stepsim/json/read_file.hpp>
#include <stepsim/study/function_settings.hpp>
#include <stepsim/study/power_tuning.hpp>

#include <boost/json.hpp>

namespace stepsim::bench {

namespace json = boost::json;

cell_result run_power_tune(cell_options const& o) {
  cell_result r;
  r.workload = "power-tune";
  r.mode = "example";
  r.batch = 1;
  std::string const dir = STEPSIM_BENCH_EXAMPLES_DIR "/power-tuning";
  auto t0 = clock::now();
  std::uint64_t rounds = 0, states = 0;
  json::value first_power;
  do {
    std::string error;
    auto function_text = stepsim::json::read_file(dir + "/function.json", stepsim::json::file_kind::input, error);
    auto input_text = stepsim::json::read_file(dir + "/input.json", stepsim::json::file_kind::input, error);
    if (!function_text || !input_text) {
      r.error = error;
      return r;
    }
    auto function = study::parse_function_settings(json::parse(*function_text), "function");
    if (!function.value) {
      r.error = "the example's function.json does not read";
      return r;
    }
    auto input = json::parse(*input_text);
    auto run = study::run_power_tuning(std::move(*function.value), input);
    if (!run.execution.succeeded() || !run.execution.output) {
      r.error = "the example's tuning failed: " + run.execution.cause.value_or("");
      return r;
    }
    auto page = study::power_tuning_report_html(run, input);
    auto const& power = run.execution.output->at("power");
    if (rounds == 0) first_power = power;
    if (power != first_power || page.empty()) {
      r.error = "the example's tuning gave another answer";
      return r;
    }
    states += run.execution.states_entered;
    ++rounds;
  } while (seconds_since(t0) < o.min_time_s);
  finish(r, rounds, states, seconds_since(t0));
  r.states_per_execution = rounds ? states / rounds : 0;
  return r;
}

}  // namespace stepsim::bench
