// stepsim-bench: the `jsonata` cells, one per expression of a JSONata bench set.
#pragma once

#include "cell.hpp"

#include <boost/json/value.hpp>

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace stepsim::bench {

/// One expression of a bench set (bench/jsonata/expressions.json, a copy of
/// ../shared/bench/jsonata/): its text, its input and variables, and the
/// result the reference gives (nullopt: undefined).
struct jsonata_case {
  std::string name;
  std::string expr;
  std::optional<boost::json::value> input;  ///< nullopt = undefined input
  boost::json::object bindings;
  std::optional<boost::json::value> expected;
};

/// Reads a bench set: `{"datasets": DIR, "expressions": [{name, expr,
/// dataset | data, bindings?, result}]}`, DIR relative to the file's folder,
/// `dataset` a file DIR/<dataset>.json. Throws std::runtime_error naming the
/// file and the expression on anything missing or malformed.
std::vector<jsonata_case> load_jsonata_set(std::filesystem::path const& file);

/// Compiles `c.expr` once, checks that evaluating it gives `c.expected` (as
/// JSON.stringify texts, as the reference's bench.mjs compares), warms up,
/// then evaluates it in rounds of 100 until `o.min_time_s` passed (at least
/// one round; `o.scale` does not apply). Row: workload "jsonata/<name>",
/// mode "eval", `evals`, `evals_per_s`; a wrong result or an error fails it.
cell_result run_jsonata(jsonata_case const& c, cell_options const& o);

}  // namespace stepsim::bench
