#include <boost/json.hpp>
#include <catch2/catch.hpp>
#include <stepsim/asl/error.hpp>
#include <stepsim/asl/intrinsic.hpp>
#include <stepsim/sim/rng.hpp>
#include <string>

// Expected values come from executions recorded against AWS
// (/work/shared/conformance/cases.jsonl, intrinsic_functions/*) unless a
// comment names another source.

namespace json = boost::json;
using stepsim::asl::eval_context;
using stepsim::asl::intrinsic;
using stepsim::asl::states_error;

namespace {

intrinsic compile(std::string const& text) {
  std::string error;
  auto f = intrinsic::parse(text, error);
  INFO(text << ": " << error);
  REQUIRE(f);
  return *f;
}

json::value run(std::string const& text, json::value const& input = json::object(), std::uint64_t seed = 1) {
  json::value context = {{"Execution", {{"Input", input}, {"Name", "run-1"}}}};
  stepsim::sim::random_stream random(seed);
  return compile(text).evaluate(eval_context{input, context, &random});
}

json::value run(std::string const& text, char const* input_json) { return run(text, json::parse(input_json)); }

std::string parse_error(std::string const& text) {
  std::string error;
  CHECK_FALSE(intrinsic::parse(text, error));
  return error;
}

// The run-time failure: {error name, cause}.
std::pair<std::string, std::string> failure(std::string const& text, char const* input_json = "{}") {
  try {
    run(text, json::parse(input_json));
  } catch (states_error const& e) {
    return {e.error(), e.cause()};
  }
  FAIL("no error from " << text);
  return {};
}

std::pair<std::string, std::string> invalid(std::string const& function) {
  return {"States.Runtime", "Invalid arguments in " + function};
}

}  // namespace

TEST_CASE("looks_like_call recognises States.Name( only") {
  CHECK(intrinsic::looks_like_call("States.Array()"));
  CHECK(intrinsic::looks_like_call("States.Format('{}', $.a)"));
  CHECK_FALSE(intrinsic::looks_like_call("$.States"));
  CHECK_FALSE(intrinsic::looks_like_call("States.Array"));
}

TEST_CASE("parse rejects wrong arity, unknown names and malformed literals") {
  CHECK(parse_error("States.ArrayRange(1, 5)") == "States.ArrayRange takes 3 arguments, got 2 at 0");
  CHECK(parse_error("States.MathRandom(1, 2, 3, 4)") == "States.MathRandom takes 2 to 3 arguments, got 4 at 0");
  CHECK(parse_error("States.Format()") == "States.Format takes at least 1 argument, got 0 at 0");
  CHECK(parse_error("States.Nope(1)") == "unknown intrinsic function 'States.Nope' at 0");
  CHECK(parse_error("States.Array(1.)") == "invalid number at 15");
  CHECK(parse_error("States.Array(.5)") == "unexpected '.' at 13");
  CHECK(parse_error("States.Array('open)") == "unterminated string literal at 13");
  CHECK(parse_error("States.Array($.a) trailing") == "unexpected 't' at 18");
  CHECK(parse_error("States.Array($.a, )") == "unexpected ')' at 18");
}

TEST_CASE("parse allows 10 nested calls and rejects 11") {
  std::string ten = "1", eleven;
  for (int i = 0; i < 10; ++i) ten = "States.Array(" + ten + ")";
  eleven = "States.Array(" + ten + ")";
  CHECK(run(ten) == json::parse("[[[[[[[[[[1]]]]]]]]]]"));
  CHECK(parse_error(eleven) == "more than 10 nested intrinsic functions at 130");
}

TEST_CASE("literals: strings with escapes, integers, floats, booleans, null") {
  CHECK(run(R"(States.Array('it\'s', 'a\\b', 42, -1.5, 2e3, true, false, null))") ==
        json::parse(R"(["it's", "a\\b", 42, -1.5, 2000.0, true, false, null])"));
  CHECK(run("States.Array( $.a , $$.Execution.Name )", R"({"a": 1})") == json::parse(R"([1, "run-1"])"));
}

TEST_CASE("a path argument that matches nothing is States.Runtime naming the path and the input") {
  CHECK(failure("States.Base64Encode($.missing)", R"({"a":1.5})") ==
        std::pair<std::string, std::string>{
            "States.Runtime",
            "The JsonPath argument for the field '$.missing' could not be found in the input '{\"a\":1.5}'"});
}

TEST_CASE("States.Format prints arguments as AWS's Java does") {
  CHECK(run("States.Format('Formatting argument {}.', $.v)", R"({"v": 1.1})") == "Formatting argument 1.1.");
  CHECK(run("States.Format('fst={} and snd={}.', $.fst, $.snd)", R"({"fst": {"Arg1": 1, "Arg2": []}, "snd": " "})") ==
        "fst={Arg1=1, Arg2=[]} and snd= .");
  CHECK(run("States.Format('{}|{}|{}|{}', $.n, $.b, $.d, $.a)",
            R"({"n": null, "b": false, "d": 1.0, "a": [1, "x"]})") == "null|false|1.0|[1, x]");
  CHECK(run(R"(States.Format('\{\} {} \'\\', 'x'))") == R"({} x '\)");
  CHECK(run("States.Format($.t, 'Ada')", R"({"t": "Hello {}"})") == "Hello Ada");
}

TEST_CASE("States.Format fails on a placeholder count mismatch or a stray brace") {
  CHECK(failure("States.Format('{} {}', 'x')") == invalid("States.Format"));
  CHECK(failure("States.Format('{}', 'x', 'y')") == invalid("States.Format"));
  CHECK(failure("States.Format('Hello {', 'x')") == invalid("States.Format"));
  CHECK(failure("States.Format('}')") == invalid("States.Format"));
  CHECK(failure("States.Format($.t)", R"({"t": 123})") == invalid("States.Format"));
}

TEST_CASE("States.StringToJson refuses a number beyond a double rather than giving Infinity") {
  CHECK(failure("States.StringToJson('1e400')") == invalid("States.StringToJson"));
  CHECK(failure("States.StringToJson($.s)", R"({"s": "{\"x\": -1e999}"})") == invalid("States.StringToJson"));
}

TEST_CASE("States.StringToJson parses, with blank text giving null") {
  CHECK(run("States.StringToJson($.s)", R"({"s": ""})") == nullptr);
  CHECK(run("States.StringToJson($.s)", R"({"s": " "})") == nullptr);
  CHECK(run("States.StringToJson($.s)", R"({"s": "-0"})") == 0);
  CHECK(run("States.StringToJson($.s)", R"({"s": "[1, 2, \"HelloWorld\"]"})") ==
        json::parse(R"([1, 2, "HelloWorld"])"));
  CHECK(failure("States.StringToJson('{nope')") == invalid("States.StringToJson"));
}

TEST_CASE("States.JsonToString is compact, with Java's number text") {
  CHECK(run("States.JsonToString($.v)", R"({"v": {"Arg1": 1, "Arg2": [1.1, "x"]}})") ==
        R"({"Arg1":1,"Arg2":[1.1,"x"]})");
  CHECK(run("States.JsonToString($.v)", R"({"v": "HelloWorld"})") == R"("HelloWorld")");
}

TEST_CASE("States.JsonMerge is shallow and requires false") {
  CHECK(run("States.JsonMerge($.a, $.b, false)", R"({"a": {"x": {"p": 1}, "y": 1}, "b": {"x": {"q": 2}, "z": 3}})") ==
        json::parse(R"({"x": {"q": 2}, "y": 1, "z": 3})"));
  CHECK(failure("States.JsonMerge($.a, $.a, true)", R"({"a": {}})") == invalid("States.JsonMerge"));
  // Refused when the definition is loaded, as AWS refuses it.
  CHECK(parse_error("States.JsonMerge($.a, 1, false)") ==
        "States.JsonMerge argument 2 must be an array or object (a path or a call), not the number 1 at 22");
}

TEST_CASE("States.ArrayPartition chunks and rejects a size below 1") {
  CHECK(run("States.ArrayPartition($.a, 2)", R"({"a": [0, 1, 2]})") == json::parse("[[0, 1], [2]]"));
  CHECK(run("States.ArrayPartition($.a, 4)", R"({"a": []})") == json::array());
  CHECK(failure("States.ArrayPartition($.a, 0.49)", R"({"a": [1]})") == invalid("States.ArrayPartition"));
}

TEST_CASE("States.ArrayContains compares as recorded on AWS") {
  CHECK(run("States.ArrayContains($.a, $.v)", R"({"a": [[1, 2, 3], 2], "v": [1, 2, 3]})") == true);
  CHECK(run("States.ArrayContains($.a, $.v)", R"({"a": [{"1": 2, "2": []}], "v": {"1": 2, "2": []}})") == true);
  CHECK(run("States.ArrayContains($.a, null)", R"({"a": []})") == false);
  // Third-party AWS observations: member order matters; "true" matches true.
  CHECK(run("States.ArrayContains($.a, $.v)", R"({"a": [{"a": 1, "b": 2}], "v": {"b": 2, "a": 1}})") == false);
  CHECK(run("States.ArrayContains($.a, true)", R"({"a": ["true"]})") == true);
  CHECK(run("States.ArrayContains($.a, false)", R"({"a": [0, 1]})") == false);
  // Refused when the definition is loaded, as AWS refuses it.
  CHECK(parse_error("States.ArrayContains('x', 'x')") ==
        "States.ArrayContains argument 1 must be an array or object (a path or a call), not the string 'x' at 21");
}

TEST_CASE("States.ArrayRange includes the end a step lands on, both directions") {
  CHECK(run("States.ArrayRange(1, 9, 2)") == json::parse("[1, 3, 5, 7, 9]"));
  CHECK(run("States.ArrayRange(1, 9, 9)") == json::parse("[1]"));
  CHECK(run("States.ArrayRange(5, 1, -2)") == json::parse("[5, 3, 1]"));
  CHECK(run("States.ArrayRange(5, 1, 1)") == json::array());
  // Third-party AWS observation: fractional arguments are truncated.
  CHECK(run("States.ArrayRange(5.4, -0.6, -2.4)") == json::parse("[5, 3, 1]"));
  CHECK(run("States.ArrayRange(1, 1000, 1)").as_array().size() == 1000);
  CHECK(failure("States.ArrayRange(1, 1001, 1)") == invalid("States.ArrayRange"));
  CHECK(failure("States.ArrayRange(1, 10, 0.49)") == invalid("States.ArrayRange"));
  // Refused when the definition is loaded, as AWS refuses it.
  CHECK(parse_error("States.ArrayRange('a', 5, 1)") ==
        "States.ArrayRange argument 1 must be a number, not the string 'a' at 18");
}

TEST_CASE("States.ArrayGetItem indexes, null on an empty array, fails out of range") {
  CHECK(run("States.ArrayGetItem($.a, 1)", R"({"a": [{"a": 1}, {"b": 2}]})") == json::parse(R"({"b": 2})"));
  CHECK(run("States.ArrayGetItem(States.Array('x', 'y'), 1.9)") == "y");
  CHECK(run("States.ArrayGetItem($.a, 999)", R"({"a": []})") == nullptr);
  CHECK(failure("States.ArrayGetItem($.a, 3)", R"({"a": [1, 2, 3]})") == invalid("States.ArrayGetItem"));
  CHECK(failure("States.ArrayGetItem($.a, -1)", R"({"a": [1, 2, 3]})") == invalid("States.ArrayGetItem"));
  // Refused when the definition is loaded, as AWS refuses it.
  CHECK(parse_error("States.ArrayGetItem($.a, '1')") ==
        "States.ArrayGetItem argument 2 must be a number, not the string '1' at 25");
}

TEST_CASE("States.ArrayLength and States.ArrayUnique") {
  CHECK(run("States.ArrayLength($.a)", R"({"a": [1, [2], {}]})") == 3);
  CHECK(failure("States.ArrayLength($.a)", R"({"a": "abc"})") == invalid("States.ArrayLength"));
  CHECK(run("States.ArrayUnique($.a)", R"({"a": [1, 2, 2, {"k": [1]}, 3, {"k": [1]}, 1]})") ==
        json::parse(R"([1, 2, {"k": [1]}, 3])"));
}

TEST_CASE("States.Base64Encode and Decode round-trip UTF-8 up to 10,000 characters") {
  CHECK(run("States.Base64Encode($.s)", R"({"s": "Data to encode"})") == "RGF0YSB0byBlbmNvZGU=");
  CHECK(run("States.Base64Encode('')") == "");
  CHECK(run("States.Base64Encode($.s)", R"({"s": "\u2713"})") == "4pyT");
  CHECK(run("States.Base64Decode($.s)", R"({"s": "RGF0YSB0byBlbmNvZGU="})") == "Data to encode");
  CHECK(run("States.Base64Decode('YWJjAGRlZg==')") == json::string("abc\0def", 7));
  json::value long_text = {{"s", std::string(10001, 'a')}};
  CHECK(run("States.Base64Encode($.s)", json::value{{"s", std::string(10000, 'a')}}).as_string().size() == 13336);
  CHECK_THROWS_AS(run("States.Base64Encode($.s)", long_text), states_error);
  // Refused when the definition is loaded, as AWS refuses it.
  CHECK(parse_error("States.Base64Encode(123)") ==
        "States.Base64Encode argument 1 must be a string, not the number 123 at 20");
}

TEST_CASE("States.Base64Decode is lenient as recorded on AWS") {
  CHECK(run("States.Base64Decode(' YWJjZA== ')") == "abcd");
  CHECK(run("States.Base64Decode('YWJj')") == "abc");
  CHECK(run("States.Base64Decode('YWJjZA')") == "abcd");
  CHECK(run("States.Base64Decode('/w==')") == "\xEF\xBF\xBD");  // a lone 0xFF byte is not UTF-8
}

TEST_CASE("States.Hash gives the standard digests") {
  json::value in = {{"s", "input data"}};
  CHECK(run("States.Hash($.s, 'MD5')", in) == "812f45842bc6d66ee14572ce20db8e86");
  CHECK(run("States.Hash($.s, 'SHA-1')", in) == "aaff4a450a104cd177d28d18d74485e8cae074b7");
  CHECK(run("States.Hash($.s, 'SHA-256')", in) == "b4a697a057313163aee33cd8d40c66e9f0f177e00cac2de32475ffff6169c3e3");
  CHECK(run("States.Hash($.s, 'SHA-384')", in) ==
        "d28a7d5cf25a74f11a50a18452b75e04bb3d70c9dd0510d6123aa008c756511b87525bdc835ebb27e1fb9e9374a15562");
  CHECK(
      run("States.Hash($.s, 'SHA-512')", in) ==
      "6ce4adb348546d4f449c4d25aad9a7c9cb711d9e91982d3f0b29ca2f3f47d4ce2deba23bf2954f0f1d593fc50283731a533d30d425402d4f"
      "91316d871303aac4");
  CHECK(run("States.Hash('', 'SHA-256')") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  CHECK(run("States.Hash($.s, 'SHA-256')", R"({"s": "\u2713"})") ==
        "1dabba21cdad44541f6b15796f8d22978fc7ea10c46aeceeeeb66c23b3ac7604");
}

TEST_CASE("States.Hash pads correctly at block boundaries") {
  // Reference digests from Python's hashlib.
  auto hash = [](std::size_t n, char const* algorithm) {
    return run(std::string("States.Hash($.s, '") + algorithm + "')", json::value{{"s", std::string(n, 'x')}});
  };
  CHECK(hash(55, "MD5") == "04364420e25c512fd958a70738aa8f72");
  CHECK(hash(56, "MD5") == "668a72d5ba17f08e62dabcafad6db14b");
  CHECK(hash(56, "SHA-1") == "901305367c259952f4e7af8323f480d59f81335b");
  CHECK(hash(55, "SHA-256") == "d5e285683cd4efc02d021a5c62014694958901005d6f71e89e0989fac77e4072");
  CHECK(hash(56, "SHA-256") == "04c26261370ee7541549d16dee320c723e3fd14671e66a099afe0a377c16888e");
  CHECK(hash(111, "SHA-384") ==
        "dfec6588f894c2b089119e1884a23941e5aa69ed38702839cf7352ac6d155d315693bb5d26b7468d8b69ecf4631ef419");
  CHECK(hash(112, "SHA-512") ==
        "a3722b515ef40c910f2419f6e0da8ca51d410114ce6272faae64045f9e9f630e7fa8dd5a3243c9860b899d148c3da4bc0f9e0745454260"
        "4d03"
        "0bb55531fe0d5b");
}

TEST_CASE("States.Hash rejects other algorithm spellings") {
  CHECK(failure("States.Hash('data', 'sha-256')") == invalid("States.Hash"));
  CHECK(failure("States.Hash('data', 'SHA256')") == invalid("States.Hash"));
  // Refused when the definition is loaded, as AWS refuses it.
  CHECK(parse_error("States.Hash('data', 123)") ==
        "States.Hash argument 2 must be a string, not the number 123 at 20");
}

TEST_CASE("States.MathAdd rounds floats like Java's Math.round") {
  auto add = [](char const* a, char const* b) {
    return run("States.MathAdd($.a, $.b)", json::value{{"a", json::parse(a)}, {"b", json::parse(b)}});
  };
  CHECK(add("-9", "3") == -6);
  CHECK(add("1.49", "1.5") == 3);
  CHECK(add("-1.5", "0") == -1);
  CHECK(add("-1.51", "0") == -2);
  CHECK(add("-0.5", "0.5") == 1);
  CHECK(add("-2.5", "0") == -2);
  CHECK(add("2.5", "0") == 3);
  CHECK(add("1.49", "-1.49") == 0);
  // Refused when the definition is loaded, as AWS refuses it.
  CHECK(parse_error("States.MathAdd('1', 2)") ==
        "States.MathAdd argument 1 must be a number, not the string '1' at 15");
  CHECK(failure("States.MathAdd(9223372036854775807, 1)") == invalid("States.MathAdd"));
}

TEST_CASE("States.MathRandom draws from start inclusive to end exclusive and a seed fixes the draw") {
  for (std::uint64_t seed = 0; seed < 50; ++seed) {
    auto v = run("States.MathRandom(1.6, 5.4)", json::object(), seed).as_int64();
    CHECK((v >= 1 && v < 5));
  }
  CHECK(run("States.MathRandom(1, 999)", json::object(), 7) == run("States.MathRandom(1, 999)", json::object(), 7));
  // java.util.Random(42).nextInt(10) is 0; AWS gives -5 for this call.
  CHECK(run("States.MathRandom(-5, 5, 42)", json::object(), 1) == -5);
  CHECK(run("States.MathRandom(-5, 5, 42)", json::object(), 2) == -5);
  CHECK(run("States.MathRandom(0, 999, 3)") == 239);
  CHECK(failure("States.MathRandom(1.4, 1.6)") == invalid("States.MathRandom"));
  CHECK(failure("States.MathRandom(10, 5)") == invalid("States.MathRandom"));
  // Refused when the definition is loaded, as AWS refuses it.
  CHECK(parse_error("States.MathRandom(1, 10, null)") ==
        "States.MathRandom argument 3 must be a number, not null at 25");
}

TEST_CASE("States.StringSplit splits on any delimiter character and drops empty tokens") {
  auto split = [](char const* s, char const* d) {
    return run("States.StringSplit($.s, $.d)", json::value{{"s", s}, {"d", d}});
  };
  CHECK(split(", , ,", ",") == json::parse(R"([" ", " "])"));
  CHECK(split(",,,,", ",") == json::array());
  CHECK(split("This.is+a,test=string", ".+,=") == json::parse(R"(["This", "is", "a", "test", "string"])"));
  CHECK(split("split on T and \nnew line", "T\n") == json::parse(R"(["split on ", " and ", "new line"])"));
  CHECK(split("a\u2713b\u2714c", "\u2714") == json::parse(R"(["a\u2713b", "c"])"));
}

TEST_CASE("States.UUID is a version 4 UUID drawn from the context's stream") {
  auto id = std::string(run("States.UUID()", json::object(), 5).as_string());
  REQUIRE(id.size() == 36);
  CHECK(id[8] == '-');
  CHECK(id[14] == '4');
  CHECK(std::string("89ab").find(id[19]) != std::string::npos);
  CHECK(run("States.UUID()", json::object(), 5) == json::value(id));
  CHECK(run("States.UUID()", json::object(), 6) != json::value(id));
}

TEST_CASE("nested calls feed each other") {
  CHECK(
      run("States.ArrayGetItem(States.StringSplit($.n, '-'), States.MathAdd(States.ArrayLength(States.StringSplit($.n, "
          "'-')), -1))",
          R"({"n": "my-state-machine"})") == "machine");
  CHECK(run("States.JsonMerge(States.StringToJson('{\"a\": \"false\"}'), $$.Execution.Input.f, false)",
            R"({"f": {"b": 1}})") == json::parse(R"({"a": "false", "b": 1})"));
}
