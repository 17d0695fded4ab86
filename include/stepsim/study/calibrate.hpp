// stepsim::study calibration: Lambda functions fitted from their own logs.
//
// Lambda ends every invocation's log with a REPORT line:
//
//   REPORT RequestId: 8f5b...  Duration: 102.25 ms  Billed Duration: 103 ms
//     Memory Size: 512 MB  Max Memory Used: 70 MB  Init Duration: 176.15 ms
//
// (tab-separated; `Init Duration` only on a cold start). `read_logs` finds
// them in CloudWatch Logs text (one event a line, with or without a timestamp
// or log-stream prefix, as `aws logs tail` prints it), in the JSON that
// `aws logs filter-log-events` and `get-log-events` print, and in Lambda's JSON
// log format (`"type": "platform.report"` records, one JSON object a line).
// `calibrate` fits each function's init and run durations and writes the
// `functions` block of a study (docs/calibration.md).
#pragma once

#include <stepsim/lambda/latency.hpp>

#include <boost/json/object.hpp>

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace stepsim::study::calibration {

/// The figures of one REPORT line (or platform.report record).
struct report_line {
  std::string request_id;
  double duration_ms = 0;         ///< Duration: the handler's run
  double billed_ms = 0;           ///< Billed Duration
  int memory_mb = 0;              ///< Memory Size
  std::optional<double> max_memory_used_mb;
  std::optional<double> init_ms;  ///< Init Duration: present on a cold start
  std::optional<double> restore_ms;  ///< Restore Duration (SnapStart)
  /// Status (e.g. "timeout", "error"), absent when the invocation succeeded.
  std::optional<std::string> status;
};

/// Reads one REPORT line: the text from `REPORT RequestId:` on (anything
/// before it, such as a timestamp, is skipped). Fields are separated by tabs,
/// or by blanks where an export replaced the tabs. RequestId, Duration, Billed
/// Duration and Memory Size are required; a duration is a finite number of
/// milliseconds between 0 and 10^10 followed by ` ms`, a memory size an
/// integer from 128 to 10,240 followed by ` MB`; a field given twice is an
/// error. On failure nullopt and `why` says what is wrong, e.g.
/// "'Duration' is \"12.x ms\", not a number of milliseconds".
std::optional<report_line> parse_report_line(std::string_view line, std::string& why);

/// A line that looked like a report and was not read.
struct malformed_line {
  std::size_t line = 0;  ///< 1-based line number, or event number in filter-log-events JSON
  std::string reason;
};

/// What `read_logs` found in one file.
struct log_reading {
  /// "text", "json-lines" (Lambda's JSON log format) or "log-events" (the
  /// JSON that `aws logs filter-log-events` prints).
  std::string format;
  std::vector<report_line> reports;
  /// Every REPORT line (or platform.report record) that could not be read:
  /// counted in `malformed_count`, the first `max_kept_malformed` kept here.
  std::vector<malformed_line> malformed;
  std::size_t malformed_count = 0;
  /// Lines or events that are not reports (START, END, the function's output).
  std::size_t other_count = 0;
  /// Set when the file is not logs at all (e.g. broken log-events JSON).
  std::optional<std::string> error;

  static constexpr std::size_t max_kept_malformed = 20;
};

/// Reads every report in `text` (a whole file). Never throws on its content.
log_reading read_logs(std::string_view text);

/// How to fit durations.
enum class fit_mode {
  automatic,  ///< lognormal when its Kolmogorov-Smirnov distance is at most `max_ks`, else empirical
  lognormal,
  empirical,
};

struct fit_options {
  fit_mode mode = fit_mode::automatic;
  double max_ks = 0.05;
  /// Quantiles of an empirical fit (probabilities 0, 1/(n-1), ..., 1).
  std::size_t quantiles = 101;
};

/// A fitted duration distribution, with what the samples said.
struct duration_fit {
  std::size_t samples = 0;
  double mean_ms = 0, p50_ms = 0, p99_ms = 0, min_ms = 0, max_ms = 0;
  /// The lognormal's maximum-likelihood parameters (exp of the logs' mean;
  /// their standard deviation); absent when a sample is 0 or there are
  /// fewer than two.
  std::optional<double> lognormal_median_ms, lognormal_sigma;
  /// Kolmogorov-Smirnov distance between the samples and that lognormal: the
  /// largest gap between the two distribution functions, 0 to 1.
  std::optional<double> ks_distance;
  /// The distribution written to the functions block.
  lambda::latency chosen;
  /// Why `chosen` was chosen, in words.
  std::string choice;

  boost::json::object to_json() const;
};

/// Fits `samples_ms` (at least one, each finite and >= 0).
duration_fit fit_durations(std::vector<double> samples_ms, fit_options const& options);

/// One function's logs, pooled from its files.
struct function_logs {
  std::string name;
  std::vector<std::string> files;
  std::vector<report_line> reports;
  std::size_t malformed_count = 0;
};

/// A calibrated function.
struct function_calibration {
  std::string name;
  int memory_mb = 0;
  std::size_t invocations = 0;
  std::size_t cold_starts = 0;
  /// Reports left out of the run fit: a Status (timeout, error) makes the
  /// duration a cut-off, not a run time.
  std::size_t unsuccessful = 0;
  double billed_mean_ms = 0;
  std::optional<double> max_memory_used_mb;  ///< the largest seen
  std::optional<duration_fit> init;          ///< absent without cold starts
  duration_fit run;

  /// The function's settings in a study's `functions` block: memory_mb,
  /// init_ms (only with cold starts) and run_ms.
  boost::json::object settings() const;
  /// Everything above, for the calibration report.
  boost::json::object report() const;
};

/// Calibrates one function. With `memory_mb`, only reports of that memory
/// size are used; without it, the reports must all have one size. On
/// failure nullopt and `error` says why (no reports, several memory sizes).
std::optional<function_calibration> calibrate(function_logs const& logs, std::optional<int> memory_mb,
                                              fit_options const& options, std::string& error);

}  // namespace stepsim::study::calibration
