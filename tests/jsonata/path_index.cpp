// A path step `name[k]` with a number literal k read straight from the input
// (the evaluator's in-place prefix of a path): the same items as the general
// filter rules give. Expected values are jsonata-js's answers on the same data.
#include <stepsim/jsonata/expression.hpp>

#include <boost/json.hpp>
#include <catch2/catch.hpp>

TEST_CASE("a path step name with a constant index picks what the reference picks", "[jsonata]") {
  namespace json = boost::json;
  auto const data = json::parse(R"({"a": {"b": [{"c": 1, "d": [5, 6]}, {"c": 2}, [{"c": 3}], 7, null],
                                       "s": {"c": 9}, "e": [], "n": [[1, 2], [3]]}})");
  struct example {
    char const* expr;
    char const* result;  // null: undefined
  };
  example const examples[] = {
      {"a.b[0].c", R"(1)"},
      {"a.b[1].c", R"(2)"},
      {"a.b[-1]", R"(null)"},
      {"a.b[-2]", R"(7)"},
      {"a.b[2].c", R"(3)"},
      {"a.b[2]", R"([{"c":3}])"},
      {"a.b[3]", R"(7)"},
      {"a.b[4]", R"(null)"},
      {"a.b[5]", nullptr},
      {"a.b[-6]", nullptr},
      {"a.b[0.7].c", R"(1)"},
      {"a.s[0].c", R"(9)"},
      {"a.s[-1].c", R"(9)"},
      {"a.s[1].c", nullptr},
      {"a.s[0]", R"({"c":9})"},
      {"a.e[0]", nullptr},
      {"a.n[0]", R"([1,2])"},
      {"a.n[1][0]", R"(3)"},
      {"a.n[0].x", nullptr},
      {"a.b[0].d[1]", R"(6)"},
      {"a.b[0].d[-1]", R"(6)"},
      {"a.b[0].d", R"([5,6])"},
      {"a.x[0]", nullptr},
      {"a.b[1].c[0]", R"(2)"},
      {"a.b[0].c[0]", R"(1)"},
      {"a.b[0].c[-1]", R"(1)"},
      {"a.b[0].c[1]", nullptr},
  };
  for (auto const& e : examples) {
    INFO(e.expr);
    auto r = stepsim::jsonata::expression::compile(e.expr).evaluate(&data);
    if (!e.result) {
      CHECK_FALSE(r);
    } else {
      REQUIRE(r);
      CHECK(json::serialize(*r) == e.result);
    }
  }
}
