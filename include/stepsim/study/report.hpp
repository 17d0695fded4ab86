// stepsim::study::report_html: one self-contained HTML page with the tables and charts of a study.
#pragma once

#include <stepsim/study/runner.hpp>
#include <stepsim/study/summary.hpp>

#include <boost/json/object.hpp>

#include <string>
#include <vector>

namespace stepsim::study {

/// The report: the summary's tables and, from the runs when given (a
/// simulation) or the exported rows (an analysis), inline SVG charts:
/// execution duration over time coloured cold/warm, per-scenario comparison
/// bars, a duration CDF, and containers alive per function over time. No
/// scripts, fonts or images from the network: the file stands alone.
std::string report_html(boost::json::object const& summary, std::vector<run_result> const* runs,
                        std::vector<exported_execution> const* rows);

}  // namespace stepsim::study
