// stepsim-bench: the `merge` cell, merging a sharded study's parts against running it unsharded.
#pragma once

#include "cell.hpp"

namespace stepsim::bench {

/// examples/sharded-study (a 2 x 2 x 2 sweep, 2 replications: 16 runs),
/// its rates raised to about 200,000 executions x the scale, executions
/// kept: runs it unsharded (one thread: summary, executions.csv, report),
/// writes its 16 parts (one per run), then times `stepsim merge`'s work on
/// them. Both sides write executions.csv to a file as the runs come, as
/// the commands do. `ratio` is the merge's wall time over the unsharded run's (the
/// target is under 5%); the cell fails when the merged outputs differ from
/// the unsharded ones by a byte.
cell_result run_merge(cell_options const& o);

}  // namespace stepsim::bench
