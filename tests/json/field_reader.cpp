#include <stepsim/json/field_reader.hpp>

#include <boost/json/parse.hpp>
#include <catch2/catch.hpp>

#include <string>

using stepsim::json::diagnostic;
using stepsim::json::diagnostics;
using stepsim::json::field_reader;
using stepsim::json::kind_name;
using stepsim::json::pointer_append;
namespace bj = boost::json;

TEST_CASE("kind_name names each JSON type as an error message does", "[json][field_reader]") {
  CHECK(std::string(kind_name(bj::value(nullptr))) == "null");
  CHECK(std::string(kind_name(bj::value(true))) == "a boolean");
  CHECK(std::string(kind_name(bj::value(3))) == "an integer");
  CHECK(std::string(kind_name(bj::value(18446744073709551615ULL))) == "an integer");
  CHECK(std::string(kind_name(bj::value(1.5))) == "a number");
  CHECK(std::string(kind_name(bj::value("x"))) == "a string");
  CHECK(std::string(kind_name(bj::array{})) == "an array");
  CHECK(std::string(kind_name(bj::object{})) == "an object");
}

TEST_CASE("pointer_append escapes '~' and '/' in a token (RFC 6901)", "[json][field_reader]") {
  CHECK(pointer_append("", "States") == "/States");
  CHECK(pointer_append("/States", "a/b~c") == "/States/a~1b~0c");
  CHECK(pointer_append("/Choices", std::size_t(2)) == "/Choices/2");
}

TEST_CASE("field_reader reads typed fields and reports each fault at its pointer", "[json][field_reader]") {
  auto doc = bj::parse(R"({"name": "f", "memory": 1.0, "count": 7, "big": 99, "on": "yes", "rate": 2, "huge": 18446744073709551615})");
  diagnostics out;
  std::string const at = "/functions/f";
  field_reader r{doc.as_object(), at, out};

  CHECK(r.string("name") == "f");
  CHECK(r.integer("count", 0, 10) == 7);
  CHECK(r.number("rate", 0, 5) == 2.0);
  CHECK_FALSE(r.string("absent"));
  CHECK(out.empty());  // absent fields are the caller's to require

  CHECK_FALSE(r.integer("memory", 0, 10));  // 1.0 is a number, not an integer
  CHECK_FALSE(r.integer("big", 0, 10));
  CHECK_FALSE(r.boolean("on"));
  CHECK_FALSE(r.number("name", 0, 1));
  CHECK_FALSE(r.integer("huge", 0, 10));
  CHECK(out == diagnostics{
                   {"/functions/f/memory", "'memory' must be an integer, not a number"},
                   {"/functions/f/big", "'big' must be between 0 and 10, not 99"},
                   {"/functions/f/on", "'on' must be true or false, not a string"},
                   {"/functions/f/name", "'name' must be a number, not a string"},
                   {"/functions/f/huge", "'huge' must be between 0 and 10, not 18446744073709551615"},
               });
}
