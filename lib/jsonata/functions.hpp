// The built-in function library, one group per file; each function receives
// its arguments validated against its signature.
#pragma once

#include "jsonata/eval.hpp"

#include <string>
#include <vector>

namespace stepsim::jsonata::detail {

using args_t = std::vector<value>;
#define STEPSIM_JSONATA_FN(name) value name(call_info const& ci, args_t& a)

inline value arg(args_t const& a, std::size_t i) { return i < a.size() ? a[i] : value{}; }
/// An array argument as a list of items (a single value is a list of one).
std::vector<value> items_of(value const& v);
value array_of(std::vector<value> items);
value sequence_from(std::vector<value> items);

// functions_string.cpp
STEPSIM_JSONATA_FN(fn_string);
STEPSIM_JSONATA_FN(fn_substring);
STEPSIM_JSONATA_FN(fn_substring_before);
STEPSIM_JSONATA_FN(fn_substring_after);
STEPSIM_JSONATA_FN(fn_lowercase);
STEPSIM_JSONATA_FN(fn_uppercase);
STEPSIM_JSONATA_FN(fn_length);
STEPSIM_JSONATA_FN(fn_trim);
STEPSIM_JSONATA_FN(fn_pad);
STEPSIM_JSONATA_FN(fn_join);
STEPSIM_JSONATA_FN(fn_base64encode);
STEPSIM_JSONATA_FN(fn_base64decode);
STEPSIM_JSONATA_FN(fn_encode_url_component);
STEPSIM_JSONATA_FN(fn_encode_url);
STEPSIM_JSONATA_FN(fn_decode_url_component);
STEPSIM_JSONATA_FN(fn_decode_url);
// functions_regex.cpp
STEPSIM_JSONATA_FN(fn_match);
STEPSIM_JSONATA_FN(fn_contains);
STEPSIM_JSONATA_FN(fn_replace);
STEPSIM_JSONATA_FN(fn_split);
// functions_numeric.cpp
STEPSIM_JSONATA_FN(fn_number);
STEPSIM_JSONATA_FN(fn_floor);
STEPSIM_JSONATA_FN(fn_ceil);
STEPSIM_JSONATA_FN(fn_round);
STEPSIM_JSONATA_FN(fn_abs);
STEPSIM_JSONATA_FN(fn_sqrt);
STEPSIM_JSONATA_FN(fn_power);
STEPSIM_JSONATA_FN(fn_random);
STEPSIM_JSONATA_FN(fn_sum);
STEPSIM_JSONATA_FN(fn_count);
STEPSIM_JSONATA_FN(fn_max);
STEPSIM_JSONATA_FN(fn_min);
STEPSIM_JSONATA_FN(fn_average);
STEPSIM_JSONATA_FN(fn_boolean);
STEPSIM_JSONATA_FN(fn_not);
STEPSIM_JSONATA_FN(fn_exists);
STEPSIM_JSONATA_FN(fn_type);
STEPSIM_JSONATA_FN(fn_now);
STEPSIM_JSONATA_FN(fn_millis);
STEPSIM_JSONATA_FN(fn_format_number);
STEPSIM_JSONATA_FN(fn_format_base);
STEPSIM_JSONATA_FN(fn_format_integer);
STEPSIM_JSONATA_FN(fn_parse_integer);
STEPSIM_JSONATA_FN(fn_from_millis);
STEPSIM_JSONATA_FN(fn_to_millis);
// functions_array.cpp
STEPSIM_JSONATA_FN(fn_append);
STEPSIM_JSONATA_FN(fn_reverse);
STEPSIM_JSONATA_FN(fn_shuffle);
STEPSIM_JSONATA_FN(fn_distinct);
STEPSIM_JSONATA_FN(fn_zip);
STEPSIM_JSONATA_FN(fn_sort);
STEPSIM_JSONATA_FN(fn_keys);
STEPSIM_JSONATA_FN(fn_lookup);
STEPSIM_JSONATA_FN(fn_spread);
STEPSIM_JSONATA_FN(fn_merge);
STEPSIM_JSONATA_FN(fn_error);
STEPSIM_JSONATA_FN(fn_assert);
STEPSIM_JSONATA_FN(fn_clone);
// functions_hof.cpp
STEPSIM_JSONATA_FN(fn_map);
STEPSIM_JSONATA_FN(fn_filter);
STEPSIM_JSONATA_FN(fn_single);
STEPSIM_JSONATA_FN(fn_reduce);
STEPSIM_JSONATA_FN(fn_sift);
STEPSIM_JSONATA_FN(fn_each);
STEPSIM_JSONATA_FN(fn_eval);
// functions_sfn.cpp
STEPSIM_JSONATA_FN(fn_partition);
STEPSIM_JSONATA_FN(fn_range);
STEPSIM_JSONATA_FN(fn_hash);
STEPSIM_JSONATA_FN(fn_sfn_random);
STEPSIM_JSONATA_FN(fn_uuid);
STEPSIM_JSONATA_FN(fn_parse);

/// A built-in for `name` visible in `d` (null if none).
builtin const* find_builtin(std::string_view name, dialect d);

}  // namespace stepsim::jsonata::detail
