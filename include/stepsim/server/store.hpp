// stepsim::server::store: what a service keeps (state machines, executions, histories, aliases,
// activities, tags), and its SQLite file for `stepsim serve --data DIR`.
#pragma once

#include <stepsim/asl/state_machine.hpp>
#include <stepsim/engine/engine.hpp>
#include <stepsim/engine/execution.hpp>

#include <filesystem>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace stepsim::server {

/// A state machine, or one of its published versions.
struct machine_record {
  std::string arn;         ///< arn:aws:states:R:A:stateMachine:NAME (a version: ...:NAME:N)
  std::string name;
  std::string definition;  ///< as given
  std::string role_arn;
  std::string type = "STANDARD";  ///< or "EXPRESS"
  std::string revision_id;
  std::string description;  ///< versions only
  sim::instant created{}, updated{};
  std::shared_ptr<asl::state_machine const> compiled;
  std::string machine_arn;   ///< a version's state machine; empty for a state machine
  std::int64_t version = 0;  ///< a version's number; 0 for a state machine
};

/// An execution: running on an engine (`run`), or ended and kept (`final`).
struct execution_record {
  std::string arn;
  std::string machine_arn;  ///< the state machine (never a version or alias)
  std::string version_arn;  ///< when started on a version or an alias
  std::string alias_arn;    ///< when started on an alias
  std::string trace_header;
  std::shared_ptr<machine_record const> machine;  ///< what it runs
  bool express = false;
  std::shared_ptr<engine::execution> run;
  std::optional<engine::execution_result> final;  ///< set once stopped, or loaded from a store

  /// The result so far (RUNNING while it runs), events included.
  engine::execution_result const& result() const { return final ? *final : run->result(); }
};

/// Thrown when a store's file cannot be opened, read or written.
class store_error : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// State machines (versions included), executions and their histories,
/// aliases, activities and tags in one SQLite database (`DIR/stepsim.db`,
/// write-ahead log), written as they change: a machine when created, updated
/// or deleted; an execution when it starts and when it ends, with its whole
/// history in one transaction; an alias, an activity or a resource's tags
/// when created, changed or deleted. A
/// `kill -9` loses nothing that was written, and never leaves a torn
/// history. Single-threaded.
class store {
 public:
  /// Opens (creating it and `dir` when missing) the database. Throws store_error.
  explicit store(std::filesystem::path const& dir);
  ~store();
  store(store const&) = delete;
  store& operator=(store const&) = delete;

  void save_machine(machine_record const& m);
  void delete_machine(std::string const& arn);
  /// Writes the execution as it stands (its status, dates, output and history).
  void save_execution(execution_record const& e);

  /// A record the service writes in its own JSON shape: an alias, an
  /// activity or a resource's tags (`kind` "alias", "activity", "tags"), by ARN.
  struct record {
    std::string kind, arn;
    std::string text;  ///< JSON text, as saved
  };
  /// Writes (or replaces) the record of `kind` for `arn`.
  void save_record(record const& r);
  void delete_record(std::string const& kind, std::string const& arn);

  /// What a store holds. Executions that were RUNNING when the last process
  /// stopped come back ABORTED, with error `stepsim.ServerRestarted` and an
  /// ExecutionAborted event, and are written back so.
  struct contents {
    std::vector<machine_record> machines;  ///< definitions compiled again
    std::vector<execution_record> executions;  ///< `final` set, oldest first
    std::vector<record> records;  ///< in the order first written
  };
  contents load(sim::instant now);

 private:
  struct impl;
  std::unique_ptr<impl> impl_;
};

}  // namespace stepsim::server
