// States.Format.
#include <boost/json/string.hpp>

#include "intrinsic_impl.hpp"

namespace stepsim::asl::intrinsic_detail {

format_template compile_template(std::string_view raw) {
  format_template t;
  t.segments.emplace_back();
  for (std::size_t i = 0; i < raw.size(); ++i) {
    char c = raw[i];
    if (c == '\\' && i + 1 < raw.size()) {
      char next = raw[i + 1];
      if (next == '\'' || next == '{' || next == '}' || next == '\\') {
        t.segments.back() += next;
        ++i;
        continue;
      }
    }
    if (c == '{' && i + 1 < raw.size() && raw[i + 1] == '}') {
      t.segments.emplace_back();
      ++i;
      continue;
    }
    // An unescaped brace that is not part of "{}" makes the template unusable.
    if (c == '{' || c == '}') t.valid = false;
    t.segments.back() += c;
  }
  return t;
}

json::value call_format(node const& c, eval_context const& ctx) {
  format_template runtime;
  format_template const* t = c.tmpl ? &*c.tmpl : nullptr;
  if (!t) {
    auto a = evaluate_arg(c.args[0], ctx);
    if (!a->is_string()) fail(c.fn);
    runtime = compile_template(a->get_string());
    t = &runtime;
  }
  if (!t->valid || t->segments.size() != c.args.size()) fail(c.fn);
  std::string out = t->segments[0];
  for (std::size_t i = 1; i < c.args.size(); ++i) {
    append_java(out, evaluate_arg(c.args[i], ctx).get());
    out += t->segments[i];
  }
  return json::string(out);
}

}  // namespace stepsim::asl::intrinsic_detail
