// stepsim-bench: the `power-tune` cell, the Power Tuning example end to end.
#pragma once

#include "cell.hpp"

namespace stepsim::bench {

/// examples/power-tuning from its files to the tool's output and the report
/// page, as `stepsim power-tune --out` does (without writing files), repeated
/// for the cell's minimum time; one execution = one whole tuning. Fails when
/// a tuning does not succeed or gives another power than the first.
cell_result run_power_tune(cell_options const& o);

}  // namespace stepsim::bench
