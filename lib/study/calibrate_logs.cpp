// Lambda REPORT lines from CloudWatch Logs text, log-events JSON and Lambda's JSON log format.
#include <stepsim/study/calibrate.hpp>

#include <stepsim/asl/json_text.hpp>
#include <stepsim/json/parse.hpp>

#include <boost/json.hpp>
#include <fmt/format.h>

#include <array>
#include <charconv>
#include <cmath>

namespace stepsim::study::calibration {

namespace bj = boost::json;

namespace {

constexpr std::string_view report_marker = "REPORT RequestId:";
constexpr double max_ms = lambda::latency::max_ms;
constexpr std::size_t max_json_depth = 64;

enum class field { request_id, duration, billed, memory, max_memory, init, restore, billed_restore, status, error_type };

struct label {
  std::string_view text;
  field f;
};

// Longest first where one label ends another ("Billed Duration:" before "Duration:").
constexpr std::array<label, 10> labels{{
    {"Billed Restore Duration:", field::billed_restore},
    {"Billed Duration:", field::billed},
    {"Restore Duration:", field::restore},
    {"Init Duration:", field::init},
    {"Max Memory Used:", field::max_memory},
    {"Memory Size:", field::memory},
    {"Error Type:", field::error_type},
    {"RequestId:", field::request_id},
    {"Duration:", field::duration},
    {"Status:", field::status},
}};

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r' || s.back() == '\n')) s.remove_suffix(1);
  return s;
}

/// "102.25 ms" -> 102.25; nullopt unless a finite number in [0, limit] followed by `unit`.
std::optional<double> quantity(std::string_view v, std::string_view unit, double limit) {
  if (v.size() <= unit.size() + 1 || v.substr(v.size() - unit.size()) != unit || v[v.size() - unit.size() - 1] != ' ')
    return std::nullopt;
  auto num = v.substr(0, v.size() - unit.size() - 1);
  double d = 0;
  auto [end, ec] = std::from_chars(num.data(), num.data() + num.size(), d, std::chars_format::fixed);
  if (ec != std::errc{} || end != num.data() + num.size() || !std::isfinite(d) || d < 0 || d > limit)
    return std::nullopt;
  return d;
}

char const* name_of(field f) {
  for (auto const& l : labels)
    if (l.f == f) return l.text.data();
  return "?";
}

/// Splits the text after "REPORT " into (field, value) pairs: by tabs when
/// there are any, else at each known label that follows a blank.
bool split_fields(std::string_view rest, std::vector<std::pair<field, std::string_view>>& out, std::string& why) {
  auto match = [](std::string_view s, std::size_t i) -> label const* {
    for (auto const& l : labels)
      if (s.substr(i, l.text.size()) == l.text) return &l;
    return nullptr;
  };
  if (rest.find('\t') != std::string_view::npos) {
    std::size_t start = 0;
    while (start <= rest.size()) {
      auto tab = rest.find('\t', start);
      auto part = trim(rest.substr(start, tab == std::string_view::npos ? std::string_view::npos : tab - start));
      if (!part.empty()) {
        // A field this reader does not know is skipped: Lambda adds fields over time.
        if (auto const* l = match(part, 0)) out.emplace_back(l->f, trim(part.substr(l->text.size())));
      }
      if (tab == std::string_view::npos) break;
      start = tab + 1;
    }
    return true;
  }
  // Blanks only: find each label at the start or after a blank.
  struct hit {
    std::size_t at, value_at;
    field f;
  };
  std::vector<hit> hits;
  for (std::size_t i = 0; i < rest.size();) {
    label const* l = (i == 0 || rest[i - 1] == ' ') ? match(rest, i) : nullptr;
    if (l) {
      hits.push_back({i, i + l->text.size(), l->f});
      i += l->text.size();
    } else {
      ++i;
    }
  }
  if (hits.empty() || hits.front().at != 0) {
    why = "no 'RequestId:' field";
    return false;
  }
  for (std::size_t k = 0; k < hits.size(); ++k) {
    auto end = k + 1 < hits.size() ? hits[k + 1].at : rest.size();
    out.emplace_back(hits[k].f, trim(rest.substr(hits[k].value_at, end - hits[k].value_at)));
  }
  return true;
}

std::optional<report_line> report_from_fields(std::vector<std::pair<field, std::string_view>> const& fields,
                                              std::string& why) {
  report_line r;
  std::array<bool, 10> seen{};
  auto ms = [&](std::string_view v, field f, double& into) {
    if (auto d = quantity(v, "ms", max_ms)) {
      into = *d;
      return true;
    }
    why = fmt::format("'{}' is \"{}\", not a number of milliseconds between 0 and 10000000000 followed by \" ms\"",
                      std::string_view(name_of(f)).substr(0, std::string_view(name_of(f)).size() - 1), v);
    return false;
  };
  for (auto const& [f, v] : fields) {
    auto const idx = std::size_t(f);
    std::string_view const name = std::string_view(name_of(f)).substr(0, std::string_view(name_of(f)).size() - 1);
    if (seen[idx]) {
      why = fmt::format("'{}' is given twice", name);
      return std::nullopt;
    }
    seen[idx] = true;
    double d = 0;
    switch (f) {
      case field::request_id:
        if (v.empty() || v.find(' ') != std::string_view::npos) {
          why = fmt::format("'RequestId' is \"{}\", not an identifier", v);
          return std::nullopt;
        }
        r.request_id = std::string(v);
        break;
      case field::duration:
        if (!ms(v, f, r.duration_ms)) return std::nullopt;
        break;
      case field::billed:
        if (!ms(v, f, r.billed_ms)) return std::nullopt;
        break;
      case field::init:
        if (!ms(v, f, d)) return std::nullopt;
        r.init_ms = d;
        break;
      case field::restore:
        if (!ms(v, f, d)) return std::nullopt;
        r.restore_ms = d;
        break;
      case field::billed_restore:
        if (!ms(v, f, d)) return std::nullopt;
        break;
      case field::memory: {
        auto m = quantity(v, "MB", 10240);
        if (!m || *m < 128 || *m != std::floor(*m)) {
          why = fmt::format("'Memory Size' is \"{}\", not a whole number of MB from 128 to 10240", v);
          return std::nullopt;
        }
        r.memory_mb = int(*m);
        break;
      }
      case field::max_memory: {
        auto m = quantity(v, "MB", 1e6);
        if (!m) {
          why = fmt::format("'Max Memory Used' is \"{}\", not a number of MB", v);
          return std::nullopt;
        }
        r.max_memory_used_mb = *m;
        break;
      }
      case field::status:
        if (v.empty()) {
          why = "'Status' is empty";
          return std::nullopt;
        }
        r.status = std::string(v);
        break;
      case field::error_type: break;
    }
  }
  for (auto f : {field::request_id, field::duration, field::billed, field::memory}) {
    if (!seen[std::size_t(f)]) {
      std::string_view n = name_of(f);
      why = fmt::format("no '{}' field", n.substr(0, n.size() - 1));
      return std::nullopt;
    }
  }
  return r;
}

/// A platform.report record of Lambda's JSON log format.
std::optional<report_line> report_from_record(bj::object const& o, std::string& why) {
  auto const* rec = o.if_contains("record");
  auto const* ro = rec ? rec->if_object() : nullptr;
  auto const* metrics = ro ? ro->if_contains("metrics") : nullptr;
  auto const* mo = metrics ? metrics->if_object() : nullptr;
  if (!mo) {
    why = "a platform.report without record.metrics";
    return std::nullopt;
  }
  report_line r;
  if (auto const* id = ro->if_contains("requestId"); id && id->is_string() && !id->get_string().empty())
    r.request_id = std::string(id->get_string());
  else {
    why = "a platform.report without record.requestId";
    return std::nullopt;
  }
  auto number = [&](char const* key, bool required, double limit) -> std::optional<std::optional<double>> {
    auto const* v = mo->if_contains(key);
    if (!v) {
      if (required) why = fmt::format("record.metrics has no '{}'", key);
      return required ? std::nullopt : std::optional<std::optional<double>>(std::optional<double>());
    }
    if (!v->is_number() || !(v->to_number<double>() >= 0) || v->to_number<double>() > limit) {
      why = fmt::format("record.metrics.{} is {}, not a number between 0 and {}", key, bj::serialize(*v), limit);
      return std::nullopt;
    }
    return std::optional<double>(v->to_number<double>());
  };
  auto dur = number("durationMs", true, max_ms);
  if (!dur) return std::nullopt;
  auto billed = number("billedDurationMs", true, max_ms);
  if (!billed) return std::nullopt;
  auto mem = number("memorySizeMB", true, 10240);
  if (!mem) return std::nullopt;
  if (**mem < 128 || **mem != std::floor(**mem)) {
    why = fmt::format("record.metrics.memorySizeMB is {}, not a whole number from 128 to 10240", **mem);
    return std::nullopt;
  }
  auto used = number("maxMemoryUsedMB", false, 1e6);
  if (!used) return std::nullopt;
  auto init = number("initDurationMs", false, max_ms);
  if (!init) return std::nullopt;
  auto restore = number("restoreDurationMs", false, max_ms);
  if (!restore) return std::nullopt;
  r.duration_ms = **dur;
  r.billed_ms = **billed;
  r.memory_mb = int(**mem);
  r.max_memory_used_mb = *used;
  r.init_ms = *init;
  r.restore_ms = *restore;
  if (auto const* st = ro->if_contains("status"); st && st->is_string() && st->get_string() != "success")
    r.status = std::string(st->get_string());
  return r;
}

class reader {
 public:
  explicit reader(log_reading& out) : out_(out) {}

  void malformed(std::size_t line, std::string reason) {
    ++out_.malformed_count;
    if (out_.malformed.size() < log_reading::max_kept_malformed) out_.malformed.push_back({line, std::move(reason)});
  }

  /// One log event's text (a line, or a log-events message, which may hold
  /// several lines: a REPORT line and an XRAY line).
  void event(std::string_view text, std::size_t number) {
    auto at = text.find(report_marker);
    if (at == std::string_view::npos) {
      if (auto t = trim(text); !t.empty() && t.front() == '{') return json_line(t, number);
      ++out_.other_count;
      return;
    }
    auto line = text.substr(at);
    line = line.substr(0, line.find('\n'));
    std::string why;
    if (auto r = parse_report_line(line, why)) out_.reports.push_back(std::move(*r));
    else malformed(number, std::move(why));
  }

  /// A line of Lambda's JSON log format.
  void json_line(std::string_view t, std::size_t number) {
    auto parsed = stepsim::json::parse(t, max_json_depth);
    auto const* o = parsed.value ? parsed.value->if_object() : nullptr;
    if (!o) {
      // A JSON-looking line the function printed: only a report is ours to read.
      if (t.find("platform.report") != std::string_view::npos)
        malformed(number, "a platform.report line that is not a JSON object");
      else ++out_.other_count;
      return;
    }
    auto const* type = o->if_contains("type");
    if (!type || !type->is_string() || type->get_string() != "platform.report") {
      ++out_.other_count;
      return;
    }
    std::string why;
    if (auto r = report_from_record(*o, why)) out_.reports.push_back(std::move(*r));
    else malformed(number, std::move(why));
  }

 private:
  log_reading& out_;
};

}  // namespace

std::optional<report_line> parse_report_line(std::string_view line, std::string& why) {
  auto at = line.find(report_marker);
  if (at == std::string_view::npos) {
    why = "not a REPORT line";
    return std::nullopt;
  }
  std::vector<std::pair<field, std::string_view>> fields;
  if (!split_fields(trim(line.substr(at + 7)), fields, why)) return std::nullopt;
  return report_from_fields(fields, why);
}

log_reading read_logs(std::string_view text) {
  log_reading out;
  reader rd(out);
  text = stepsim::json::skip_bom(text);
  auto first = text.find_first_not_of(" \t\r\n");
  // The AWS CLI's log-events JSON: one object with "events", each with "message".
  if (first != std::string_view::npos && text[first] == '{') {
    auto parsed = stepsim::json::parse(text, max_json_depth);
    if (parsed.value) {
      auto const* o = parsed.value->if_object();
      auto const* events = o ? o->if_contains("events") : nullptr;
      if (events) {
        out.format = "log-events";
        auto const* arr = events->if_array();
        if (!arr) {
          out.error = "'events' is not an array";
          return out;
        }
        for (std::size_t i = 0; i < arr->size(); ++i) {
          auto const* eo = (*arr)[i].if_object();
          auto const* msg = eo ? eo->if_contains("message") : nullptr;
          if (!msg || !msg->is_string()) {
            rd.malformed(i + 1, "an event without a 'message' string");
            continue;
          }
          rd.event(msg->get_string(), i + 1);
        }
        return out;
      }
      if (!o || !o->contains("type")) {
        out.error = "a JSON document without 'events': not the output of aws logs filter-log-events";
        return out;
      }
    } else if (text.find("\"events\"") != std::string_view::npos && text.find("\"message\"") != std::string_view::npos) {
      // Log-events JSON cut short or edited by hand: read as text, its
      // messages would come out as escaped, malformed lines.
      out.format = "log-events";
      out.error = fmt::format("not valid JSON (aws logs filter-log-events output?): {} at character {}",
                              parsed.error.message(), parsed.consumed + 1);
      return out;
    }
  }
  // Lines: CloudWatch text, or Lambda's JSON log format.
  out.format = "text";
  std::size_t number = 0, start = 0;
  bool json_lines = false;
  while (start < text.size()) {
    auto nl = text.find('\n', start);
    auto line = text.substr(start, nl == std::string_view::npos ? std::string_view::npos : nl - start);
    ++number;
    if (auto t = trim(line); !t.empty()) {
      if (t.front() == '{') json_lines = true;
      rd.event(line, number);
    }
    if (nl == std::string_view::npos) break;
    start = nl + 1;
  }
  if (json_lines) out.format = "json-lines";
  return out;
}

}  // namespace stepsim::study::calibration
