// States.Hash, on the digests shared with JSONata's $hash.
#include <boost/json/string.hpp>

#include "intrinsic_impl.hpp"
#include <stepsim/jsonata/hash.hpp>

namespace stepsim::asl::intrinsic_detail {

json::value call_hash(node const& c, eval_context const& ctx) {
  // AWS's 10,000-character limit on the data, as for Base64.
  constexpr std::size_t max_input_chars = 10000;
  auto data_arg = evaluate_arg(c.args[0], ctx);
  auto algorithm_arg = evaluate_arg(c.args[1], ctx);
  if (data_arg->is_null() || !algorithm_arg->is_string()) fail(c.fn);
  // Recorded AWS behaviour: a number or an object is hashed as its text.
  std::string text;
  if (!data_arg->is_string()) append_java(text, data_arg.get());
  std::string_view data = data_arg->is_string() ? std::string_view(data_arg->get_string()) : std::string_view(text);
  if (java_length(data) > max_input_chars) fail(c.fn);
  std::string_view algorithm = algorithm_arg->get_string();
  auto digest = jsonata::hash::digest_for(algorithm);
  if (!digest) fail(c.fn);
  return json::string(digest(data));
}

}  // namespace stepsim::asl::intrinsic_detail
