// stepsim::study::svg: a small, deterministic SVG chart writer for the HTML report (private).
//
// Everything is text: the same calls give byte-identical output. Coordinates
// are printed with at most one decimal. No fonts, scripts or links.
#pragma once

#include <stepsim/study/runner.hpp>
#include <stepsim/study/summary.hpp>

#include <boost/json/object.hpp>
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace stepsim::study::svg {

/// Escapes text for HTML and SVG (element content and attribute values).
inline std::string esc(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (char c : s) {
    switch (c) {
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '&': out += "&amp;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default:
        // Control characters (other than tab and newline) are not valid in HTML/XML text.
        if (static_cast<unsigned char>(c) < 0x20 && c != '\t' && c != '\n') out += ' ';
        else out += c;
    }
  }
  return out;
}

/// A coordinate with at most one decimal ("12", "12.5", "-3.1").
inline std::string coord(double v) {
  if (!std::isfinite(v)) v = 0;
  auto tenths = static_cast<long long>(std::llround(v * 10.0));
  if (tenths % 10 == 0) return fmt::format("{}", tenths / 10);
  return fmt::format("{}{}.{}", tenths < 0 ? "-" : "", std::llabs(tenths) / 10, std::llabs(tenths) % 10);
}

/// Groups the integer part in thousands: 1234567.5 -> "1,234,567.5".
inline std::string group_thousands(std::string s) {
  auto start = s.find_first_of("0123456789");
  auto end = s.find('.');
  if (start == std::string::npos) return s;
  if (end == std::string::npos) end = s.size();
  for (auto i = end; i > start + 3; i -= 3) s.insert(i - 3, ",");
  return s;
}

/// A number with `decimals` decimals, grouped in thousands.
inline std::string number(double v, int decimals) {
  if (!std::isfinite(v)) return "\u2013";
  if (std::fabs(v) < 0.5 * std::pow(10.0, -decimals)) v = 0;  // no "-0.0"
  return group_thousands(fmt::format("{:.{}f}", v, decimals));
}

/// A number with as many decimals as it needs, up to `max_decimals`.
inline std::string short_number(double v, int max_decimals = 2) {
  auto s = number(v, max_decimals);
  if (s.find('.') != std::string::npos) {
    while (s.back() == '0') s.pop_back();
    if (s.back() == '.') s.pop_back();
  }
  return s;
}

/// Approximate rendered width of text at a font size (sans-serif).
inline double text_width(std::string_view s, double font_px) {
  double w = 0;
  for (unsigned char c : s) {
    if ((c & 0xC0) == 0x80) continue;  // UTF-8 continuation byte
    w += (c == 'i' || c == 'l' || c == '.' || c == ',' || c == '\'' || c == 'j' || c == 't' || c == 'f' || c == 'I' ||
          c == ' ' || c == '(' || c == ')' || c == '-')
             ? 0.33
         : (c == 'm' || c == 'w' || c == 'M' || c == 'W') ? 0.85
         : (c >= 'A' && c <= 'Z')                         ? 0.66
                                                          : 0.56;
  }
  return w * font_px;
}

/// Colour-blind-safe palette (Okabe & Ito), yellow left out (too light on white).
inline constexpr char const* palette[] = {"#0072B2", "#E69F00", "#009E73", "#CC79A7",
                                          "#56B4E9", "#D55E00", "#000000"};
inline constexpr std::size_t palette_size = sizeof(palette) / sizeof(palette[0]);
inline constexpr char const* dashes[] = {"", "6 3", "2 3"};
inline constexpr char const* warm_colour = "#0072B2";  // blue
inline constexpr char const* cold_colour = "#D55E00";  // vermillion (orange)

/// Style of the i-th series: a colour, then a dash pattern once the colours run out.
struct style {
  std::string colour;
  std::string dash;
};
inline style series_style(std::size_t i) {
  return {palette[i % palette_size], dashes[(i / palette_size) % (sizeof(dashes) / sizeof(dashes[0]))]};
}

/// "Nice" axis: ticks at 1, 2 or 5 times a power of ten, covering [lo, hi].
struct axis {
  double lo = 0, hi = 1, step = 1;
  int decimals = 0;
  std::vector<double> ticks;
};

/// `integer`: whole-number steps only (counts).
inline axis nice_axis(double lo, double hi, int target_ticks = 5, bool integer = false) {
  axis a;
  if (!std::isfinite(lo) || !std::isfinite(hi)) lo = 0, hi = 1;
  if (hi < lo) std::swap(lo, hi);
  if (hi - lo < 1e-9) hi = lo + (lo == 0 ? 1 : std::fabs(lo) * 0.1);
  double raw = (hi - lo) / std::max(1, target_ticks);
  double mag = std::pow(10.0, std::floor(std::log10(raw)));
  double f = raw / mag;
  double step = (f <= 1 ? 1 : f <= 2 ? 2 : f <= 2.5 && !(integer && mag < 10) ? 2.5 : f <= 5 ? 5 : 10) * mag;
  if (integer) step = std::max(step, 1.0);
  a.step = step;
  a.lo = std::floor(lo / step + 1e-9) * step;
  a.hi = std::ceil(hi / step - 1e-9) * step;
  a.decimals = std::max(0, -static_cast<int>(std::floor(std::log10(step) + 1e-9)));
  if (std::fabs(step / std::pow(10.0, -a.decimals) - std::round(step / std::pow(10.0, -a.decimals))) > 1e-6)
    ++a.decimals;  // 2.5, 0.25...
  for (int i = 0;; ++i) {
    double t = a.lo + step * i;
    if (t > a.hi + step * 1e-6) break;
    a.ticks.push_back(std::fabs(t) < step * 1e-9 ? 0.0 : t);
  }
  return a;
}

/// A legend entry: a marker ("dot", "square", "line", "bar") in a colour.
struct legend_item {
  std::string label;
  std::string colour;
  std::string marker = "line";
  std::string dash;
};

/// One chart: a title, an optional legend, a plot area with a numeric x axis
/// and a numeric (or categorical, for bars) y axis, and the marks in it.
class chart {
 public:
  chart(double width, double height, std::string title) : w_(width), h_(height), title_(std::move(title)) {}

  void set_margins(double left, double right, double top, double bottom) {
    ml_ = left, mr_ = right, mt_ = top, mb_ = bottom;
  }
  void set_x(axis a, std::string label) { x_ = std::move(a), xl_ = std::move(label); }
  void set_y(axis a, std::string label, std::string (*fmt_tick)(double, int) = nullptr) {
    y_ = std::move(a), yl_ = std::move(label), yfmt_ = fmt_tick;
  }
  /// The legend goes under the title, wrapped to the plot's width; the plot starts below it.
  void set_legend(std::vector<legend_item> items) {
    legend_ = std::move(items);
    auto rows = legend_rows(legend_, w_ - ml_ - mr_);
    mt_ = rows ? 50 + 16.0 * double(rows - 1) : 30;
  }
  /// A small note, right-aligned on the legend's row.
  void set_note(std::string note) { note_ = std::move(note); }
  /// Keeps x = lo `px` pixels right of the y axis, so marks at x = lo stay clear of it.
  void set_inset(double px) { inset_ = px; }

  double left() const { return ml_; }
  double right() const { return w_ - mr_; }
  double top() const { return mt_; }
  double bottom() const { return h_ - mb_; }
  double px(double x) const {
    return left() + inset_ + (right() - left() - inset_) * (x - x_.lo) / (x_.hi - x_.lo);
  }
  double py(double y) const { return bottom() - (bottom() - top()) * (y - y_.lo) / (y_.hi - y_.lo); }

  /// Raw SVG drawn inside the plot area (after the grid, before the axes' labels).
  void add(std::string marks) { body_ += marks; }

  /// Dots (warm: round; square = true: squares), as one path of zero-length strokes.
  void dots(std::vector<std::pair<double, double>> const& pts, std::string const& colour, bool square,
            double size = 4.5) {
    if (pts.empty()) return;
    std::string d;
    d.reserve(pts.size() * 14);
    for (auto const& [x, y] : pts) d += "M" + coord(px(x)) + " " + coord(py(y)) + "h0";
    body_ += fmt::format(R"(<path d="{}" stroke="{}" stroke-width="{}" stroke-linecap="{}" stroke-opacity="0.75" fill="none"/>)",
                         d, colour, coord(size), square ? "square" : "round");
    body_ += "\n";
  }

  /// A polyline through data points.
  void line(std::vector<std::pair<double, double>> const& pts, style const& s, double width = 2) {
    if (pts.empty()) return;
    std::string d;
    for (std::size_t i = 0; i < pts.size(); ++i)
      d += (i ? "L" : "M") + coord(px(pts[i].first)) + " " + coord(py(pts[i].second));
    path(d, s, width);
  }

  /// A step line: each value holds until the next point's x, the last one until `x_end`.
  void steps(std::vector<std::pair<double, double>> const& pts, double x_end, style const& s, double width = 2) {
    if (pts.empty()) return;
    std::string d = "M" + coord(px(pts[0].first)) + " " + coord(py(pts[0].second));
    for (std::size_t i = 1; i < pts.size(); ++i)
      d += "H" + coord(px(pts[i].first)) + "V" + coord(py(pts[i].second));
    d += "H" + coord(px(x_end));
    path(d, s, width);
  }

  std::string finish() const {
    std::string o = fmt::format(
        R"(<svg viewBox="0 0 {} {}" width="{}" height="{}" role="img" aria-label="{}">)",
        coord(w_), coord(h_), coord(w_), coord(h_), esc(title_));
    o += "\n<title>" + esc(title_) + "</title>\n";
    o += fmt::format(R"(<rect width="{}" height="{}" fill="#fff"/>)", coord(w_), coord(h_));
    o += fmt::format(R"(<text x="{}" y="18" class="t">{}</text>)", coord(ml_), esc(title_));
    o += "\n";
    // Grid and y ticks.
    if (!y_.ticks.empty()) {
      std::string grid;
      for (double t : y_.ticks) grid += "M" + coord(left()) + " " + coord(py(t)) + "H" + coord(right());
      o += fmt::format(R"(<path d="{}" stroke="#e4e4e4" stroke-width="1"/>)", grid);
      for (double t : y_.ticks)
        o += fmt::format(R"(<text x="{}" y="{}" class="yt">{}</text>)", coord(left() - 6), coord(py(t) + 4),
                         esc(yfmt_ ? yfmt_(t, y_.decimals) : number(t, y_.decimals)));
      o += "\n";
    }
    o += body_;
    // Axes.
    o += fmt::format(R"(<path d="M{} {}V{}H{}" stroke="#555" stroke-width="1" fill="none"/>)", coord(left()),
                     coord(top()), coord(bottom()), coord(right()));
    if (!x_.ticks.empty()) {
      std::string ticks;
      for (double t : x_.ticks) ticks += "M" + coord(px(t)) + " " + coord(bottom()) + "v4";
      o += fmt::format(R"(<path d="{}" stroke="#555"/>)", ticks);
      for (double t : x_.ticks)
        o += fmt::format(R"(<text x="{}" y="{}" class="xt">{}</text>)", coord(px(t)), coord(bottom() + 16),
                         esc(number(t, x_.decimals)));
    }
    o += "\n";
    if (!xl_.empty())
      o += fmt::format(R"(<text x="{}" y="{}" class="xl">{}</text>)", coord((left() + right()) / 2),
                       coord(bottom() + 34), esc(xl_));
    if (!yl_.empty())
      o += fmt::format(R"x(<text transform="translate(14 {}) rotate(-90)" class="xl">{}</text>)x",
                       coord((top() + bottom()) / 2), esc(yl_));
    // Legend, under the title.
    double lx = ml_, y = 36;
    for (auto const& item : legend_) {
      if (lx > ml_ && lx + item_width(item) - 16 > w_ - mr_) lx = ml_, y += 16;
      if (item.marker == "dot")
        o += fmt::format(R"(<circle cx="{}" cy="{}" r="4" fill="{}"/>)", coord(lx + 5), coord(y - 4), item.colour);
      else if (item.marker == "square" || item.marker == "bar")
        o += fmt::format(R"(<rect x="{}" y="{}" width="9" height="9" fill="{}"/>)", coord(lx + 0.5),
                         coord(y - 8.5), item.colour);
      else
        o += fmt::format(R"(<path d="M{} {}h18" stroke="{}" stroke-width="2.5"{}/>)", coord(lx), coord(y - 4),
                         item.colour, item.dash.empty() ? "" : fmt::format(R"( stroke-dasharray="{}")", item.dash));
      double mw = item.marker == "line" ? 22 : 14;
      o += fmt::format(R"(<text x="{}" y="{}" class="lg">{}</text>)", coord(lx + mw), coord(y), esc(item.label));
      lx += item_width(item);
    }
    if (!note_.empty())
      o += fmt::format(R"(<text x="{}" y="36" class="nt">{}</text>)", coord(w_ - 8), esc(note_));
    o += "\n</svg>\n";
    return o;
  }

  static double item_width(legend_item const& item) {
    return (item.marker == "line" ? 22 : 14) + text_width(item.label, 12) + 16;
  }
  /// How many rows the legend takes in `width`.
  static int legend_rows(std::vector<legend_item> const& items, double width) {
    if (items.empty()) return 0;
    int rows = 1;
    double lx = 0;
    for (auto const& item : items) {
      if (lx > 0 && lx + item_width(item) - 16 > width) lx = 0, ++rows;
      lx += item_width(item);
    }
    return rows;
  }

 private:
  void path(std::string const& d, style const& s, double width) {
    body_ += fmt::format(R"(<path d="{}" stroke="{}" stroke-width="{}" fill="none" stroke-linejoin="round"{}/>)", d,
                         s.colour, coord(width), s.dash.empty() ? "" : fmt::format(R"( stroke-dasharray="{}")", s.dash));
    body_ += "\n";
  }

  double w_, h_;
  double ml_ = 64, mr_ = 18, mt_ = 48, mb_ = 46, inset_ = 0;
  std::string title_, xl_, yl_, note_;
  axis x_, y_;
  std::string (*yfmt_)(double, int) = nullptr;
  std::vector<legend_item> legend_;
  std::string body_;
};

}  // namespace stepsim::study::svg

namespace stepsim::study::detail {

/// The chart sections of the report (lib/study/report_charts.cpp): from the
/// runs for a simulation, from the exported rows for an analysis.
std::string report_charts(boost::json::object const& summary, std::vector<run_result> const* runs,
                          std::vector<exported_execution> const* rows, bool analysis);

}  // namespace stepsim::study::detail
