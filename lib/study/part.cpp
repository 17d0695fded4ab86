// Shards and parts: `stepsim simulate --shard I/N` writes one part, `stepsim
// merge` folds every part back into the study's outputs, exactly.
//
// A part is "stepsim-part 2\n", a header (one line of JSON), then per run a
// little-endian 64-bit length and the run's record (study/part_codec.hpp),
// followed, as the header's "records" and "aws_export" say, by its
// invocations rows, environments rows and aws/ file, each a length and its
// bytes; then "end\n".
#include <stepsim/study/part.hpp>

#include <stepsim/sim/rng.hpp>

#include "study/part_codec.hpp"
#include "study/part_reader.hpp"

#include <boost/json.hpp>
#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <fstream>
#include <map>

namespace stepsim::study {

namespace json = boost::json;
namespace fs = std::filesystem;

namespace {

// The format's version: 2 stores the report's view of a run's executions (format 1 stored them whole).
constexpr std::string_view magic_word = "stepsim-part";
constexpr std::string_view magic = "stepsim-part 2";
constexpr std::string_view trailer = "end\n";

std::optional<long long> whole_number(std::string_view s) {
  long long v = 0;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || end != s.data() + s.size() || s.empty()) return std::nullopt;
  return v;
}

/// The runs of shard `index` of `count` among `total`: k = index, index + count, ...
std::size_t runs_in_shard(std::size_t total, std::size_t index, std::size_t count) {
  return total > index ? (total - index - 1) / count + 1 : 0;
}

std::string file_bytes(std::string const& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

/// A digest of what the study reads: its file and its workflows' definitions.
std::string study_digest(study const& s) {
  auto h = sim::fnv1a64(s.file.empty() ? s.name : file_bytes(s.file));
  for (auto const& [name, w] : s.workflows) h = sim::fnv1a64(file_bytes(w.definition_file), sim::fnv1a64(name, h));
  return fmt::format("{:016x}", h);
}

json::object header_of(study const& s, std::optional<std::string> const& only, shard part, std::size_t total,
                       part_contents contents) {
  json::array scenarios;
  for (auto const& c : s.scenarios) {
    json::object o{{"name", c.scenario}, {"description", c.description}};
    if (!c.point.empty()) o["sweep"] = c.point;
    scenarios.push_back(std::move(o));
  }
  return json::object{{"study", s.name},
                      {"digest", study_digest(s)},
                      {"seed", s.seed},
                      {"replications", s.replications},
                      {"scenario", only ? json::value(*only) : json::value(nullptr)},
                      {"shards", part.count},
                      {"shard", part.index},
                      {"runs_total", total},
                      {"runs", runs_in_shard(total, std::size_t(part.index), std::size_t(part.count))},
                      {"start", sim::format_iso8601(s.start)},
                      {"executions_csv", s.write_executions},
                      {"records", contents.records},
                      {"aws_export", contents.aws_export},
                      {"scenarios", std::move(scenarios)}};
}

}  // namespace

std::optional<shard> parse_shard(std::string_view text, std::string& error,
                                 std::function<char const*(char const*)> const& getenv) {
  auto slash = text.find('/');
  if (slash == std::string_view::npos) {
    error = fmt::format("--shard takes I/N (shard I of N, I from 0), not '{}'", text);
    return std::nullopt;
  }
  auto index_text = text.substr(0, slash), count_text = text.substr(slash + 1);
  auto count = whole_number(count_text);
  if (!count || *count < 1 || *count > 1000000) {
    error = fmt::format("--shard {}: N must be a whole number from 1 to 1000000, not '{}'", text, count_text);
    return std::nullopt;
  }
  std::string from;  // where the index came from, for messages
  std::string value(index_text);
  bool is_name = !index_text.empty() && std::all_of(index_text.begin(), index_text.end(), [](char c) {
    return c == '_' || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
  }) && !(index_text.front() >= '0' && index_text.front() <= '9');
  if (is_name) {
    auto const* v = getenv(value.c_str());
    if (!v) {
      error = fmt::format("--shard {}: the environment variable {} is not set", text, index_text);
      return std::nullopt;
    }
    from = fmt::format(" ({} is '{}')", index_text, v);
    value = v;
  }
  auto index = whole_number(value);
  if (!index) {
    error = fmt::format("--shard {}: I must be a whole number or the name of an environment variable holding one{}",
                        text, from);
    return std::nullopt;
  }
  if (*index < 0 || *index >= *count) {
    error = fmt::format("--shard {}: I must be from 0 to {}, not {}{}", text, *count - 1, *index, from);
    return std::nullopt;
  }
  return shard{int(*index), int(*count)};
}

std::string part_file_name(shard s) { return fmt::format("part-{}-of-{}.part", s.index, s.count); }

// ---- writing -----------------------------------------------------------------

struct part_writer::impl {
  study const& s;
  part_contents contents;
  period_options po;
  fs::path file, temporary;
  std::ofstream out;
  std::vector<std::pair<run_config const*, int>> expected;
  std::size_t next = 0;
  bool finished = false;
  std::string record;
};

part_writer::part_writer(study const& s, std::optional<std::string> const& only, shard part, fs::path const& file,
                         part_contents contents)
    : impl_(std::make_unique<impl>(impl{s, contents, {}, file, file, {}, {}, 0, false, {}})) {
  impl_->po.cold_gap = s.cold_gap;
  impl_->temporary += ".tmp";
  auto all = runs_of(s, only);
  for (std::size_t k = std::size_t(part.index); k < all.size(); k += std::size_t(part.count)) impl_->expected.push_back(all[k]);
  impl_->out.open(impl_->temporary, std::ios::binary | std::ios::trunc);
  if (!impl_->out) throw part_error(fmt::format("cannot write '{}'", impl_->temporary.string()));
  impl_->out << magic << '\n' << json::serialize(header_of(s, only, part, all.size(), contents)) << '\n';
}

part_writer::~part_writer() {
  if (impl_ && !impl_->finished) {
    impl_->out.close();
    std::error_code ec;
    fs::remove(impl_->temporary, ec);
  }
}

namespace {

void write_length(std::ofstream& out, std::uint64_t n) {
  char length[8];
  for (int i = 0; i < 8; ++i) length[i] = char((n >> (8 * i)) & 0xff);
  out.write(length, 8);
}

void write_blob(std::ofstream& out, std::string_view bytes) {
  write_length(out, bytes.size());
  out.write(bytes.data(), std::streamsize(bytes.size()));
}

}  // namespace

void part_writer::add(run_result& r, run_files const& files) {
  auto& m = *impl_;
  if (m.next >= m.expected.size() || m.expected[m.next].first->scenario != r.scenario ||
      m.expected[m.next].second != r.replication)
    throw std::logic_error(fmt::format("part_writer: run ({}, {}) is not the shard's next run", r.scenario, r.replication));
  ++m.next;
  auto csv = m.s.write_executions ? executions_csv_rows(r) : std::string();
  auto totals = take_totals(m.s, r, m.po);
  m.record.clear();
  detail::encode_run(m.record, totals, csv, r.replication == 0 ? &r : nullptr);
  write_blob(m.out, m.record);
  if (m.contents.records) {
    write_blob(m.out, files.invocations);
    write_blob(m.out, files.environments);
  }
  if (m.contents.aws_export) write_blob(m.out, files.aws_export);
  if (!m.out) throw part_error(fmt::format("cannot write '{}'", m.temporary.string()));
}

void part_writer::finish() {
  auto& m = *impl_;
  if (m.next != m.expected.size())
    throw std::logic_error(fmt::format("part_writer: {} of the shard's {} runs added", m.next, m.expected.size()));
  m.out << trailer;
  m.out.close();
  if (!m.out) throw part_error(fmt::format("cannot write '{}'", m.temporary.string()));
  std::error_code ec;
  fs::rename(m.temporary, m.file, ec);
  if (ec) throw part_error(fmt::format("cannot rename '{}' to '{}': {}", m.temporary.string(), m.file.string(), ec.message()));
  m.finished = true;
}

// ---- reading -----------------------------------------------------------------

namespace {

struct header_read {
  fs::path file;
  json::object header;
  std::uint64_t data_offset = 0;
};

header_read read_header(fs::path const& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) throw part_error(fmt::format("cannot read '{}'", file.string()));
  std::string line;
  if (std::getline(in, line) && line != magic && line.starts_with(magic_word) && line.size() > magic_word.size() &&
      line[magic_word.size()] == ' ')
    throw part_error(fmt::format("'{}' is a part of format {}, written by another version of stepsim; this one reads "
                                 "format {}: write the parts again with it",
                                 file.string(), line.substr(magic_word.size() + 1, 20), magic.substr(magic_word.size() + 1)));
  if (!in || line != magic)
    throw part_error(fmt::format("'{}' is not a part written by stepsim simulate --shard (it does not begin with '{}')",
                                 file.string(), magic));
  if (!std::getline(in, line)) throw part_error(fmt::format("'{}': the part has no header", file.string()));
  header_read h;
  h.file = file;
  boost::system::error_code ec;
  auto v = json::parse(line, ec);
  if (ec || !v.is_object()) throw part_error(fmt::format("'{}': the part's header is not a JSON object", file.string()));
  h.header = std::move(v.get_object());
  for (auto key : {"study", "digest", "start"})
    if (!h.header.contains(key) || !h.header.at(key).is_string())
      throw part_error(fmt::format("'{}': the part's header has no '{}'", file.string(), key));
  for (auto key : {"seed", "replications", "shards", "shard", "runs_total", "runs"})
    if (!h.header.contains(key) || !(h.header.at(key).is_uint64() || (h.header.at(key).is_int64() && h.header.at(key).get_int64() >= 0)))
      throw part_error(fmt::format("'{}': the part's header has no whole number '{}'", file.string(), key));
  if (!h.header.contains("scenarios") || !h.header.at("scenarios").is_array() || !h.header.contains("executions_csv") ||
      !h.header.at("executions_csv").is_bool() || !h.header.contains("scenario"))
    throw part_error(fmt::format("'{}': the part's header lacks its scenarios", file.string()));
  for (auto key : {"records", "aws_export"}) {
    auto at = h.header.emplace(key, false).first;  // parts written before these existed carry neither
    if (!at->value().is_bool()) throw part_error(fmt::format("'{}': the part's header has a '{}' that is not true or false", file.string(), key));
  }
  h.data_offset = std::uint64_t(in.tellg());
  return h;
}

std::uint64_t whole(json::object const& o, char const* key) { return o.at(key).to_number<std::uint64_t>(); }

std::vector<fs::path> part_files(std::vector<fs::path> const& paths) {
  std::vector<fs::path> files;
  for (auto const& p : paths) {
    std::error_code ec;
    if (!fs::is_directory(p, ec)) {
      files.push_back(p);
      continue;
    }
    std::vector<fs::path> inside;
    for (auto const& e : fs::directory_iterator(p, ec))
      if (e.path().extension() == ".part") inside.push_back(e.path());
    if (ec) throw part_error(fmt::format("cannot list '{}': {}", p.string(), ec.message()));
    if (inside.empty()) throw part_error(fmt::format("'{}' holds no part (no file ending in .part)", p.string()));
    std::sort(inside.begin(), inside.end());
    files.insert(files.end(), inside.begin(), inside.end());
  }
  return files;
}

}  // namespace

std::optional<part_set> part_set::open(std::vector<fs::path> const& paths, std::string& error) try {
  auto files = part_files(paths);
  if (files.empty()) throw part_error("no parts given");
  std::vector<header_read> headers;
  for (auto const& f : files) headers.push_back(read_header(f));
  auto const& first = headers.front();
  for (auto const& h : headers)
    for (auto key : {"study", "digest", "seed", "replications", "scenario", "shards", "runs_total", "start",
                     "executions_csv", "records", "aws_export", "scenarios"})
      if (h.header.at(key) != first.header.at(key)) {
        auto what = std::string_view(key) == "scenarios" ? std::string("their scenarios differ")
                    : std::string_view(key) == "digest"
                        ? std::string("their study files or definitions differ (digest ") + json::serialize(first.header.at(key)) +
                              " vs " + json::serialize(h.header.at(key)) + ")"
                        : fmt::format("'{}' is {} in one and {} in the other", key, json::serialize(first.header.at(key)),
                                      json::serialize(h.header.at(key)));
        throw part_error(fmt::format("'{}' and '{}' are not parts of one simulation: {}", first.file.string(),
                                     h.file.string(), what));
      }
  auto count = whole(first.header, "shards");
  auto total = whole(first.header, "runs_total");
  part_set set;
  set.parts_.resize(std::size_t(count));
  std::vector<fs::path const*> by_index(std::size_t(count), nullptr);
  for (auto const& h : headers) {
    auto index = whole(h.header, "shard");
    if (index >= count)
      throw part_error(fmt::format("'{}' says it is part {} of {}, which does not exist", h.file.string(), index, count));
    if (by_index[index])
      throw part_error(fmt::format("part {} of {} is given twice: '{}' and '{}'", index, count, by_index[index]->string(),
                                   h.file.string()));
    by_index[index] = &h.file;
    auto runs = whole(h.header, "runs");
    if (runs != runs_in_shard(total, index, count))
      throw part_error(fmt::format("'{}' holds {} runs, but part {} of {} has {}", h.file.string(), runs, index, count,
                                   runs_in_shard(total, index, count)));
    set.parts_[index] = part{h.file, h.data_offset, std::size_t(runs)};
  }
  std::vector<std::string> missing;
  for (std::size_t i = 0; i < by_index.size(); ++i)
    if (!by_index[i]) missing.push_back(std::to_string(i));
  if (!missing.empty()) {
    std::string list;
    for (std::size_t i = 0; i < missing.size() && i < 20; ++i) list += (i ? ", " : "") + missing[i];
    if (missing.size() > 20) list += fmt::format(" and {} more", missing.size() - 20);
    throw part_error(fmt::format("{} of the {} parts {} missing: {} (shards are numbered from 0)", missing.size(), count,
                                 missing.size() == 1 ? "is" : "are", list));
  }
  auto& s = set.study_;
  s.name = std::string(first.header.at("study").as_string());
  s.seed = whole(first.header, "seed");
  s.replications = int(whole(first.header, "replications"));
  auto start = sim::parse_iso8601(first.header.at("start").as_string());
  if (!start) throw part_error(fmt::format("'{}': the part's start is not an ISO-8601 instant", first.file.string()));
  s.start = *start;
  s.write_executions = first.header.at("executions_csv").as_bool();
  set.contents_ = part_contents{first.header.at("records").as_bool(), first.header.at("aws_export").as_bool()};
  std::optional<std::string> only;
  if (auto const& o = first.header.at("scenario"); o.is_string()) only = std::string(o.as_string());
  for (auto const& v : first.header.at("scenarios").as_array()) {
    auto const* o = v.if_object();
    if (!o || !o->contains("name") || !o->at("name").is_string() || !o->contains("description") ||
        !o->at("description").is_string())
      throw part_error(fmt::format("'{}': a scenario in the part's header has no name", first.file.string()));
    run_config c;
    c.scenario = std::string(o->at("name").as_string());
    c.description = std::string(o->at("description").as_string());
    if (auto const* p = o->if_contains("sweep"); p && p->is_object()) c.point = p->get_object();
    s.scenarios.push_back(std::move(c));
  }
  if (runs_of(s, only).size() != total)
    throw part_error(fmt::format("'{}': the part's header counts {} runs, its scenarios make {}", first.file.string(),
                                 total, runs_of(s, only).size()));
  set.only_ = only;
  set.runs_ = std::size_t(total);
  return set;
} catch (part_error const& e) {
  error = e.what();
  return std::nullopt;
}

void part_set::each(std::function<void(part_run&&)> const& consume) const {
  auto work = runs_of(study_, only_);
  auto const n = parts_.size();
  // Run k is in part k mod n; every part is read front to back. With many
  // parts, each is opened for each of its reads, so open files stay few.
  std::vector<detail::part_reader> readers;
  readers.reserve(n);
  for (auto const& p : parts_) readers.emplace_back(p.file, p.data_offset, n <= 64);
  for (std::size_t k = 0; k < work.size(); ++k) {
    auto& reader = readers[k % n];
    auto record = reader.blob();
    auto const& [config, replication] = work[k];
    detail::decoded_run run;
    try {
      run = detail::decode_run(record.view());
    } catch (part_error const& e) {
      throw part_error(fmt::format("'{}': the record of run {} (scenario '{}', replication {}) is damaged: {}",
                                   reader.file().string(), k, config->scenario, replication, e.what()));
    }
    if (run.totals.scenario != config->scenario || run.totals.replication != replication)
      throw part_error(fmt::format("'{}': run {} should be scenario '{}', replication {}, not '{}', {}",
                                   reader.file().string(), k, config->scenario, replication, run.totals.scenario,
                                   run.totals.replication));
    part_run out{std::move(run.totals), run.csv_rows, std::move(run.whole), {}, {}, {}};
    auto invocations = contents_.records ? reader.blob() : detail::part_blob();
    auto environments = contents_.records ? reader.blob() : detail::part_blob();
    auto aws_export = contents_.aws_export ? reader.blob() : detail::part_blob();
    out.invocations = invocations.view();
    out.environments = environments.view();
    out.aws_export = aws_export.view();
    consume(std::move(out));
  }
  for (auto& reader : readers) reader.expect_end(trailer);
}

}  // namespace stepsim::study
