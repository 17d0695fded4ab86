// stepsim::study records: invocations.csv and environments.csv, streamed run by run.
#pragma once

#include <stepsim/lambda/record.hpp>
#include <stepsim/sim/time.hpp>

#include <filesystem>
#include <fstream>
#include <iosfwd>
#include <string>

namespace stepsim::study {

/// The header line of invocations.csv: scenario, replication, execution
/// (the execution's name; empty for a function workload's or a warmer's
/// request), function, environment (its id; empty when none served the
/// request), start_ms (when the request arrived, in milliseconds from the
/// study's start), init_ms, run_ms, cold, throttled, result, billed_ms,
/// cost_usd. RFC 4180: CRLF, quoted fields where needed.
std::string invocations_csv_header();
/// The header line of environments.csv: scenario, replication, environment,
/// function, kind (on-demand, provisioned or prewarmed), created_ms, ready_ms,
/// destroyed_ms (empty when alive at the end of the run), why (keep-alive,
/// lifetime, timeout, crash; "alive" at the end of the run), invocations.
std::string environments_csv_header();

/// Appends the row of `r` (of run `scenario`, `replication`, started at `origin`) to `out`.
void append_invocation_row(std::string& out, std::string const& scenario, int replication, sim::instant origin,
                           lambda::invocation_record const& r);
void append_environment_row(std::string& out, std::string const& scenario, int replication, sim::instant origin,
                            lambda::container_record const& r);

/// One run's rows, written to two files of its own while it runs (runs end
/// in any order on several threads); `move_into` then appends them to the
/// study's files in run order and removes them. Memory stays flat: rows go
/// to the files in blocks as they are made.
class record_parts {
 public:
  /// Parts named after the run, in `dir`; throws std::runtime_error when they cannot be created.
  record_parts(std::filesystem::path const& dir, std::string const& scenario, int replication, sim::instant origin);
  record_parts(record_parts const&) = delete;
  record_parts& operator=(record_parts const&) = delete;
  /// Removes the parts if they were not moved into the study's files.
  ~record_parts();

  void add(lambda::invocation_record const& r);
  void add(lambda::container_record const& r);
  /// Flushes and closes the parts (the run has ended); throws when a write failed.
  void close();

  /// Appends the parts to `invocations` and `environments`, then removes them.
  /// False when a part cannot be read back.
  bool move_into(std::ostream& invocations, std::ostream& environments);
  /// As `move_into`, into strings (a shard's part carries them).
  bool move_into(std::string& invocations, std::string& environments);

 private:
  void flush(std::string& rows, std::ofstream& out);
  bool finish_move(bool ok);  ///< removes the parts; `ok` passed through
  std::string scenario_;
  int replication_ = 0;
  sim::instant origin_{};
  std::filesystem::path invocations_path_, environments_path_;
  std::ofstream invocations_, environments_;
  std::string invocation_rows_, environment_rows_;
};

}  // namespace stepsim::study
