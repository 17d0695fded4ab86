#include <stepsim/asl/path.hpp>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <catch2/catch.hpp>

#include <stdexcept>
#include <string>

using stepsim::asl::path;
namespace json = boost::json;

namespace {

json::value const doc = json::parse(R"({
  "a": {"b": [10, 20, 30, 40, 50], "c": "x"},
  "int-literal": 7,
  "a_b": true,
  "caf\u00e9": "unicode",
  "space key": 1,
  "Test\\\"\"Name\"": "escaped",
  "items": [
    {"id": 1, "price": 5, "tag": "cheap", "sub": {"k": 1}},
    {"id": 2, "price": 15, "tag": "dear"},
    {"id": 3, "price": 10.5, "tag": "mid", "sub": null},
    {"id": 4, "tag": "none"}
  ],
  "limit": 10
})");

// Serialized selection, "<missing>" when a definite path selects nothing.
std::string sel(std::string_view text, json::value const& root = doc) {
  auto v = path::parse(text).select(root);
  return v ? json::serialize(*v) : "<missing>";
}

std::string parse_error(std::string_view text) {
  std::string error;
  auto p = path::parse(text, error);
  return p ? "<parsed>" : error;
}

}  // namespace

TEST_CASE("Definite paths select names and indexes") {
  CHECK(sel("$") == json::serialize(doc));
  CHECK(sel("$.a.c") == R"("x")");
  CHECK(sel("$['a']['c']") == R"("x")");
  CHECK(sel(R"($["a"]["b"][1])") == "20");
  CHECK(sel("$.a.b[0]") == "10");
  CHECK(sel("$.a.b[4]") == "50");
}

TEST_CASE("A negative index selects nothing, as on AWS, and the script index is the last element") {
  CHECK(sel("$.a.b[-1]") == "<missing>");
  CHECK(sel("$.a.b[-5]") == "<missing>");
  CHECK(sel("$.a.b[-6]") == "<missing>");
  CHECK(sel("$.a.b[(@.length-1)]") == "50");
  CHECK(sel("$.a.b[0,-1]") == "[10]");
}

TEST_CASE("A definite path that matches nothing is missing, not an error") {
  CHECK(sel("$.nope") == "<missing>");
  CHECK(sel("$.a.c.d") == "<missing>");      // name step on a string
  CHECK(sel("$.a.b[5]") == "<missing>");     // index out of range
  CHECK(sel("$.a[0]") == "<missing>");       // index step on an object
  CHECK(sel("$.a.b.length") == "<missing>"); // name step on an array
}

TEST_CASE("find points into the input for definite paths and is null for indefinite ones") {
  auto const* v = path::parse("$.a.b[2]").find(doc);
  REQUIRE(v != nullptr);
  CHECK(v == &doc.at("a").at("b").at(2));
  CHECK(path::parse("$").find(doc) == &doc);
  CHECK(path::parse("$.missing").find(doc) == nullptr);
  CHECK(path::parse("$.a.b[*]").find(doc) == nullptr);
}

TEST_CASE("Dot names may hold hyphens, underscores and non-ASCII characters") {
  CHECK(sel("$.int-literal") == "7");
  CHECK(sel("$.a_b") == "true");
  CHECK(sel("$.caf\u00e9") == R"("unicode")");
  CHECK(sel("$['space key']") == "1");
}

TEST_CASE("A quoted name keeps its backslashes, as in the key AWS matched in the corpus") {
  CHECK(sel(R"($['Test\""Name"'])") == R"("escaped")");
  auto p = path::parse(R"($['it\'s'])");
  CHECK(p.select(json::parse(R"({"it\\'s": 1})")) == json::value(1));
}

TEST_CASE("Wildcards select every member or element in document order") {
  CHECK(sel("$.a.b[*]") == "[10,20,30,40,50]");
  CHECK(sel("$.a.*") == R"([[10,20,30,40,50],"x"])");
  CHECK(sel("$.items[*].id") == "[1,2,3,4]");
  CHECK(sel("$.items[*].price") == "[5,15,1.05E1]");
  CHECK(sel("$.limit[*]") == "[]");
}

TEST_CASE("Slices follow start:end:step with negative bounds and steps") {
  CHECK(sel("$.a.b[1:3]") == "[20,30]");
  CHECK(sel("$.a.b[:2]") == "[10,20]");
  CHECK(sel("$.a.b[3:]") == "[40,50]");
  CHECK(sel("$.a.b[-2:]") == "[40,50]");
  CHECK(sel("$.a.b[:-3]") == "[10,20]");
  CHECK(sel("$.a.b[::2]") == "[10,30,50]");
  CHECK(sel("$.a.b[1::2]") == "[20,40]");
  CHECK(sel("$.a.b[::-1]") == "[50,40,30,20,10]");
  CHECK(sel("$.a.b[3:0:-2]") == "[40,20]");
  CHECK(sel("$.a.b[1:99]") == "[20,30,40,50]");
  CHECK(sel("$.a.b[4:2]") == "[]");
}

TEST_CASE("Indefinite paths over missing input give an empty list, as AWS recorded for a slice of a missing array") {
  auto empty = json::object{};
  CHECK(sel("$.items[1:]", empty) == "[]");
  CHECK(sel("$.item.items[1:5].itemValue", empty) == "[]");
  CHECK(sel("$.items[*].itemValue", empty) == "[]");
}

TEST_CASE("Unions select each listed index that exists, in the listed order") {
  CHECK(sel("$.a.b[0,2]") == "[10,30]");
  CHECK(sel("$.a.b[4,0,-1,9]") == "[50,10]");  // a negative index selects nothing, as on AWS
}

TEST_CASE("A final multi-name bracket builds one object of the present keys, as Jayway does") {
  CHECK(sel("$.a['c','zz','b']") == R"({"c":"x","b":[10,20,30,40,50]})");
  CHECK(sel(R"($.a["c", 'c'])") == R"({"c":"x"})");
  CHECK(sel("$['a_b','limit']") == R"({"a_b":true,"limit":10})");
  CHECK(sel("$.a['y','z']") == "{}");
  CHECK(sel("$.a.b['c','d']") == "<missing>");  // the prefix reaches an array, not an object
  CHECK(sel("$.nope['c','d']") == "<missing>");
}

TEST_CASE("A multi-name bracket after a wildcard gives one object per object reached") {
  auto v = json::parse(R"({"x": [{"bucket": "b1", "key": "k1", "size": 1}, {"bucket": "b2"}, 7]})");
  CHECK(sel("$.x[*]['bucket','key']", v) == R"([{"bucket":"b1","key":"k1"},{"bucket":"b2"}])");
  CHECK(sel("$.y[*]['bucket','key']", v) == "[]");
}

TEST_CASE("A multi-name bracket after .. takes only the objects holding every name") {
  auto v = json::parse(R"({"a": 1, "b": 2, "x": {"a": 3, "b": 4, "c": 5}, "y": {"a": 6}})");
  CHECK(sel("$..['a','b']", v) == R"([{"a":1,"b":2},{"a":3,"b":4}])");
}

TEST_CASE("A multi-name bracket before further steps visits each name in turn") {
  auto v = json::parse(R"({"p": {"id": 1}, "q": {"id": 2}, "r": {}})");
  CHECK(sel("$['p','r','q'].id", v) == "[1,2]");
}

TEST_CASE("Recursive descent finds a name at every depth, parents first") {
  auto v = json::parse(R"({"name": 1, "x": {"name": 2, "y": [{"name": 3}, {"z": {"name": 4}}]}, "w": {"name": 5}})");
  CHECK(sel("$..name", v) == "[1,2,3,4,5]");
  CHECK(sel("$.x..name", v) == "[2,3,4]");
  CHECK(sel("$..y[0]", v) == R"([{"name":3}])");
  CHECK(sel("$..[0]", v) == R"([{"name":3}])");
  CHECK(sel("$..id") == "[1,2,3,4]");
  CHECK(sel("$.w..*", v) == "[5]");
}

TEST_CASE("Filters compare numbers numerically and strings lexicographically") {
  CHECK(sel("$.items[?(@.price > 5)].id") == "[2,3]");
  CHECK(sel("$.items[?(@.price >= 5)].id") == "[1,2,3]");
  CHECK(sel("$.items[?(@.price < 10.5)].id") == "[1]");
  CHECK(sel("$.items[?(@.price <= 10.5)].id") == "[1,3]");
  CHECK(sel("$.items[?(@.price == 15.0)].id") == "[2]");
  CHECK(sel("$.items[?(@.price != 15)].id") == "[1,3,4]");
  CHECK(sel("$.items[?(@.tag == 'mid')].id") == "[3]");
  CHECK(sel(R"($.items[?(@.tag == "mid")].id)") == "[3]");
  CHECK(sel("$.items[?(@.tag > 'd')].id") == "[2,3,4]");
  CHECK(sel("$.items[?(@.id > -1e1)].id") == "[1,2,3,4]");
}

TEST_CASE("Filter comparisons of mismatched types are false and != is their negation") {
  CHECK(sel("$.items[?(@.price == '5')].id") == "[]");
  CHECK(sel("$.items[?(@.tag < 1)].id") == "[]");
  CHECK(sel("$.items[?(@.price != '5')].id") == "[1,2,3,4]");
  CHECK(sel("$.items[?(@.sub == null)].id") == "[3]");
  CHECK(sel("$.items[?(@.sub != null)].id") == "[1,2,4]");
}

TEST_CASE("Filters combine with && binding tighter than ||, and parentheses") {
  CHECK(sel("$.items[?(@.price > 1 && @.tag == 'dear')].id") == "[2]");
  CHECK(sel("$.items[?(@.id == 4 || @.price < 6)].id") == "[1,4]");
  CHECK(sel("$.items[?(@.id == 1 || @.id == 2 && @.price > 100)].id") == "[1]");
  CHECK(sel("$.items[?((@.id == 1 || @.id == 2) && @.price > 10)].id") == "[2]");
  CHECK(sel("$.items[?(@.id == 1 || @.id == 2 || @.id == 3 && @.tag == 'mid')].id") == "[1,2,3]");
  CHECK(sel("$.items[?(!(@.id > 1))].id") == "[1]");
}

TEST_CASE("A bare filter path tests existence, whatever the value") {
  CHECK(sel("$.items[?(@.sub)].id") == "[1,3]");
  CHECK(sel("$.items[?(@.sub.k)].id") == "[1]");
  CHECK(sel("$.items[?(!@.price)].id") == "[4]");
}

TEST_CASE("Filters may compare with the document root and with @ itself") {
  CHECK(sel("$.items[?(@.price >= $.limit)].id") == "[2,3]");
  CHECK(sel("$.a.b[?(@ > 25)]") == "[30,40,50]");
}

TEST_CASE("A filter on an object tests the object itself") {
  CHECK(sel("$.a[?(@.c == 'x')].c") == R"(["x"])");
  CHECK(sel("$.a[?(@.c == 'y')]") == "[]");
}

TEST_CASE("An empty filter result is an empty list, not a missing value") {
  auto p = path::parse("$.items[?(@.price > 1000)]");
  auto v = p.select(doc);
  REQUIRE(v.has_value());
  CHECK(*v == json::array{});
}

TEST_CASE("Definiteness: only names and single indexes are definite") {
  for (auto text : {"$", "$$", "$.a", "$['a'][0]", "$.a.b[-1]", "$$.Execution.Id"})
    CHECK(path::parse(text).is_definite());
  for (auto text : {"$[*]", "$.*", "$[1:2]", "$[0,1]", "$['a','b']", "$..a", "$[?(@.a)]"})
    CHECK_FALSE(path::parse(text).is_definite());
}

TEST_CASE("A reference path has names and single indexes only") {
  for (auto text : {"$", "$.a", "$['a'][0]", "$.a.b[-1]", "$.[0]"}) CHECK(path::parse(text).is_reference());
  for (auto text : {"$.a[(@.length-1)]", "$['a','b']", "$[*]", "$..a"}) CHECK_FALSE(path::parse(text).is_reference());
}

TEST_CASE("A dot before a bracket is read as the bracket alone, as Jayway reads it") {
  auto v = json::parse(R"({"Snapshots": [{"State": "ok"}], "abc": {"def ghi": 3}, "l": [1, 2]})");
  CHECK(sel("$.[0]", json::parse("[5, 6]")) == "5");
  CHECK(sel("$.Snapshots.[0].State", v) == R"("ok")");
  CHECK(sel("$.abc.['def ghi']", v) == "3");
  CHECK(sel("$.['l'].[1]", v) == "2");
  CHECK(sel("$.[*]", json::parse("[5, 6]")) == "[5,6]");
  CHECK(sel("$.[?(@.OU > 0)]", json::parse(R"([{"OU": 0}, {"OU": 2}])")) == R"([{"OU":2}])");
  CHECK(sel("$..[0]", v) == R"([{"State":"ok"},1])");
  CHECK(parse_error("$...['b']") == "unexpected character '.' at position 4 in '$...['b']'");
  CHECK(path::parse("$.Snapshots.[0].State").canonical() == "$['Snapshots'][0]['State']");
  CHECK(path::parse("$.Snapshots.[0].State").is_definite());
}

TEST_CASE("Trailing blanks end a path, a blank inside one is refused") {
  auto ctx = json::parse(R"({"Execution": {"Name": "run-1"}})");
  auto p = path::parse("$$.Execution.Name ");
  CHECK(p.is_context());
  CHECK(p.select(ctx) == json::value("run-1"));
  CHECK(sel("$.limit \t\n") == "10");
  CHECK(sel("$ ") == json::serialize(doc));
  CHECK(parse_error("$.a b") ==
        "a blank inside a path (a name with blanks needs brackets: ['my name']) at position 4 in '$.a b'");
}

TEST_CASE("The script index (@.length-n) in brackets selects the element n places before the end") {
  CHECK(sel("$.a.b[(@.length-1)]") == "50");
  CHECK(sel("$.a.b[( @.length - 5 )]") == "10");
  CHECK(sel("$.a.b[(@.size()-2)]") == "40");
  CHECK(sel("$.a.b[(@.length-6)]") == "<missing>");
  CHECK(sel("$.a.b[(@.length-0)]") == "<missing>");
  CHECK(sel("$.a[(@.length-1)]") == "<missing>");  // not an array
  CHECK(sel("$.items[(@.length-1)].tag") == R"("none")");
  CHECK(sel("$.items[*].sub[(@.length-1)]") == "[]");
  CHECK(path::parse("$.a.b[(@.length-1)]").is_definite());
  CHECK(path::parse("$.a.b[(@.length-1)]").find(doc) == &doc.at("a").at("b").at(4));
  CHECK(path::parse("$.a.b[(@.length-2)]").canonical() == "$['a']['b'][(@.length-2)]");
  CHECK(parse_error("$[(@.length)]") == "unexpected character ')' at position 12 in '$[(@.length)]'");
  CHECK(parse_error("$[(@.length+1)]") == "unexpected character '+' at position 12 in '$[(@.length+1)]'");
  CHECK(parse_error("$[(@.count-1)]") ==
        "a script index must read (@.length-n) or (@.size()-n) at position 4 in '$[(@.count-1)]'");
  CHECK(parse_error("$[(@.length-1]") == "unexpected character ']' at position 14 in '$[(@.length-1]'");
}

TEST_CASE("An unquoted word in a filter is a string, as in the Jayway release AWS runs") {
  auto v = json::parse(R"([{"Name": "Receipt", "n": 1}, {"Name": "Invoice", "n": 2}, {"Name": 5, "n": 3}])");
  CHECK(sel("$[?(@.Name==Receipt)].n", v) == "[1]");
  CHECK(sel("$[?(@.Name != Receipt)].n", v) == "[2,3]");
  CHECK(sel("$[?(Invoice == @.Name && @.n > 1)].n", v) == "[2]");
  CHECK(sel("$[?(@.Name > Q)].n", v) == "[1]");
  CHECK(sel("$[?(@.Name==/docs/x.pdf)].n", json::parse(R"([{"Name": "/docs/x.pdf", "n": 9}])")) == "[9]");
  CHECK(sel("$[?(@.Name == true)].n", json::parse(R"([{"Name": true, "n": 4}, {"Name": "true", "n": 5}])")) == "[4]");
  CHECK(sel("$[?(@.Name == trueish)].n", json::parse(R"([{"Name": "trueish", "n": 6}])")) == "[6]");
  CHECK(parse_error("$[?(Receipt)]") == "unexpected character ')' at position 12 in '$[?(Receipt)]'");
}

TEST_CASE("Context, root and text accessors report what was parsed") {
  auto ctx = path::parse("$$.Execution.Id");
  CHECK(ctx.is_context());
  CHECK_FALSE(ctx.is_root());
  CHECK(ctx.text() == "$$.Execution.Id");
  CHECK(path::parse("$$").is_root());
  CHECK(path::parse("$$").is_context());
  CHECK(path::parse("$").is_root());
  CHECK_FALSE(path::parse("$").is_context());
  CHECK_FALSE(path::parse("$.a").is_root());
}

TEST_CASE("canonical prints the Jayway bracket form AWS quotes in causes") {
  CHECK(path::parse("$").canonical() == "$");
  CHECK(path::parse("$.x").canonical() == "$['x']");
  CHECK(path::parse("$.NoSuchInputPath").canonical() == "$['NoSuchInputPath']");
  CHECK(path::parse("$.a.b[0]").canonical() == "$['a']['b'][0]");
  CHECK(path::parse("$$.Execution.Id").canonical() == "$['Execution']['Id']");
  CHECK(path::parse("$.a[-1]").canonical() == "$['a'][-1]");
  CHECK(path::parse("$.a.*").canonical() == "$['a'][*]");
  CHECK(path::parse("$[*]").canonical() == "$[*]");
  CHECK(path::parse("$.a[1:3]").canonical() == "$['a'][1:3]");
  CHECK(path::parse("$.a[:2]").canonical() == "$['a'][:2]");
  CHECK(path::parse("$.a[1:]").canonical() == "$['a'][1:]");
  CHECK(path::parse("$.a[::2]").canonical() == "$['a'][::2]");
  CHECK(path::parse("$.a[0, 2]").canonical() == "$['a'][0,2]");
  CHECK(path::parse(R"($["a","b"])").canonical() == "$['a','b']");
  CHECK(path::parse("$..name").canonical() == "$..['name']");
  CHECK(path::parse("$.a[?(@.x > 1)].b").canonical() == "$['a'][?]['b']");
}

TEST_CASE("assign at $ replaces the whole input") {
  json::value root = json::parse(R"({"a": 1})");
  std::string error;
  REQUIRE(path::parse("$").assign(root, "result", error));
  CHECK(root == json::value("result"));
}

TEST_CASE("assign overwrites an existing member and keeps the rest") {
  json::value root = json::parse(R"({"master": {"detail": [1, 2, 3]}, "k": 0})");
  std::string error;
  REQUIRE(path::parse("$.master.detail").assign(root, 6, error));
  CHECK(root == json::parse(R"({"master": {"detail": 6}, "k": 0})"));
}

TEST_CASE("assign creates missing intermediate objects, as the States Language spec shows") {
  json::value root = json::parse(R"({"master": {"detail": [1, 2, 3]}})");
  std::string error;
  REQUIRE(path::parse("$.master.result.sum").assign(root, 6, error));
  CHECK(root == json::parse(R"({"master": {"detail": [1, 2, 3], "result": {"sum": 6}}})"));
  json::value empty = json::object{};
  REQUIRE(path::parse("$.b.greeting").assign(empty, "Hi!", error));
  CHECK(empty == json::parse(R"({"b": {"greeting": "Hi!"}})"));
}

TEST_CASE("assign replaces an existing array element, and a negative index reaches none") {
  json::value root = json::parse(R"({"a": [1, {"x": 2}, 3]})");
  std::string error;
  REQUIRE(path::parse("$.a[1].y").assign(root, true, error));
  REQUIRE(path::parse("$.a[2]").assign(root, "last", error));
  CHECK(root == json::parse(R"({"a": [1, {"x": 2, "y": true}, "last"]})"));
  CHECK_FALSE(path::parse("$.a[-1]").assign(root, "x", error));
  CHECK(error == R"(Unable to apply ReferencePath $.a[-1] to input {"a":[1,{"x":2,"y":true},"last"]})");
  CHECK(root == json::parse(R"({"a": [1, {"x": 2, "y": true}, "last"]})"));
}

TEST_CASE("assign through a non-object fails with AWS's cause and leaves the input unchanged") {
  std::string error;
  json::value text = "foo";
  CHECK_FALSE(path::parse("$.x").assign(text, 1, error));
  CHECK(error == R"(Unable to apply ReferencePath $.x to input "foo")");
  CHECK(text == json::value("foo"));

  json::value root = json::parse(R"({"a": "s"})");
  CHECK_FALSE(path::parse("$.a.b").assign(root, 1, error));
  CHECK(error == R"(Unable to apply ReferencePath $.a.b to input {"a":"s"})");

  json::value nested = json::parse(R"({"a": {"n": null}})");
  CHECK_FALSE(path::parse("$.a.n.b").assign(nested, 1, error));
  CHECK(error == R"(Unable to apply ReferencePath $.a.n.b to input {"a":{"n":null}})");
}

TEST_CASE("assign cannot index past an array's end or into a member it would create") {
  std::string error;
  json::value root = json::parse(R"({"a": [1]})");
  CHECK_FALSE(path::parse("$.a[1]").assign(root, 2, error));
  CHECK(error == R"(Unable to apply ReferencePath $.a[1] to input {"a":[1]})");
  CHECK_FALSE(path::parse("$.new.list[0]").assign(root, 2, error));
  CHECK(root == json::parse(R"({"a": [1]})"));  // nothing half-created
  CHECK_FALSE(path::parse("$.a.x").assign(root, 2, error));
}

TEST_CASE("Parse errors name the character and its 1-based position") {
  CHECK(parse_error("$.a]") == "unexpected character ']' at position 4 in '$.a]'");
  CHECK(parse_error("a.b") == "unexpected character 'a' at position 1 in 'a.b'");
  CHECK(parse_error("") == "unexpected end of path at position 1 in ''");
  CHECK(parse_error("$.") == "unexpected end of path at position 3 in '$.'");
  CHECK(parse_error("$.a.") == "unexpected end of path at position 5 in '$.a.'");
  CHECK(parse_error("$-x") == "unexpected character '-' at position 2 in '$-x'");
  CHECK(parse_error("$...a") == "unexpected character '.' at position 4 in '$...a'");
  CHECK(parse_error("$.length()") == "unexpected character '(' at position 9 in '$.length()'");
  CHECK(parse_error("$.a\u00e9]") == "unexpected character ']' at position 6 in '$.a\u00e9]'");
  CHECK(parse_error("$.a[\u00e9]") == "unexpected character '\u00e9' at position 5 in '$.a[\u00e9]'");
}

TEST_CASE("Unterminated brackets and strings are reported where they open") {
  CHECK(parse_error("$.a[0") == "missing ']' for the '[' at position 4 in '$.a[0'");
  CHECK(parse_error("$[") == "missing ']' for the '[' at position 2 in '$['");
  CHECK(parse_error("$['a'") == "missing ']' for the '[' at position 2 in '$['a''");
  CHECK(parse_error("$['a") == "unterminated string at position 3 in '$['a'");
  CHECK(parse_error("$[?(@.a == 'x)]") == "unterminated string at position 12 in '$[?(@.a == 'x)]'");
  CHECK(parse_error("$[?(@.a > 1]") == "unexpected character ']' at position 12 in '$[?(@.a > 1]'");
}

TEST_CASE("Malformed brackets, numbers and filters are rejected") {
  CHECK(parse_error("$[]") == "unexpected character ']' at position 3 in '$[]'");
  CHECK(parse_error("$[0 1]") == "unexpected character '1' at position 5 in '$[0 1]'");
  CHECK(parse_error("$[0,]") == "unexpected character ']' at position 5 in '$[0,]'");
  CHECK(parse_error("$['a',]") == "unexpected character ']' at position 7 in '$['a',]'");
  CHECK(parse_error("$[-]") == "unexpected character ']' at position 4 in '$[-]'");
  CHECK(parse_error("$[::0]") == "slice step 0 at position 5 in '$[::0]'");
  CHECK(parse_error("$[99999999999999999999]") ==
        "integer out of range at position 3 in '$[99999999999999999999]'");
  CHECK(parse_error("$[?(@.a = 1)]") == "unexpected character '=' at position 9 in '$[?(@.a = 1)]'");
  CHECK(parse_error("$[?(1)]") == "unexpected character ')' at position 6 in '$[?(1)]'");
  CHECK(parse_error("$[?(@.a[*] > 1)]") ==
        "filter operands must be definite paths at position 5 in '$[?(@.a[*] > 1)]'");
  CHECK(parse_error("$[?@.a]") == "unexpected character '@' at position 4 in '$[?@.a]'");
  CHECK(parse_error("$[0]x") == "unexpected character 'x' at position 5 in '$[0]x'");
}

TEST_CASE("Filter nesting is bounded so parsing cannot exhaust the stack") {
  std::string deep = "$[?(" + std::string(100, '(') + "@.a" + std::string(100, ')') + ")]";
  CHECK(parse_error(deep).starts_with("filter nested too deeply at position "));
  std::string ok = "$[?(" + std::string(30, '(') + "@.a" + std::string(30, ')') + ")]";
  CHECK(parse_error(ok) == "<parsed>");
}

TEST_CASE("The throwing parse reports the same message") {
  CHECK_THROWS_WITH(path::parse("$.a]"), "unexpected character ']' at position 4 in '$.a]'");
  CHECK_THROWS_AS(path::parse("x"), std::invalid_argument);
}

TEST_CASE("Long paths and deep documents evaluate without recursion") {
  constexpr int depth = 100000;
  json::value root = 42;
  for (int i = 0; i < depth; ++i) {
    json::object o;
    o["n"] = std::move(root);
    o["v"] = i;
    root = std::move(o);
  }
  std::string text = "$";
  for (int i = 0; i < depth; ++i) text += ".n";
  auto p = path::parse(text);
  REQUIRE(p.find(root) != nullptr);
  CHECK(*p.find(root) == json::value(42));
  CHECK(path::parse(text + ".n").find(root) == nullptr);
  // Scalars only: copying a 100000-deep subtree would recurse inside Boost.JSON.
  auto all = path::parse("$..v").select(root);
  REQUIRE(all.has_value());
  CHECK(all->as_array().size() == depth);
  CHECK(all->as_array().front() == json::value(depth - 1));
  CHECK(all->as_array().back() == json::value(0));
  std::string chain = "$[?(@.n";
  for (int i = 0; i < 5000; ++i) chain += " && @.v";
  CHECK(path::parse(chain + ")].v").select(root) == json::parse("[99999]"));
}

TEST_CASE("Copies share the compiled path and select the same values") {
  auto p = path::parse("$.a.b[1]");
  path q = p;
  path r = std::move(p);
  CHECK(q.text() == "$.a.b[1]");
  CHECK(*q.find(doc) == json::value(20));
  CHECK(*r.find(doc) == json::value(20));
  q = path::parse("$.a.c");
  CHECK(*q.find(doc) == json::value("x"));
}

TEST_CASE("A name right after $ makes a variable path, read from the variables") {
  auto p = path::parse("$order.items[1]");
  CHECK(p.variable() == "order");
  CHECK_FALSE(p.is_context());
  CHECK_FALSE(p.is_root());
  CHECK(p.is_definite());
  json::value input = json::parse(R"({"order": "input's, not the variable"})");
  json::value context = json::object{};
  json::object vars{{"order", json::parse(R"({"items": [1, 2]})")}};
  auto const* v = p.find_in(input, context, &vars);
  REQUIRE(v);
  CHECK(*v == json::value(2));
  CHECK(p.find_in(input, context, nullptr) == nullptr);
  CHECK(path::parse("$x").is_root() == false);
  CHECK(path::parse("$").variable().empty());
}
