// The table of built-in functions with the reference's signatures.
#include "jsonata/functions.hpp"
#include "jsonata/parser.hpp"

namespace stepsim::jsonata::detail {

namespace {

using av = builtin::availability;

std::vector<builtin>& table() {
  static std::vector<builtin> t = [] {
    std::vector<builtin> b = {
        {"sum", "<a<n>:n>", fn_sum, 1},
        {"count", "<a:n>", fn_count, 1},
        {"max", "<a<n>:n>", fn_max, 1},
        {"min", "<a<n>:n>", fn_min, 1},
        {"average", "<a<n>:n>", fn_average, 1},
        {"string", "<x-b?:s>", fn_string, 1},  // JavaScript arity: `prettify` has a default
        {"substring", "<s-nn?:s>", fn_substring, 3},
        {"substringBefore", "<s-s:s>", fn_substring_before, 2},
        {"substringAfter", "<s-s:s>", fn_substring_after, 2},
        {"lowercase", "<s-:s>", fn_lowercase, 1},
        {"uppercase", "<s-:s>", fn_uppercase, 1},
        {"length", "<s-:n>", fn_length, 1},
        {"trim", "<s-:s>", fn_trim, 1},
        {"pad", "<s-ns?:s>", fn_pad, 3},
        {"match", "<s-f<s:o>n?:a<o>>", fn_match, 3},
        {"contains", "<s-(sf):b>", fn_contains, 2},
        {"replace", "<s-(sf)(sf)n?:s>", fn_replace, 4},
        {"split", "<s-(sf)n?:a<s>>", fn_split, 3},
        {"join", "<a<s>s?:s>", fn_join, 2},
        {"formatNumber", "<n-so?:s>", fn_format_number, 3},
        {"formatBase", "<n-n?:s>", fn_format_base, 2},
        {"formatInteger", "<n-s:s>", fn_format_integer, 2},
        {"parseInteger", "<s-s:n>", fn_parse_integer, 2},
        {"number", "<(nsb)-:n>", fn_number, 1},
        {"floor", "<n-:n>", fn_floor, 1},
        {"ceil", "<n-:n>", fn_ceil, 1},
        {"round", "<n-n?:n>", fn_round, 2},
        {"abs", "<n-:n>", fn_abs, 1},
        {"sqrt", "<n-:n>", fn_sqrt, 1},
        {"power", "<n-n:n>", fn_power, 2},
        {"random", "<:n>", fn_random, 0, av::jsonata_only},
        {"random", "<n?:n>", fn_sfn_random, 1, av::step_functions_only},
        {"boolean", "<x-:b>", fn_boolean, 1},
        {"not", "<x-:b>", fn_not, 1},
        {"map", "<af>", fn_map, 2},
        {"zip", "<a+>", fn_zip, 0},
        {"filter", "<af>", fn_filter, 2},
        {"single", "<af?>", fn_single, 2},
        {"reduce", "<afj?:j>", fn_reduce, 3},
        {"sift", "<o-f?:o>", fn_sift, 2},
        {"keys", "<x-:a<s>>", fn_keys, 1},
        {"lookup", "<x-s:x>", fn_lookup, 2},
        {"append", "<xx:a>", fn_append, 2},
        {"exists", "<x:b>", fn_exists, 1},
        {"spread", "<x-:a<o>>", fn_spread, 1},
        {"merge", "<a<o>:o>", fn_merge, 1},
        {"reverse", "<a:a>", fn_reverse, 1},
        {"each", "<o-f:a>", fn_each, 2},
        {"error", "<s?:x>", fn_error, 1},
        {"assert", "<bs?:x>", fn_assert, 2},
        {"type", "<x:s>", fn_type, 1},
        {"sort", "<af?:a>", fn_sort, 2},
        {"shuffle", "<a:a>", fn_shuffle, 1},
        {"distinct", "<x:x>", fn_distinct, 1},
        {"base64encode", "<s-:s>", fn_base64encode, 1},
        {"base64decode", "<s-:s>", fn_base64decode, 1},
        {"encodeUrlComponent", "<s-:s>", fn_encode_url_component, 1},
        {"encodeUrl", "<s-:s>", fn_encode_url, 1},
        {"decodeUrlComponent", "<s-:s>", fn_decode_url_component, 1},
        {"decodeUrl", "<s-:s>", fn_decode_url, 1},
        {"eval", "<sx?:x>", fn_eval, 2, av::jsonata_only},
        {"toMillis", "<s-s?:n>", fn_to_millis, 2},
        {"fromMillis", "<n-s?s?:s>", fn_from_millis, 3},
        {"clone", "<(oa)-:o>", fn_clone, 1},
        {"now", "<s?s?:s>", fn_now, 2},
        {"millis", "<:n>", fn_millis, 0},
        {"partition", "<an:a>", fn_partition, 2, av::step_functions_only},
        {"range", "<nnn:a<n>>", fn_range, 3, av::step_functions_only},
        {"hash", "<s-s?:s>", fn_hash, 2, av::step_functions_only},
        {"uuid", "<:s>", fn_uuid, 0, av::step_functions_only},
        {"parse", "<s:j>", fn_parse, 1, av::step_functions_only},
    };
    for (auto& e : b) {
      e.sig = parse_signature(e.signature_text);
      auto self = std::make_shared<function_rep>();
      self->kind = function_rep::native;
      e.self = self;
    }
    for (auto& e : b) e.self->bi = &e;
    return b;
  }();
  return t;
}

}  // namespace

builtin const* find_builtin(std::string_view name) {
  for (auto const& e : table())
    if (e.name == name) return &e;
  return nullptr;
}

builtin const* find_builtin(std::string_view name, dialect d) {
  bool sfn = d == dialect::step_functions;
  for (auto const& e : table()) {
    if (e.name != name) continue;
    if ((e.avail == av::jsonata_only && sfn) || (e.avail == av::step_functions_only && !sfn)) continue;
    return &e;
  }
  return nullptr;
}

std::vector<value> items_of(value const& v) {
  std::vector<value> out;
  if (v.undefined()) return out;
  if (!v.is_array()) {
    out.push_back(v);
    return out;
  }
  out.reserve(v.size());
  for (std::size_t i = 0, n = v.size(); i < n; ++i) out.push_back(v.at(i));
  return out;
}

value array_of(std::vector<value> items) {
  auto a = make_array();
  a->items.assign(std::make_move_iterator(items.begin()), std::make_move_iterator(items.end()));
  return value::of(std::move(a));
}

value sequence_from(std::vector<value> items) {
  auto a = make_sequence();
  a->items.assign(std::make_move_iterator(items.begin()), std::make_move_iterator(items.end()));
  return value::of(std::move(a));
}

}  // namespace stepsim::jsonata::detail
