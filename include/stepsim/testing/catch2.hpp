// stepsim/testing/catch2.hpp: Catch2 matchers and printers for execution
// results, header-only. Include it after Catch2 (2.13; the matcher API used
// is the one Catch2 v3 also has):
//
//     CHECK_THAT(r, stepsim::testing::succeeded());
//     CHECK_THAT(r, stepsim::testing::failed_with("Order.Declined"));
//     CHECK_THAT(r, stepsim::testing::visited({"Charge", "Ship"}) && !stepsim::testing::has_event("TaskFailed"));
//
// A failing check prints the result's status, error, cause, output and path
// instead of `{?}`.
#pragma once

#include <stepsim/asl/json_text.hpp>
#include <stepsim/engine/execution.hpp>
#include <stepsim/testing/test_state.hpp>

#if __has_include(<catch2/catch.hpp>)
#include <catch2/catch.hpp>
#else
#include <catch2/catch_tostring.hpp>
#include <catch2/matchers/catch_matchers.hpp>
#endif

#include <boost/json.hpp>

#include <initializer_list>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace stepsim::testing {

#if defined(CATCH_VERSION_MAJOR) && CATCH_VERSION_MAJOR >= 3
template <typename T>
using matcher_base = Catch::Matchers::MatcherBase<T>;
#else
template <typename T>
using matcher_base = Catch::MatcherBase<T>;
#endif

namespace detail {

/// True when `actual` contains `expected`: objects member by member (extra
/// members allowed, at any depth), arrays element by element (same length),
/// anything else equal.
inline bool contains(boost::json::value const& actual, boost::json::value const& expected) {
  if (auto const* e = expected.if_object()) {
    auto const* a = actual.if_object();
    if (!a) return false;
    for (auto const& kv : *e) {
      auto const* member = a->if_contains(kv.key());
      if (!member || !contains(*member, kv.value())) return false;
    }
    return true;
  }
  if (auto const* e = expected.if_array()) {
    auto const* a = actual.if_array();
    if (!a || a->size() != e->size()) return false;
    for (std::size_t i = 0; i < e->size(); ++i)
      if (!contains((*a)[i], (*e)[i])) return false;
    return true;
  }
  return actual == expected;
}

inline std::string quoted(std::string const& s) { return boost::json::serialize(boost::json::value(s)); }

/// A matcher from a predicate and a description.
template <typename T, typename Pred>
class predicate_matcher final : public matcher_base<T> {
 public:
  predicate_matcher(Pred p, std::string description) : pred_(std::move(p)), description_(std::move(description)) {}
  bool match(T const& v) const override { return pred_(v); }
  std::string describe() const override { return description_; }

 private:
  Pred pred_;
  std::string description_;
};

template <typename Pred>
predicate_matcher<engine::execution_result, Pred> on_result(Pred p, std::string description) {
  return {std::move(p), std::move(description)};
}

}  // namespace detail

/// The execution SUCCEEDED.
inline auto succeeded() {
  return detail::on_result([](engine::execution_result const& r) { return r.succeeded(); }, "succeeded");
}

/// The execution FAILED with error `error`.
inline auto failed_with(std::string error) {
  auto d = "failed with error " + detail::quoted(error);
  return detail::on_result(
      [error = std::move(error)](engine::execution_result const& r) {
        return r.status == engine::execution_status::failed && r.error == error;
      },
      std::move(d));
}

/// The execution FAILED with error `error` and cause `cause`.
inline auto failed_with(std::string error, std::string cause) {
  auto d = "failed with error " + detail::quoted(error) + " and cause " + detail::quoted(cause);
  return detail::on_result(
      [error = std::move(error), cause = std::move(cause)](engine::execution_result const& r) {
        return r.status == engine::execution_status::failed && r.error == error && r.cause == cause;
      },
      std::move(d));
}

/// The execution TIMED_OUT.
inline auto timed_out() {
  return detail::on_result(
      [](engine::execution_result const& r) { return r.status == engine::execution_status::timed_out; }, "timed out");
}

/// The execution succeeded with exactly `output`.
inline auto has_output(boost::json::value output) {
  auto d = "has output " + asl::to_text(output);
  return detail::on_result([output = std::move(output)](engine::execution_result const& r) { return r.output == output; },
                           std::move(d));
}

/// The execution succeeded with an output containing `part` (objects may
/// have more members, at any depth; arrays match element by element).
inline auto output_contains(boost::json::value part) {
  auto d = "has an output containing " + asl::to_text(part);
  return detail::on_result(
      [part = std::move(part)](engine::execution_result const& r) { return r.output && detail::contains(*r.output, part); },
      std::move(d));
}

/// The top-level states entered were exactly `path`, in order.
inline auto visited(std::vector<std::string> path) {
  std::string d = "visited exactly [";
  for (std::size_t i = 0; i < path.size(); ++i) d += (i ? ", " : "") + detail::quoted(path[i]);
  d += "]";
  return detail::on_result([path = std::move(path)](engine::execution_result const& r) { return r.path == path; },
                           std::move(d));
}

/// The history has an event of type `type` (e.g. "TaskFailed"); the
/// execution must record history (workflows do by default).
inline auto has_event(std::string type) {
  auto d = "has a " + detail::quoted(type) + " event";
  return detail::on_result(
      [type = std::move(type)](engine::execution_result const& r) {
        for (auto const& e : r.events)
          if (e.type == type) return true;
        return false;
      },
      std::move(d));
}

}  // namespace stepsim::testing

namespace Catch {

template <>
struct StringMaker<stepsim::engine::execution_status> {
  static std::string convert(stepsim::engine::execution_status s) { return stepsim::engine::to_string(s); }
};

template <>
struct StringMaker<stepsim::engine::execution_result> {
  static std::string convert(stepsim::engine::execution_result const& r) {
    std::string out = std::string("{status: ") + stepsim::engine::to_string(r.status);
    if (r.error) out += ", error: " + stepsim::testing::detail::quoted(*r.error);
    if (r.cause) out += ", cause: " + stepsim::testing::detail::quoted(*r.cause);
    if (r.output) out += ", output: " + stepsim::asl::to_text(*r.output);
    out += ", path: [";
    for (std::size_t i = 0; i < r.path.size(); ++i) out += (i ? ", " : "") + r.path[i];
    return out + "]}";
  }
};

template <>
struct StringMaker<stepsim::testing::test_state_result> {
  static std::string convert(stepsim::testing::test_state_result const& r) {
    return stepsim::asl::to_text(boost::json::value(r.to_json()));
  }
};

}  // namespace Catch
