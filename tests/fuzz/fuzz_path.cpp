// libFuzzer target: JSONPath text -> asl::path::parse; on success evaluate it
// (find / select / canonical / assign) against a small fixed document.
#include <stepsim/asl/path.hpp>

#include <boost/json/parse.hpp>

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace {

boost::json::value const& document() {
  static boost::json::value const doc = boost::json::parse(R"({
    "a": {"b": [10, 20, 30, 40, 50], "c": "x", "d": {"e": {"f": [1, [2, [3]]]}}},
    "int-literal": 7, "a_b": true, "s": "str", "n": null, "f": 1.5,
    "items": [
      {"id": 1, "price": 5, "tag": "cheap", "sub": {"k": 1}},
      {"id": 2, "price": 15, "tag": "dear"},
      {"id": 3, "price": 10.5, "tag": "mid", "sub": null},
      {"id": 4, "tag": "none", "list": [1, 2, 3]}
    ],
    "limit": 10, "empty": {}, "arr": []
  })");
  return doc;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(std::uint8_t const* data, std::size_t size) {
  std::string_view text(reinterpret_cast<char const*>(data), size);
  std::string error;
  auto p = stepsim::asl::path::parse(text, error);
  if (!p) {
    if (error.empty()) __builtin_trap();  // a failure always says why
    return 0;
  }
  auto const& doc = document();
  (void)p->canonical();
  auto const* found = p->find(doc);
  auto selected = p->select(doc);
  // Whatever find points at, select gives too.
  if (found && (!selected || *found != *selected)) __builtin_trap();
  if (p->is_reference()) {
    // A reference path (names and single indexes) selects what find points at, or nothing.
    if ((found != nullptr) != selected.has_value()) __builtin_trap();
    if (!p->is_context()) {
      boost::json::value copy = doc;
      std::string assign_error;
      (void)p->assign(copy, boost::json::value("new"), assign_error);
      boost::json::value scalar = 42;
      (void)p->assign(scalar, boost::json::value(nullptr), assign_error);
    }
  } else if (!p->is_definite() && found != nullptr) {
    __builtin_trap();  // indefinite: find is null (select gives an array, or the object a multi-name bracket builds)
  }
  return 0;
}
