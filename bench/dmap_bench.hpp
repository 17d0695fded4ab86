// stepsim-bench: the `dmap100k` cell, a distributed Map over the rows of a CSV object.
#pragma once

#include "cell.hpp"

#include <cstdint>

namespace stepsim::bench {

/// `dmap100k`: a distributed Map whose ItemReader reads a CSV of `rows` rows
/// (100,000 at scale 1) from a temporary S3 folder, in batches of 100, each
/// batch an EXPRESS child execution of one Task (a plain handler returning
/// the row count); its ResultWriter writes the results there. One execution
/// per round; `transitions_per_s` is rows per second. Fails when the run does
/// not succeed or the manifest does not list every batch as SUCCEEDED.
cell_result run_dmap(std::uint64_t rows, cell_options const& o);

}  // namespace stepsim::bench
