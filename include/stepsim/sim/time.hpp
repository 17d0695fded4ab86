// stepsim::sim time types: integer microsecond ticks, never floating seconds.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace stepsim::sim {

/// A span of simulated (or real) time, in integer microseconds.
using duration = std::chrono::microseconds;

/// An instant: microseconds since the Unix epoch, UTC. Uses system_clock only as
/// a tag for the epoch; nothing in the library calls system_clock::now() except
/// the command line when it picks a default start instant.
using instant = std::chrono::time_point<std::chrono::system_clock, duration>;

/// Formats an instant as AWS prints timestamps in API results:
/// "2024-01-02T03:04:05.678Z" (millisecond precision, truncated).
std::string format_iso8601(instant t);

/// Parses an ISO-8601 extended offset date-time as Step Functions accepts it
/// ("2016-03-14T01:59:00Z", "2016-03-14T01:59:00.123456+02:00"). Step Functions
/// runs on Java, so this follows java.time's ISO_OFFSET_DATE_TIME: a 4-digit
/// year, date and time separated by 'T' (either case), seconds optional
/// ("2016-03-14T01:59Z"), 1 to 9 fraction digits after the seconds (kept to
/// the microsecond, truncated), and a zone of 'Z' (either case) or
/// +hh:mm[:ss] / -hh:mm[:ss] up to 18 hours. Fields are range-checked (day
/// valid for the month, leap years included; second 60 is rejected). Returns
/// nullopt for anything else (including a missing zone).
std::optional<instant> parse_iso8601(std::string_view text);

}  // namespace stepsim::sim
