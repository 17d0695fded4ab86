// Test support: every one-place mutation of a JSON document, for tests that
// feed readers of user files wrong input.
#pragma once

#include <stepsim/asl/error.hpp>

#include <boost/json.hpp>

#include <cstddef>
#include <string>
#include <vector>

namespace stepsim::test {

/// Values that are wrong in most places: other types, empty ones and extremes.
inline std::vector<boost::json::value> const& wrong_values() {
  static std::vector<boost::json::value> const values{
      nullptr, true, 0, -1, 1.5, 1e308, -1e308, 4294967297LL, "", "x", boost::json::array{}, boost::json::object{},
      boost::json::array{1, "a"}, boost::json::object{{"lognormal", boost::json::array{-5, 1e308}}}};
  return values;
}

/// Calls `f(variant, pointer, what)` for every place of `root` (every member
/// and element, at any depth) and every mutation of it: each of
/// `wrong_values()` in its place, then its removal. `what` is the index of
/// the wrong value, or `wrong_values().size()` for the removal.
template <typename F>
void for_each_mutation(boost::json::value const& root, F f) {
  struct place {
    std::string pointer, parent, key;
    std::size_t index = 0;
    bool in_array = false;
  };
  std::vector<place> places;
  auto collect = [&](auto& self, boost::json::value const& v, std::string const& at) -> void {
    if (auto const* o = v.if_object())
      for (auto const& [k, child] : *o) {
        places.push_back({asl::pointer_append(at, k), at, std::string(k), 0, false});
        self(self, child, std::string(places.back().pointer));
      }
    if (auto const* a = v.if_array())
      for (std::size_t i = 0; i < a->size(); ++i) {
        places.push_back({asl::pointer_append(at, i), at, {}, i, true});
        self(self, (*a)[i], std::string(places.back().pointer));
      }
  };
  collect(collect, root, "");
  auto const& values = wrong_values();
  for (auto const& pl : places)
    for (std::size_t what = 0; what <= values.size(); ++what) {
      auto variant = root;
      boost::system::error_code ec;
      auto* parent = variant.find_pointer(pl.parent, ec);
      if (what == values.size()) {
        if (pl.in_array) parent->as_array().erase(parent->as_array().begin() + static_cast<std::ptrdiff_t>(pl.index));
        else parent->as_object().erase(pl.key);
      } else {
        *variant.find_pointer(pl.pointer, ec) = values[what];
      }
      f(variant, pl.pointer, what);
    }
}

}  // namespace stepsim::test
