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

/// The clock's range: the instants an ISO-8601 timestamp can name with a
/// four-digit year, 0000-01-01T00:00:00Z to 9999-12-31T23:59:59.999999Z.
/// `parse_iso8601` never returns an instant outside it; instants computed
/// from it stay far from the limits of the tick type (about 292,000 years),
/// so adding a converted duration to one never overflows.
inline constexpr instant earliest_instant{duration{-62167219200LL * 1'000'000}};
inline constexpr instant latest_instant{duration{253402300800LL * 1'000'000 - 1}};

/// The largest number of seconds a conversion accepts: 10^11 s, about 3,168
/// years. Seconds and milliseconds from a user (a study, a trace, a flag)
/// go through `seconds_to_duration` / `milliseconds_to_duration`, which
/// refuse what lies outside [-max_seconds, max_seconds]; durations the
/// program computes (retry delays, latency samples) go through the
/// `saturating_` forms, which clamp to that range instead.
inline constexpr double max_seconds = 1e11;

/// The range a conversion accepts, for error messages: "a finite number of
/// seconds between -100000000000 and 100000000000 (about 3,168 years)".
std::string seconds_range();
/// The same in milliseconds.
std::string milliseconds_range();

/// `seconds` as a duration, rounded to the nearest microsecond (halves away
/// from zero); nullopt when it is not finite or outside ±`max_seconds`.
std::optional<duration> seconds_to_duration(double seconds) noexcept;
/// `ms` milliseconds as a duration, as `seconds_to_duration(ms / 1000)`.
std::optional<duration> milliseconds_to_duration(double ms) noexcept;

/// `seconds` as a duration, rounded like `seconds_to_duration` and clamped
/// to ±`max_seconds` (NaN gives zero): for durations the program computes.
duration saturating_seconds(double seconds) noexcept;
/// The same for milliseconds.
duration saturating_milliseconds(double ms) noexcept;

/// `d * k`, clamped to the range of `duration` instead of overflowing.
duration saturating_mul(duration d, std::int64_t k) noexcept;
/// `a + b`, clamped to the range of `duration` instead of overflowing.
duration saturating_add(duration a, duration b) noexcept;
/// `t + d`, clamped to the range of `instant` instead of overflowing.
instant saturating_add(instant t, duration d) noexcept;
/// `a - b`, clamped to the range of `duration` instead of overflowing.
duration saturating_sub(instant a, instant b) noexcept;

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
/// nullopt for anything else (including a missing zone, and an offset that
/// moves the instant outside [earliest_instant, latest_instant]).
std::optional<instant> parse_iso8601(std::string_view text);

}  // namespace stepsim::sim
