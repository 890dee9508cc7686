import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// RFC 3339 timestamps with milliseconds in UTC (`2026-11-25T08:30:00.123Z`), the one format
/// on the bus. Hand-written because the relay formats tens of thousands a second.
public enum Timestamp {
    /// Formats milliseconds since the Unix epoch.
    public static func format(epochMilliseconds: Int64) -> String {
        var seconds = time_t(epochMilliseconds.floorDivided(by: 1000))
        let millis = Int(epochMilliseconds - Int64(seconds) * 1000)
        var parts = tm()
        gmtime_r(&seconds, &parts)
        return "\(pad(Int(parts.tm_year) + 1900, 4))-\(pad(Int(parts.tm_mon) + 1, 2))-\(pad(Int(parts.tm_mday), 2))T"
            + "\(pad(Int(parts.tm_hour), 2)):\(pad(Int(parts.tm_min), 2)):\(pad(Int(parts.tm_sec), 2)).\(pad(millis, 3))Z"
    }

    /// Formats a `Date`, truncated to the millisecond.
    public static func format(_ date: Date) -> String {
        format(epochMilliseconds: Int64((date.timeIntervalSince1970 * 1000).rounded(.down)))
    }

    /// Parses RFC 3339 — `YYYY-MM-DDTHH:MM:SS[.fraction]` then `Z` or `±HH:MM` — to the
    /// millisecond; `nil` if malformed. Hand-written: a sampling surge parses one per
    /// check-in, and Foundation's formatter costs more than the rest of the request.
    public static func parse(_ text: String) -> Date? {
        var text = text
        return text.withUTF8 { bytes in parseMilliseconds(bytes) }.map { Date(timeIntervalSince1970: Double($0) / 1000) }
    }

    /// Milliseconds since the epoch of an RFC 3339 timestamp, or `nil`.
    static func parseMilliseconds(_ b: UnsafeBufferPointer<UInt8>) -> Int64? {
        guard b.count >= 20, b[4] == UInt8(ascii: "-"), b[7] == UInt8(ascii: "-"), b[10] == UInt8(ascii: "T") || b[10] == UInt8(ascii: "t"),
            b[13] == UInt8(ascii: ":"), b[16] == UInt8(ascii: ":")
        else { return nil }
        func digit(_ index: Int) -> Int? {
            let byte = b[index]
            return (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) ? Int(byte - UInt8(ascii: "0")) : nil
        }
        func number(_ range: Range<Int>) -> Int? {
            var value = 0
            for index in range {
                guard let next = digit(index) else { return nil }
                value = value * 10 + next
            }
            return value
        }
        guard let year = number(0..<4), let month = number(5..<7), let day = number(8..<10), let hour = number(11..<13),
            let minute = number(14..<16), let second = number(17..<19),
            (1...12).contains(month), (1...daysIn(month: month, year: year)).contains(day), hour < 24, minute < 60, second < 60
        else { return nil }
        var index = 19
        var millis = 0
        if b[index] == UInt8(ascii: ".") {
            index += 1
            let start = index
            while index < b.count, let next = digit(index) {
                if index - start < 3 { millis = millis * 10 + next }
                index += 1
            }
            guard index > start else { return nil }
            for _ in min(3, index - start)..<3 { millis *= 10 }
        }
        guard index < b.count else { return nil }
        var offsetMinutes = 0
        switch b[index] {
        case UInt8(ascii: "Z"), UInt8(ascii: "z"):
            index += 1
        case UInt8(ascii: "+"), UInt8(ascii: "-"):
            guard index + 6 == b.count, b[index + 3] == UInt8(ascii: ":"), let hours = number(index + 1..<index + 3),
                let minutes = number(index + 4..<index + 6), hours < 24, minutes < 60
            else { return nil }
            offsetMinutes = (hours * 60 + minutes) * (b[index] == UInt8(ascii: "-") ? -1 : 1)
            index += 6
        default:
            return nil
        }
        guard index == b.count else { return nil }
        var parts = tm()
        parts.tm_year = Int32(year - 1900)
        parts.tm_mon = Int32(month - 1)
        parts.tm_mday = Int32(day)
        parts.tm_hour = Int32(hour)
        parts.tm_min = Int32(minute)
        parts.tm_sec = Int32(second)
        return (Int64(timegm(&parts)) - Int64(offsetMinutes) * 60) * 1000 + Int64(millis)
    }

    private static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    private static func pad(_ value: Int, _ width: Int) -> String {
        let digits = String(value)
        return digits.count >= width ? digits : String(repeating: "0", count: width - digits.count) + digits
    }
}

extension Int64 {
    fileprivate func floorDivided(by divisor: Int64) -> Int64 {
        let quotient = self / divisor
        return (self % divisor < 0) ? quotient - 1 : quotient
    }
}

extension Timestamp {
    /// Wall-clock milliseconds since the Unix epoch.
    public static func nowMilliseconds() -> Int64 {
        var now = timespec()
        clock_gettime(CLOCK_REALTIME, &now)
        return Int64(now.tv_sec) * 1000 + Int64(now.tv_nsec) / 1_000_000
    }
}

extension Timestamp {
    /// The China Standard Time day (`YYYY-MM-DD`) of `date`, as stations count days: UTC+8
    /// all year, no daylight saving.
    public static func chinaDay(of date: Date) -> String {
        String(format(date.addingTimeInterval(8 * 3600)).prefix(10))
    }

    /// Midnight China Standard Time at the start of `day` (`YYYY-MM-DD`); `nil` when `day` is
    /// not exactly such a day. ``chinaDay(of:)`` of the answer is `day` again.
    public static func chinaMidnight(_ day: String) -> Date? {
        parse(day + "T00:00:00+08:00")
    }
}
