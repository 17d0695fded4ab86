#include <stepsim/sim/time.hpp>

#include <catch2/catch.hpp>

using stepsim::sim::duration;
using stepsim::sim::format_iso8601;
using stepsim::sim::instant;
using stepsim::sim::parse_iso8601;

namespace {
instant at_us(std::int64_t us) { return instant{duration{us}}; }
}  // namespace

TEST_CASE("format_iso8601 prints milliseconds, truncating the microseconds") {
  CHECK(format_iso8601(at_us(1704164645678901)) == "2024-01-02T03:04:05.678Z");
  CHECK(format_iso8601(at_us(0)) == "1970-01-01T00:00:00.000Z");
}

TEST_CASE("format_iso8601 floors instants before 1970 towards the past") {
  CHECK(format_iso8601(at_us(-1)) == "1969-12-31T23:59:59.999Z");
  CHECK(format_iso8601(at_us(-1000)) == "1969-12-31T23:59:59.999Z");
  CHECK(format_iso8601(at_us(-1001)) == "1969-12-31T23:59:59.998Z");
  CHECK(format_iso8601(at_us(-301233600000000)) == "1960-06-15T12:00:00.000Z");
}

TEST_CASE("parse_iso8601 reads the AWS examples") {
  CHECK(parse_iso8601("2016-03-14T01:59:00Z") == at_us(1457920740000000));
  CHECK(parse_iso8601("2016-03-14T01:59:00.123Z") == at_us(1457920740123000));
  CHECK(parse_iso8601("2024-01-02T03:04:05.678901Z") == at_us(1704164645678901));
}

TEST_CASE("parse_iso8601 keeps fractions to the microsecond, truncating") {
  CHECK(parse_iso8601("2016-03-14T01:59:00.1Z") == at_us(1457920740100000));
  CHECK(parse_iso8601("2016-03-14T01:59:00.123456789Z") == at_us(1457920740123456));
}

TEST_CASE("parse_iso8601 applies numeric offsets") {
  // 03:59 at +02:00 is 01:59 UTC.
  CHECK(parse_iso8601("2016-03-14T03:59:00+02:00") == at_us(1457920740000000));
  CHECK(parse_iso8601("2016-03-13T23:29:00-02:30") == at_us(1457920740000000));
  CHECK(parse_iso8601("2016-03-14T01:59:00+00:00") == at_us(1457920740000000));
  CHECK(parse_iso8601("2016-03-14T01:59:30+00:00:30") == at_us(1457920740000000));
  CHECK(parse_iso8601("2016-03-14T19:59:00+18:00") == at_us(1457920740000000));
}

TEST_CASE("parse_iso8601 follows Java's ISO_OFFSET_DATE_TIME leniencies") {
  CHECK(parse_iso8601("2016-03-14T01:59Z") == at_us(1457920740000000));
  CHECK(parse_iso8601("2016-03-14t01:59:00z") == at_us(1457920740000000));
}

TEST_CASE("parse_iso8601 handles leap days and dates before 1970") {
  CHECK(parse_iso8601("2024-02-29T00:00:00Z") == at_us(1709164800000000));
  CHECK(parse_iso8601("1969-12-31T23:59:59.999Z") == at_us(-1000));
  CHECK(parse_iso8601("2000-02-29T00:00:00Z").has_value());
}

TEST_CASE("parse_iso8601 rejects malformed text") {
  for (const char* bad : {
           "2016-12-05T21:29:29",          // no zone
           "2016-12-05T21:29:29.000",      // no zone
           "2016-12-05 21:29:29Z",         // space instead of T
           "2016-12-05T21Z",               // no minutes
           "2016-12-05T21:29:29.Z",        // empty fraction
           "2016-12-05T21:29:29.1234567890Z",  // more than nanoseconds
           "2016-12-05T21:29:29+02",       // offset without minutes
           "2016-12-05T21:29:29+0200",     // offset without colon
           "16-12-05T21:29:29Z",           // two-digit year
           "2016-12-5T21:29:29Z",          // one-digit day
           "2016-12-05T21:29:29Z ",        // trailing text
           "",
       }) {
    INFO(bad);
    CHECK_FALSE(parse_iso8601(bad).has_value());
  }
}

TEST_CASE("parse_iso8601 rejects out-of-range fields") {
  for (const char* bad : {
           "2016-13-01T00:00:00Z",   // month 13
           "2016-00-01T00:00:00Z",   // month 0
           "2016-04-31T00:00:00Z",   // April has 30 days
           "2023-02-29T00:00:00Z",   // not a leap year
           "1900-02-29T00:00:00Z",   // century, not a leap year
           "2016-01-00T00:00:00Z",   // day 0
           "2016-01-01T24:00:00Z",   // hour 24
           "2016-01-01T00:60:00Z",   // minute 60
           "2016-01-01T00:00:60Z",   // leap second
           "2016-01-01T00:00:00+18:01",  // offset beyond 18 h
           "2016-01-01T00:00:00+01:60",  // offset minute 60
       }) {
    INFO(bad);
    CHECK_FALSE(parse_iso8601(bad).has_value());
  }
}

TEST_CASE("format_iso8601 output parses back to the same millisecond") {
  const instant t = at_us(1704164645678000);
  CHECK(parse_iso8601(format_iso8601(t)) == t);
}
