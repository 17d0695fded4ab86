#include <stepsim/study/records.hpp>

#include "study/csv.hpp"

#include <fmt/format.h>

#include <chrono>
#include <iterator>
#include <ostream>
#include <stdexcept>

namespace stepsim::study {

namespace {

constexpr std::size_t block = 1 << 16;  // bytes of rows gathered before a write

double ms_since(sim::instant origin, sim::instant t) { return std::chrono::duration<double, std::milli>(t - origin).count(); }
double ms_of(sim::duration d) { return std::chrono::duration<double, std::milli>(d).count(); }

char const* kind_of(lambda::container_record const& r) {
  return r.provisioned ? "provisioned" : r.prewarmed ? "prewarmed" : "on-demand";
}

}  // namespace

std::string invocations_csv_header() {
  std::string out;
  detail::csv_record row(out);
  for (auto name : {"scenario", "replication", "execution", "function", "environment", "start_ms", "init_ms", "run_ms",
                    "cold", "throttled", "result", "billed_ms", "cost_usd"})
    row << name;
  return out;
}

std::string environments_csv_header() {
  std::string out;
  detail::csv_record row(out);
  for (auto name : {"scenario", "replication", "environment", "function", "kind", "created_ms", "ready_ms",
                    "destroyed_ms", "why", "invocations"})
    row << name;
  return out;
}

void append_invocation_row(std::string& out, std::string const& scenario, int replication, sim::instant origin,
                           lambda::invocation_record const& r) {
  detail::csv_record row(out);
  row << scenario << replication << r.caller << r.function;
  if (r.container) row << r.container;
  else row << "";
  row << ms_since(origin, r.requested) << ms_of(r.init) << ms_of(r.run) << r.cold
      << (r.result == lambda::outcome::throttled) << lambda::to_string(r.result) << r.billed_ms << r.cost;
}

void append_environment_row(std::string& out, std::string const& scenario, int replication, sim::instant origin,
                            lambda::container_record const& r) {
  detail::csv_record row(out);
  row << scenario << replication << r.id << r.function << kind_of(r) << ms_since(origin, r.created)
      << ms_since(origin, r.ready);
  if (r.reaped) row << ms_since(origin, *r.reaped) << r.reason;
  else row << "" << "alive";
  row << r.invocations;
}

record_parts::record_parts(std::filesystem::path const& dir, std::string const& scenario, int replication,
                           sim::instant origin)
    : scenario_(scenario),
      replication_(replication),
      origin_(origin),
      invocations_path_(dir / fmt::format(".{}-{}.invocations.part", scenario, replication)),
      environments_path_(dir / fmt::format(".{}-{}.environments.part", scenario, replication)) {
  invocations_.open(invocations_path_, std::ios::binary | std::ios::trunc);
  environments_.open(environments_path_, std::ios::binary | std::ios::trunc);
  if (!invocations_ || !environments_)
    throw std::runtime_error(fmt::format("cannot write '{}'", (!invocations_ ? invocations_path_ : environments_path_).string()));
}

record_parts::~record_parts() {
  std::error_code ec;
  invocations_.close();
  environments_.close();
  if (!invocations_path_.empty()) std::filesystem::remove(invocations_path_, ec);
  if (!environments_path_.empty()) std::filesystem::remove(environments_path_, ec);
}

void record_parts::flush(std::string& rows, std::ofstream& out) {
  out.write(rows.data(), std::streamsize(rows.size()));
  rows.clear();
}

void record_parts::add(lambda::invocation_record const& r) {
  append_invocation_row(invocation_rows_, scenario_, replication_, origin_, r);
  if (invocation_rows_.size() >= block) flush(invocation_rows_, invocations_);
}

void record_parts::add(lambda::container_record const& r) {
  append_environment_row(environment_rows_, scenario_, replication_, origin_, r);
  if (environment_rows_.size() >= block) flush(environment_rows_, environments_);
}

void record_parts::close() {
  flush(invocation_rows_, invocations_);
  flush(environment_rows_, environments_);
  invocations_.close();
  environments_.close();
  if (!invocations_ || !environments_)
    throw std::runtime_error(fmt::format("cannot write '{}'", (!invocations_ ? invocations_path_ : environments_path_).string()));
}

bool record_parts::move_into(std::ostream& invocations, std::ostream& environments) {
  auto copy = [](std::filesystem::path const& from, std::ostream& to) {
    std::error_code size_ec;
    if (std::filesystem::file_size(from, size_ec) == 0 && !size_ec) return true;  // `to << ` nothing would fail `to`
    std::ifstream in(from, std::ios::binary);
    if (!in) return false;
    to << in.rdbuf();
    return !in.bad();
  };
  return finish_move(copy(invocations_path_, invocations) && copy(environments_path_, environments));
}

bool record_parts::move_into(std::string& invocations, std::string& environments) {
  auto read = [](std::filesystem::path const& from, std::string& to) {
    std::ifstream in(from, std::ios::binary);
    if (!in) return false;
    to.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
    return !in.bad();
  };
  return finish_move(read(invocations_path_, invocations) && read(environments_path_, environments));
}

bool record_parts::finish_move(bool ok) {
  std::error_code ec;
  std::filesystem::remove(invocations_path_, ec);
  std::filesystem::remove(environments_path_, ec);
  invocations_path_.clear();
  environments_path_.clear();
  return ok;
}

}  // namespace stepsim::study
