import Foundation
import Models
import Testing

@Suite struct TimestampTests {
    @Test func formatsMillisecondsInUTC() {
        #expect(Timestamp.format(epochMilliseconds: 0) == "1970-01-01T00:00:00.000Z")
        #expect(Timestamp.format(epochMilliseconds: 1_764_059_400_123) == "2025-11-25T08:30:00.123Z")
        #expect(Timestamp.format(epochMilliseconds: -1) == "1969-12-31T23:59:59.999Z")
    }

    @Test func parsesWhatItFormatsAndOffsets() {
        #expect(Timestamp.parse("2025-11-25T08:30:00.123Z")?.timeIntervalSince1970 == 1_764_059_400.123)
        #expect(Timestamp.parse("2025-11-25T16:30:00+08:00")?.timeIntervalSince1970 == 1_764_059_400)
        #expect(Timestamp.parse("yesterday") == nil)
    }

    @Test(arguments: [
        "2025-02-29T08:00:00Z", "2025-11-25T24:00:00Z", "2025-11-25T08:30:60Z", "2025-11-25T08:30:00", "2025-11-25T08:30:00.Z",
        "2025-11-25T08:30:00+8:00",
        "2025-11-25T08:30:00+08:00x", "2025-11-25 08:30:00Z", "2025-13-01T00:00:00Z", "２０２5-11-25T08:30:00Z",
    ])
    func refusesWhatIsNotRFC3339(_ text: String) {
        #expect(Timestamp.parse(text) == nil)
    }

    /// Foundation's ISO 8601 formatter is the oracle: any instant, any offset, with or
    /// without a fraction, parses to the same millisecond.
    @Test func agreesWithFoundationOnRandomInstantsAndOffsets() {
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<2_000 {
            let date = Date(timeIntervalSince1970: Double(Int64.random(in: 0...4_102_444_800_000, using: &generator)) / 1000)
            let formatter = ISO8601DateFormatter()
            formatter.timeZone = TimeZone(secondsFromGMT: 60 * 15 * Int.random(in: -48...56, using: &generator))
            formatter.formatOptions =
                Bool.random(using: &generator) ? [.withInternetDateTime, .withFractionalSeconds] : [.withInternetDateTime]
            let text = formatter.string(from: date)
            let expected = formatter.date(from: text)
            #expect(Timestamp.parse(text) == expected, "\(text)")
        }
        #expect(Timestamp.parse("2025-11-25T08:30:00.1Z")?.timeIntervalSince1970 == 1_764_059_400.1)
        #expect(Timestamp.parse("2025-11-25T08:30:00.123456789Z")?.timeIntervalSince1970 == 1_764_059_400.123)
    }

    /// China Standard Time days: UTC+8 all year, and a day's midnight gives the day back.
    @Test func chinaDaysAreUTCPlusEight() {
        #expect(Timestamp.chinaDay(of: Date(timeIntervalSince1970: 1_764_086_399.999)) == "2025-11-25")
        #expect(Timestamp.chinaDay(of: Date(timeIntervalSince1970: 1_764_086_400)) == "2025-11-26")
        #expect(Timestamp.chinaMidnight("2025-11-26")?.timeIntervalSince1970 == 1_764_086_400)
        for day in ["2000-01-01", "2024-02-29", "2025-12-31", "2099-12-31"] {
            #expect(Timestamp.chinaMidnight(day).map(Timestamp.chinaDay) == day)
        }
        for day in ["2025-02-29", "2025-1-01", "2025-11-26T", "2025-11-26 ", "", "today"] {
            #expect(Timestamp.chinaMidnight(day) == nil, "\(day)")
        }
    }
}
