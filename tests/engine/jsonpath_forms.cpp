// The JSONPath forms AWS's library reads, end to end through states: in
// Parameters, InputPath, intrinsic arguments and the context object.
#include <stepsim/engine/engine.hpp>

#include "engine/harness.hpp"

#include <catch2/catch.hpp>

using stepsim::engine::execution_status;
using stepsim::test::harness;
namespace json = boost::json;

TEST_CASE("The Jayway forms give Jayway's values through a state", "[engine]") {
  harness h;
  stepsim::engine::execution_options o;
  o.name = "run-7";
  auto r = h.run(R"js({"StartAt": "P", "States": {"P": {"Type": "Pass", "End": true, "Parameters": {
      "name.$": "$$.Execution.Name ",
      "first.$": "$.Snapshots.[0].State",
      "spaced.$": "$.abc.['def ghi']",
      "last.$": "$.l[(@.length-1)]",
      "receipts.$": "$.docs[?(@.Name==Receipt)].n",
      "pair.$": "$['a','b']",
      "files.$": "$.x[*]['bucket','key']",
      "count.$": "States.ArrayLength($.docs.[?(@.n > 0)])"}}}})js",
                 R"js({"Snapshots": [{"State": "ok"}], "abc": {"def ghi": 3}, "l": [1, 2, 9], "a": 1, "b": 2, "c": 3,
                     "docs": [{"Name": "Receipt", "n": 1}, {"Name": "Bill", "n": 2}],
                     "x": [{"bucket": "b1", "key": "k1", "size": 5}]})js",
                 o);
  REQUIRE(r.status == execution_status::succeeded);
  CHECK(*r.output == json::parse(R"js({"name": "run-7", "first": "ok", "spaced": 3, "last": 9, "receipts": [1],
                                     "pair": {"a": 1, "b": 2}, "files": [{"bucket": "b1", "key": "k1"}], "count": 2})js"));
}

TEST_CASE("A multi-name bracket on a definite value that is not an object fails as a missing path", "[engine]") {
  harness h;
  auto r = h.run(R"js({"StartAt": "P", "States": {"P": {"Type": "Pass", "End": true, "InputPath": "$.l['a','b']"}}})js",
                 R"js({"l": [1, 2]})js");
  REQUIRE(r.status == execution_status::failed);
  CHECK(r.error == "States.Runtime");
  CHECK(r.cause == "An error occurred while executing the state 'P' (entered at the event id #2). Invalid path "
                   "'$.l['a','b']' : No results for path: $['l']['a','b']");
}
