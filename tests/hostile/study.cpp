// Hostile study files, traces and exports (issue 13, item 8): BOMs, quoted CSV, echoed bytes, negative durations.
#include <stepsim/study/study.hpp>
#include <stepsim/study/summary.hpp>
#include <stepsim/study/workload.hpp>

#include <catch2/catch.hpp>

#include <string>

namespace study = stepsim::study;
namespace sim = stepsim::sim;

namespace {

std::string const dir = std::string(STEPSIM_SOURCE_DIR) + "/examples/coldstart-accumulation";
std::string const bom = "\xEF\xBB\xBF";
std::string const minimal = R"({"workflows": {"single-step": {"definition": "single-step.asl.json"}},
  "functions": {"HelloFunction": {"run_ms": 50}},
  "workloads": {"w": {"workflow": "single-step", "threads": 2}}})";

std::optional<std::vector<study::arrival>> trace(std::string const& csv, std::string& error) {
  return study::read_trace(csv, *sim::parse_iso8601("2024-01-01T00:00:00Z"), "wf", error);
}

std::string export_of(std::string const& start, std::string const& stop) {
  return R"({"executions": [{"stateMachineArn": "arn:aws:states:us-east-1:1:stateMachine:wf", "name": "e1",
    "status": "SUCCEEDED", "startDate": ")" + start + R"(", "stopDate": ")" + stop + R"("}]})";
}

}  // namespace

TEST_CASE("A study file starting with a UTF-8 byte order mark is read", "[hostile][study]") {
  auto r = study::parse_study(bom + minimal, dir);
  REQUIRE(r.errors.empty());
  CHECK(r.value->scenarios.size() == 1);
}

TEST_CASE("A key written twice in a study is refused with both positions", "[hostile][study]") {
  auto r = study::parse_study(R"({"seed": 1,
"seed": 2})",
                              dir);
  REQUIRE(r.errors.size() == 1);
  CHECK(r.errors[0].pointer == "/seed");
  CHECK(r.errors[0].message == "the key 'seed' is written twice in one object, at line 1, column 2 and at line 2, "
                               "column 1");
}

TEST_CASE("A trace starting with a UTF-8 byte order mark is read", "[hostile][study]") {
  std::string error;
  auto t = trace(bom + "start,workflow\n1.5,a\n", error);
  REQUIRE(t);
  REQUIRE(t->size() == 1);
  CHECK(t->at(0).workflow == "a");
}

TEST_CASE("Trace fields are read as RFC 4180 quotes them", "[hostile][study]") {
  std::string error;
  auto t = trace("\"start\",\"workflow\"\r\n\"2\",\"a, \"\"quoted\"\"\r\nb\"\r\n 1 , plain \r\n", error);
  REQUIRE(t);
  REQUIRE(t->size() == 2);
  CHECK(t->at(0).workflow == "plain");
  CHECK(t->at(0).at == std::chrono::seconds(1));
  CHECK(t->at(1).workflow == "a, \"quoted\"\r\nb");
  CHECK(t->at(1).at == std::chrono::seconds(2));
}

TEST_CASE("A quoted trace field left open is refused with the line it opens on", "[hostile][study]") {
  std::string error;
  CHECK_FALSE(trace("start\n1\n\"2\n3\n", error));
  CHECK(error == "line 3: the quoted field opened on this line is not closed");
  CHECK_FALSE(trace("start\n\"2\"x\n", error));
  CHECK(error == "line 2: \"x\" after the closing quote of a field; a quote inside a quoted field is written twice");
}

TEST_CASE("A trace error echoes the value quoted, NUL and control bytes escaped", "[hostile][study]") {
  std::string error;
  CHECK_FALSE(trace(std::string("start\n1\x00\x1b", 9) + "\n", error));
  CHECK(error == "line 2: start \"1\\u0000\\u001b\" is neither seconds from the study start nor an ISO-8601 instant");
  CHECK_FALSE(trace("start\n" + std::string(200, 'z') + "\n", error));
  CHECK(error == "line 2: start \"" + std::string(80, 'z') +
                     "...\" is neither seconds from the study start nor an ISO-8601 instant");
}

TEST_CASE("An export starting with a UTF-8 byte order mark is read", "[hostile][study]") {
  std::string error;
  auto rows = study::read_export(bom + export_of("2024-01-01T00:00:00.000Z", "2024-01-01T00:00:01.500Z"), "aws.json",
                                 error);
  REQUIRE(rows);
  CHECK(rows->size() == 1);
}

TEST_CASE("An export whose stopDate precedes its startDate is refused, located", "[hostile][study]") {
  std::string error;
  CHECK_FALSE(study::read_export(export_of("2024-01-01T00:00:01.000Z", "2024-01-01T00:00:00.000Z"), "aws.json", error));
  CHECK(error == "aws.json: document 1, execution 0: stopDate 2024-01-01T00:00:00.000Z is before startDate "
                 "2024-01-01T00:00:01.000Z");
}

TEST_CASE("An export with a number beyond a double is refused with its position", "[hostile][study]") {
  std::string error;
  CHECK_FALSE(study::read_export("{\"executions\": []}\n{\"executions\": [1e400]}", "aws.json", error));
  CHECK(error == "aws.json: not valid JSON: the number 1e400 at line 2, column 17 is out of range: a JSON number "
                 "must be a finite double (magnitude below 1.8E308)");
}

TEST_CASE("An execution in list and describe output counts once, and distinct names all count", "[hostile][study]") {
  std::string error;
  std::string text = export_of("2024-01-01T00:00:00.000Z", "2024-01-01T00:00:01.000Z");
  text += R"({"executionArn": "x", "stateMachineArn": "arn:aws:states:us-east-1:1:stateMachine:wf", "name": "e1",
    "startDate": "2024-01-01T00:00:00.000Z", "stopDate": "2024-01-01T00:00:01.000Z"})";
  text += R"({"executions": [)";
  for (int i = 0; i < 5000; ++i)
    text += std::string(i ? "," : "") + R"({"stateMachineArn": "arn:aws:states:us-east-1:1:stateMachine:wf", "name": "n)" +
            std::to_string(i) + R"(", "startDate": "2024-01-02T00:00:00.000Z", "stopDate": "2024-01-02T00:00:01.000Z"})";
  text += "]}";
  auto rows = study::read_export(text, "aws.json", error);
  REQUIRE(rows);
  CHECK(rows->size() == 5001);
}
