// Private to stepsim::study: one run's record in a shard's part, as bytes.
#pragma once

#include <stepsim/study/runner.hpp>
#include <stepsim/study/summary.hpp>

#include <optional>
#include <string>
#include <string_view>

namespace stepsim::study::detail {

/// Appends the record of one run to `out`: its totals, its executions.csv
/// rows and, when given, the run as the report draws it (start, end,
/// environments, and of each execution its workflow, start, stop and whether
/// it was cold). Integers are little-endian, doubles their IEEE-754 bits,
/// strings a length and their bytes: reading gives back every value exactly.
void encode_run(std::string& out, run_totals const& t, std::string const& csv_rows, run_result const* whole);

struct decoded_run {
  run_totals totals;
  std::string_view csv_rows;  ///< inside the record read
  std::optional<run_result> whole;  ///< its executions hold what the report draws only
};
/// Reads back what `encode_run` wrote (`csv_rows` points into `in`); throws
/// part_error saying what is wrong.
decoded_run decode_run(std::string_view in);

}  // namespace stepsim::study::detail
