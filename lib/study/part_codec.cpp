// One run's record in a shard's part: its totals, executions.csv rows and, for
// the first replication of a scenario, the run itself. Exact: doubles travel as
// their bits, so merging gives the unsharded outputs byte for byte.
#include "study/part_codec.hpp"

#include <stepsim/study/part.hpp>

#include <boost/json.hpp>
#include <fmt/format.h>

#include <algorithm>
#include <bit>
#include <cstring>

namespace stepsim::study::detail {

namespace json = boost::json;

namespace {

class encoder {
 public:
  explicit encoder(std::string& out) : out_(out) {}
  void u64(std::uint64_t v) {
    char b[8];
    if constexpr (std::endian::native == std::endian::little) std::memcpy(b, &v, 8);
    else
      for (int i = 0; i < 8; ++i) b[i] = char((v >> (8 * i)) & 0xff);
    out_.append(b, 8);
  }
  void i64(std::int64_t v) { u64(std::uint64_t(v)); }
  void f64(double v) { u64(std::bit_cast<std::uint64_t>(v)); }
  void boolean(bool v) { out_ += char(v ? 1 : 0); }
  /// A count, then the values: their bytes as they are on a little-endian machine.
  void f64s(std::vector<double> const& v) {
    u64(v.size());
    if constexpr (std::endian::native == std::endian::little)
      out_.append(reinterpret_cast<char const*>(v.data()), v.size() * sizeof(double));
    else
      for (double x : v) f64(x);
  }
  void str(std::string_view s) {
    u64(s.size());
    out_.append(s);
  }
  void dur(sim::duration d) { i64(d.count()); }
  void at(sim::instant t) { dur(t.time_since_epoch()); }

 private:
  std::string& out_;
};

class decoder {
 public:
  explicit decoder(std::string_view in) : in_(in) {}
  std::uint64_t u64() {
    need(8);
    std::uint64_t v = 0;
    if constexpr (std::endian::native == std::endian::little) std::memcpy(&v, in_.data() + pos_, 8);
    else
      for (int i = 0; i < 8; ++i) v |= std::uint64_t(static_cast<unsigned char>(in_[pos_ + std::size_t(i)])) << (8 * i);
    pos_ += 8;
    return v;
  }
  std::int64_t i64() { return std::int64_t(u64()); }
  double f64() { return std::bit_cast<double>(u64()); }
  bool boolean() {
    need(1);
    auto c = in_[pos_++];
    if (c != 0 && c != 1) throw part_error(fmt::format("a flag at byte {} is {}, not 0 or 1", pos_ - 1, int(c)));
    return c == 1;
  }
  void f64s(std::vector<double>& out) {
    out.resize(count(8));
    if constexpr (std::endian::native == std::endian::little) {
      std::memcpy(out.data(), in_.data() + pos_, out.size() * sizeof(double));
      pos_ += out.size() * sizeof(double);
    } else {
      for (auto& x : out) x = f64();
    }
  }
  std::string str() {
    auto n = count(1);
    std::string s(in_.substr(pos_, n));
    pos_ += n;
    return s;
  }
  std::string_view view() {
    auto n = count(1);
    auto s = in_.substr(pos_, n);
    pos_ += n;
    return s;
  }
  sim::duration dur() { return sim::duration(i64()); }
  sim::instant at() { return sim::instant(dur()); }
  /// A count of items of at least `item_bytes` each: never more than the bytes left can hold.
  std::size_t count(std::size_t item_bytes) {
    auto n = u64();
    if (n > (in_.size() - pos_) / std::max<std::size_t>(item_bytes, 1))
      throw part_error(fmt::format("a count of {} at byte {} is more than the record holds", n, pos_ - 8));
    return std::size_t(n);
  }
  bool done() const { return pos_ == in_.size(); }
  std::size_t position() const { return pos_; }

 private:
  void need(std::size_t n) const {
    if (in_.size() - pos_ < n) throw part_error(fmt::format("the record ends at byte {}, too soon", in_.size()));
  }
  std::string_view in_;
  std::size_t pos_ = 0;
};

void put(encoder& e, duration_stats const& d) {
  auto s = d.save();
  e.boolean(s.keep);
  e.u64(s.n);
  e.f64(s.sum);
  e.f64(s.min);
  e.f64(s.max);
  e.f64s(s.values);
  e.u64(s.buckets.size());
  for (auto const& [b, c] : s.buckets) e.i64(b), e.u64(c);
}

duration_stats get_stats(decoder& d) {
  duration_stats::state s;
  s.keep = d.boolean();
  s.n = d.u64();
  s.sum = d.f64();
  s.min = d.f64();
  s.max = d.f64();
  d.f64s(s.values);
  auto nb = d.count(16);
  for (std::size_t i = 0; i < nb; ++i) {
    auto b = d.i64();
    s.buckets[int(b)] = d.u64();
  }
  if (s.keep ? s.values.size() != s.n : !s.values.empty()) throw part_error("a duration table's count does not match its values");
  return duration_stats::restore(std::move(s));
}

// Period rows: flat objects of strings, numbers and booleans, members in their order.
void put(encoder& e, json::object const& o) {
  e.u64(o.size());
  for (auto const& kv : o) {
    e.str(kv.key());
    auto const& v = kv.value();
    if (v.is_string()) e.u64(0), e.str(v.get_string());
    else if (v.is_uint64()) e.u64(1), e.u64(v.get_uint64());
    else if (v.is_int64()) e.u64(2), e.i64(v.get_int64());
    else if (v.is_double()) e.u64(3), e.f64(v.get_double());
    else if (v.is_bool()) e.u64(4), e.boolean(v.get_bool());
    else throw std::logic_error("a period row holds only strings, numbers and booleans");
  }
}

json::object get_object(decoder& d) {
  json::object o;
  auto n = d.count(16);
  for (std::size_t i = 0; i < n; ++i) {
    auto key = d.str();
    switch (d.u64()) {
      case 0: o[key] = d.str(); break;
      case 1: o[key] = d.u64(); break;
      case 2: o[key] = d.i64(); break;
      case 3: o[key] = d.f64(); break;
      case 4: o[key] = d.boolean(); break;
      default: throw part_error(fmt::format("a period row's value at byte {} has an unknown type", d.position() - 8));
    }
  }
  return o;
}

// The executions of a scenario's first run, as the report draws them: the
// workflow (an index into the run's names), start, stop and whether it was cold.
void put_drawn(encoder& e, std::vector<execution_record> const& executions) {
  std::vector<std::string_view> names;
  std::vector<std::uint64_t> index_of;
  index_of.reserve(executions.size());
  for (auto const& x : executions) {
    auto at = std::find(names.begin(), names.end(), x.workflow);
    if (at == names.end()) at = names.insert(at, x.workflow);
    index_of.push_back(std::uint64_t(at - names.begin()));
  }
  e.u64(names.size());
  for (auto name : names) e.str(name);
  e.u64(executions.size());
  for (std::size_t i = 0; i < executions.size(); ++i) {
    auto const& x = executions[i];
    e.u64(index_of[i]);
    e.at(x.start);
    e.at(x.stop);
    e.boolean(x.cold());
  }
}

std::vector<execution_record> get_drawn(decoder& d) {
  auto nn = d.count(8);
  std::vector<std::string> names;
  names.reserve(nn);
  for (std::size_t i = 0; i < nn; ++i) names.push_back(d.str());
  auto ne = d.count(25);
  std::vector<execution_record> out(ne);
  for (auto& x : out) {
    auto name = d.u64();
    if (name >= names.size())
      throw part_error(fmt::format("an execution's workflow {} at byte {} is not one of the run's {}", name,
                                   d.position() - 8, names.size()));
    x.workflow = names[std::size_t(name)];
    x.start = d.at();
    x.stop = d.at();
    x.cold_starts = d.boolean() ? 1 : 0;
  }
  return out;
}

void put(encoder& e, lambda::container_record const& c) {
  e.str(c.function);
  e.u64(c.id);
  e.boolean(c.provisioned);
  e.boolean(c.prewarmed);
  e.at(c.created);
  e.at(c.ready);
  e.boolean(c.reaped.has_value());
  e.at(c.reaped.value_or(sim::instant{}));
  e.str(c.reason);
  e.u64(c.invocations);
}

lambda::container_record get_container(decoder& d) {
  lambda::container_record c;
  c.function = d.str();
  c.id = d.u64();
  c.provisioned = d.boolean();
  c.prewarmed = d.boolean();
  c.created = d.at();
  c.ready = d.at();
  bool reaped = d.boolean();
  auto t = d.at();
  if (reaped) c.reaped = t;
  c.reason = d.str();
  c.invocations = d.u64();
  return c;
}

}  // namespace

void encode_run(std::string& out, run_totals const& t, std::string const& csv_rows, run_result const* whole) {
  encoder e(out);
  e.str(t.scenario);
  e.i64(t.replication);
  e.u64(t.workflows.size());
  for (auto const& [name, w] : t.workflows) {
    e.str(name);
    put(e, w.all);
    for (auto const* sum : {&w.cold, &w.warm}) e.u64(sum->n), e.f64(sum->sum);
    for (auto v : {w.succeeded, w.failed, w.throttles, w.cold_starts, w.invocations, w.transitions}) e.u64(v);
    for (auto v : {w.init, w.run, w.orchestration}) e.dur(v);
  }
  e.u64(t.functions.size());
  for (auto const& [name, f] : t.functions) {
    e.str(name);
    for (auto v : {f.invocations, f.cold, f.warm, f.throttled, f.errors, f.containers}) e.u64(v);
    e.i64(f.billed_ms);
    for (auto v : {f.init_time, f.run_time, f.busy_time}) e.dur(v);
    e.f64(f.cost);
  }
  e.dur(t.horizon);
  e.u64(t.pools.size());
  for (auto const& [name, p] : t.pools) {
    e.str(name);
    e.dur(p.alive);
    e.dur(p.busy);
    e.u64(p.lifetimes_ms.size());
    for (double v : p.lifetimes_ms) e.f64(v);
  }
  e.f64(t.provisioned_cost);
  e.f64(t.workflow_cost);
  e.u64(t.periods.size());
  for (auto const& row : t.periods) put(e, row);
  e.str(csv_rows);
  e.boolean(whole != nullptr);
  if (!whole) return;
  e.u64(whole->seed);
  e.at(whole->start);
  e.at(whole->end);
  put_drawn(e, whole->executions);
  e.u64(whole->containers.size());
  for (auto const& c : whole->containers) put(e, c);
}

decoded_run decode_run(std::string_view in) {
  decoder d(in);
  decoded_run out;
  auto& t = out.totals;
  t.scenario = d.str();
  t.replication = int(d.i64());
  auto nw = d.count(8);
  for (std::size_t i = 0; i < nw; ++i) {
    auto name = d.str();
    workflow_totals w;
    w.all = get_stats(d);
    for (auto* sum : {&w.cold, &w.warm}) sum->n = d.u64(), sum->sum = d.f64();
    for (auto* v : {&w.succeeded, &w.failed, &w.throttles, &w.cold_starts, &w.invocations, &w.transitions}) *v = d.u64();
    for (auto* v : {&w.init, &w.run, &w.orchestration}) *v = d.dur();
    t.workflows.emplace(std::move(name), std::move(w));
  }
  auto nf = d.count(8);
  for (std::size_t i = 0; i < nf; ++i) {
    auto& f = t.functions[d.str()];
    for (auto* v : {&f.invocations, &f.cold, &f.warm, &f.throttled, &f.errors, &f.containers}) *v = d.u64();
    f.billed_ms = d.i64();
    for (auto* v : {&f.init_time, &f.run_time, &f.busy_time}) *v = d.dur();
    f.cost = d.f64();
  }
  t.horizon = d.dur();
  auto np = d.count(8);
  for (std::size_t i = 0; i < np; ++i) {
    auto& p = t.pools[d.str()];
    p.alive = d.dur();
    p.busy = d.dur();
    auto nl = d.count(8);
    p.lifetimes_ms.reserve(nl);
    for (std::size_t j = 0; j < nl; ++j) p.lifetimes_ms.push_back(d.f64());
  }
  t.provisioned_cost = d.f64();
  t.workflow_cost = d.f64();
  auto nrows = d.count(8);
  for (std::size_t i = 0; i < nrows; ++i) t.periods.push_back(get_object(d));
  out.csv_rows = d.view();
  if (d.boolean()) {
    run_result r;
    r.scenario = t.scenario;
    r.replication = t.replication;
    r.seed = d.u64();
    r.start = d.at();
    r.end = d.at();
    r.executions = get_drawn(d);
    auto nc = d.count(8);
    r.containers.reserve(nc);
    for (std::size_t i = 0; i < nc; ++i) r.containers.push_back(get_container(d));
    out.whole = std::move(r);
  }
  if (!d.done()) throw part_error(fmt::format("{} bytes follow the end of the record", in.size() - d.position()));
  return out;
}

}  // namespace stepsim::study::detail
