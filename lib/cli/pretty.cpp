#include "cli/commands.hpp"

#include <stepsim/asl/json_text.hpp>

#include <boost/json.hpp>

namespace stepsim::cli {

namespace {

void indent(std::string& out, int level) {
  out += '\n';
  out.append(static_cast<std::size_t>(level) * 2, ' ');
}

void pretty_into(std::string& out, boost::json::value const& v, int level, number_style numbers) {
  if (auto const* o = v.if_object(); o && !o->empty()) {
    out += '{';
    bool first = true;
    for (auto const& kv : *o) {
      if (!first) out += ',';
      first = false;
      indent(out, level + 1);
      out += boost::json::serialize(boost::json::value(kv.key()));
      out += ": ";
      pretty_into(out, kv.value(), level + 1, numbers);
    }
    indent(out, level);
    out += '}';
  } else if (auto const* a = v.if_array(); a && !a->empty()) {
    out += '[';
    bool first = true;
    for (auto const& e : *a) {
      if (!first) out += ',';
      first = false;
      indent(out, level + 1);
      pretty_into(out, e, level + 1, numbers);
    }
    indent(out, level);
    out += ']';
  } else {
    if (numbers == number_style::javascript) asl::append_js_text(out, v);
    else asl::append_text(out, v);
  }
}

}  // namespace

std::string pretty(boost::json::value const& v, number_style numbers) {
  std::string out;
  pretty_into(out, v, 0, numbers);
  return out;
}

}  // namespace stepsim::cli
