// The SQLite file of `stepsim serve --data DIR`.
#include <stepsim/server/store.hpp>

#include "server/request.hpp"

#include <stepsim/asl/json_text.hpp>
#include <stepsim/asl/parse.hpp>

#include <boost/json.hpp>
#include <fmt/format.h>
#include <sqlite3.h>

#include <initializer_list>
#include <system_error>

namespace stepsim::server {

namespace json = boost::json;

namespace {

constexpr char const* schema = R"sql(
PRAGMA journal_mode=WAL;
PRAGMA synchronous=NORMAL;
CREATE TABLE IF NOT EXISTS machines (
  arn TEXT PRIMARY KEY, record TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS executions (
  arn TEXT PRIMARY KEY, seq INTEGER NOT NULL, record TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS records (
  kind TEXT NOT NULL, arn TEXT NOT NULL, record TEXT NOT NULL, PRIMARY KEY (kind, arn));
)sql";


json::object machine_json(machine_record const& m) {
  return {{"arn", m.arn},           {"name", m.name},
          {"definition", m.definition}, {"roleArn", m.role_arn},
          {"type", m.type},         {"revisionId", m.revision_id},
          {"description", m.description}, {"created", stored_time(m.created)},
          {"updated", stored_time(m.updated)}, {"machineArn", m.machine_arn},
          {"version", m.version}};
}

machine_record machine_of(json::object const& o) {
  machine_record m;
  auto str = [&](char const* k) { return std::string(o.at(k).as_string()); };
  m.arn = str("arn");
  m.name = str("name");
  m.definition = str("definition");
  m.role_arn = str("roleArn");
  m.type = str("type");
  m.revision_id = str("revisionId");
  m.description = str("description");
  m.created = time_of_stored(o.at("created"));
  m.updated = time_of_stored(o.at("updated"));
  m.machine_arn = str("machineArn");
  m.version = o.at("version").to_number<std::int64_t>();
  return m;
}

engine::execution_status status_of(std::string_view s) {
  using engine::execution_status;
  for (auto st : {execution_status::running, execution_status::succeeded, execution_status::failed,
                  execution_status::timed_out, execution_status::aborted})
    if (s == engine::to_string(st)) return st;
  throw store_error(fmt::format("unknown execution status '{}' in the store", s));
}

json::object execution_json(execution_record const& e) {
  auto const& r = e.result();
  json::array events;
  for (auto const& ev : r.events)
    events.push_back(json::object{{"id", ev.id},
                                  {"previousEventId", ev.previous_event_id},
                                  {"timestamp", stored_time(ev.timestamp)},
                                  {"type", ev.type},
                                  {"detailsKey", ev.details_key},
                                  {"details", ev.details}});
  json::object o{{"arn", e.arn},
                 {"machineArn", e.machine_arn},
                 {"versionArn", e.version_arn},
                 {"aliasArn", e.alias_arn},
                 {"traceHeader", e.trace_header},
                 {"machine", machine_json(*e.machine)},
                 {"express", e.express},
                 {"name", r.name},
                 {"stateMachineArn", r.state_machine_arn},
                 {"status", engine::to_string(r.status)},
                 {"input", r.input},
                 {"start", stored_time(r.start_date)},
                 {"events", std::move(events)}};
  if (r.output) o["output"] = *r.output;
  if (r.error) o["error"] = *r.error;
  if (r.cause) o["cause"] = *r.cause;
  if (r.stop_date) o["stop"] = stored_time(*r.stop_date);
  if (r.redrive_count) o["redriveCount"] = r.redrive_count;
  if (r.redrive_date) o["redriveDate"] = stored_time(*r.redrive_date);
  return o;
}

execution_record execution_of(json::object const& o) {
  execution_record e;
  auto str = [&](char const* k) { return std::string(o.at(k).as_string()); };
  e.arn = str("arn");
  e.machine_arn = str("machineArn");
  e.version_arn = str("versionArn");
  e.alias_arn = str("aliasArn");
  e.trace_header = str("traceHeader");
  e.machine = std::make_shared<machine_record>(machine_of(o.at("machine").as_object()));
  e.express = o.at("express").as_bool();
  engine::execution_result r;
  r.execution_arn = e.arn;
  r.name = str("name");
  r.state_machine_arn = str("stateMachineArn");
  r.status = status_of(str("status"));
  r.input = o.at("input");
  r.start_date = time_of_stored(o.at("start"));
  if (auto const* v = o.if_contains("output")) r.output = *v;
  if (auto const* v = o.if_contains("error")) r.error = std::string(v->as_string());
  if (auto const* v = o.if_contains("cause")) r.cause = std::string(v->as_string());
  if (auto const* v = o.if_contains("stop")) r.stop_date = time_of_stored(*v);
  if (auto const* v = o.if_contains("redriveCount")) r.redrive_count = v->to_number<std::int64_t>();
  if (auto const* v = o.if_contains("redriveDate")) r.redrive_date = time_of_stored(*v);
  for (auto const& ev : o.at("events").as_array()) {
    auto const& eo = ev.as_object();
    engine::history_event h;
    h.id = eo.at("id").to_number<std::int64_t>();
    h.previous_event_id = eo.at("previousEventId").to_number<std::int64_t>();
    h.timestamp = time_of_stored(eo.at("timestamp"));
    h.type = std::string(eo.at("type").as_string());
    h.details_key = std::string(eo.at("detailsKey").as_string());
    h.details = eo.at("details").as_object();
    r.events.push_back(std::move(h));
  }
  e.final = std::move(r);
  return e;
}

}  // namespace

struct store::impl {
  sqlite3* db = nullptr;
  std::int64_t seq = 0;
  std::filesystem::path file;

  [[noreturn]] void fail(std::string_view what) const {
    throw store_error(fmt::format("{}: {}: {}", file.string(), what, db ? sqlite3_errmsg(db) : "out of memory"));
  }
  void exec(char const* sql) {
    if (sqlite3_exec(db, sql, nullptr, nullptr, nullptr) != SQLITE_OK) fail("cannot run SQL");
  }
  /// Runs `sql` with text (and integer) parameters in its own transaction.
  void write(char const* sql, std::string const& a, std::string const* b = nullptr, std::optional<std::int64_t> n = {}) {
    sqlite3_stmt* st = nullptr;
    if (sqlite3_prepare_v2(db, sql, -1, &st, nullptr) != SQLITE_OK) fail("cannot prepare a statement");
    int i = 1;
    sqlite3_bind_text(st, i++, a.c_str(), int(a.size()), SQLITE_TRANSIENT);
    if (n) sqlite3_bind_int64(st, i++, *n);
    if (b) sqlite3_bind_text(st, i++, b->c_str(), int(b->size()), SQLITE_TRANSIENT);
    int rc = sqlite3_step(st);
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE) fail("cannot write");
  }
  /// Runs `sql` with the text parameters ?1, ?2, ... in its own transaction.
  void write_texts(char const* sql, std::initializer_list<std::string const*> texts) {
    sqlite3_stmt* st = nullptr;
    if (sqlite3_prepare_v2(db, sql, -1, &st, nullptr) != SQLITE_OK) fail("cannot prepare a statement");
    int i = 1;
    for (auto const* t : texts) sqlite3_bind_text(st, i++, t->c_str(), int(t->size()), SQLITE_TRANSIENT);
    int rc = sqlite3_step(st);
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE) fail("cannot write");
  }
  /// The rows of `sql`, each its first `columns` columns as text.
  std::vector<std::vector<std::string>> read_rows(char const* sql, int columns) {
    sqlite3_stmt* st = nullptr;
    if (sqlite3_prepare_v2(db, sql, -1, &st, nullptr) != SQLITE_OK) fail("cannot prepare a statement");
    std::vector<std::vector<std::string>> rows;
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
      auto& row = rows.emplace_back();
      for (int c = 0; c < columns; ++c)
        row.emplace_back(reinterpret_cast<char const*>(sqlite3_column_text(st, c)), sqlite3_column_bytes(st, c));
    }
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE) fail("cannot read");
    return rows;
  }
  std::vector<std::string> read(char const* sql) {
    std::vector<std::string> out;
    for (auto& row : read_rows(sql, 1)) out.push_back(std::move(row.front()));
    return out;
  }
};

store::store(std::filesystem::path const& dir) : impl_(std::make_unique<impl>()) {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  impl_->file = dir / "stepsim.db";
  if (ec) throw store_error(fmt::format("{}: cannot create the directory: {}", dir.string(), ec.message()));
  if (sqlite3_open(impl_->file.string().c_str(), &impl_->db) != SQLITE_OK) impl_->fail("cannot open");
  sqlite3_busy_timeout(impl_->db, 5000);
  impl_->exec(schema);
  auto rows = impl_->read("SELECT COALESCE(MAX(seq), 0) FROM executions");
  impl_->seq = rows.empty() ? 0 : std::stoll(rows.front());
}

store::~store() { sqlite3_close(impl_->db); }

void store::save_machine(machine_record const& m) {
  auto text = json::serialize(machine_json(m));
  impl_->write("INSERT OR REPLACE INTO machines (arn, record) VALUES (?1, ?2)", m.arn, &text);
}

void store::delete_machine(std::string const& arn) { impl_->write("DELETE FROM machines WHERE arn = ?1", arn); }

void store::save_execution(execution_record const& e) {
  auto text = json::serialize(execution_json(e));
  // One statement, one transaction: the history is written whole or not at all.
  impl_->write(
      "INSERT INTO executions (arn, seq, record) VALUES (?1, ?2, ?3) "
      "ON CONFLICT(arn) DO UPDATE SET record = excluded.record",
      e.arn, &text, ++impl_->seq);
}

void store::save_record(record const& r) {
  impl_->write_texts("INSERT OR REPLACE INTO records (kind, arn, record) VALUES (?1, ?2, ?3)", {&r.kind, &r.arn, &r.text});
}

void store::delete_record(std::string const& kind, std::string const& arn) {
  impl_->write_texts("DELETE FROM records WHERE kind = ?1 AND arn = ?2", {&kind, &arn});
}

store::contents store::load(sim::instant now) {
  contents c;
  for (auto& row : impl_->read_rows("SELECT kind, arn, record FROM records ORDER BY rowid", 3))
    c.records.push_back(record{std::move(row[0]), std::move(row[1]), std::move(row[2])});
  for (auto const& text : impl_->read("SELECT record FROM machines ORDER BY rowid")) {
    auto m = machine_of(json::parse(text).as_object());
    auto parsed = asl::parse(m.definition);
    if (!parsed.ok()) continue;  // written by a stepsim that accepted more; not served
    m.compiled = parsed.machine;
    c.machines.push_back(std::move(m));
  }
  for (auto const& text : impl_->read("SELECT record FROM executions ORDER BY seq")) {
    auto e = execution_of(json::parse(text).as_object());
    auto& r = *e.final;
    if (r.status == engine::execution_status::running) {
      r.status = engine::execution_status::aborted;
      r.stop_date = now;
      r.error = "stepsim.ServerRestarted";
      r.cause = "The server stopped while the execution was running; stepsim does not resume executions.";
      engine::history_event ev;
      ev.id = r.events.empty() ? 1 : r.events.back().id + 1;
      ev.previous_event_id = ev.id - 1;
      ev.timestamp = now;
      ev.type = "ExecutionAborted";
      ev.details_key = "executionAbortedEventDetails";
      ev.details = json::object{{"error", *r.error}, {"cause", *r.cause}};
      r.events.push_back(std::move(ev));
      save_execution(e);
    }
    c.executions.push_back(std::move(e));
  }
  return c;
}

}  // namespace stepsim::server
