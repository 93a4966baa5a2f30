import Foundation
import HealthCredentialsTesting
@testable import HealthCredentials
import Testing

/// DCCDate's hand-written calendar arithmetic, checked against Foundation's ISO 8601 parser and Gregorian calendar.
@Suite("DCC dates")
struct DCCDateTests {
    static func iso(_ text: String) -> Date? {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        return formatter.date(from: text)
    }

    @Test(
        "RFC 3339 date-times agree with ISO8601DateFormatter",
        arguments: [
            "2022-04-14T08:00:00Z", "2022-04-14T10:00:00+02:00", "2022-04-14T03:30:00-04:30", "2000-02-29T23:59:59Z",
            "1970-01-01T00:00:00Z", "2021-12-31T23:00:00-01:00", "2099-12-31T12:00:00+14:00", "1900-03-01T00:00:00Z",
        ]
    )
    func dateTimes(text: String) throws {
        let expected = try #require(Self.iso(text))
        #expect(DCCDate.dateTime(text) == expected)
    }

    @Test("offsets without a colon, lowercase z, fractions and a missing offset (read as UTC)")
    func dateTimeVariants() throws {
        #expect(DCCDate.dateTime("2022-04-14T10:00:00+0200") == Self.iso("2022-04-14T08:00:00Z"))
        #expect(DCCDate.dateTime("2022-04-14T08:00:00z") == Self.iso("2022-04-14T08:00:00Z"))
        #expect(DCCDate.dateTime("2022-04-14T08:00:00") == Self.iso("2022-04-14T08:00:00Z"))
        #expect(DCCDate.dateTime("2022-04-14 08:00:00Z") == Self.iso("2022-04-14T08:00:00Z"))
        let fraction = try #require(DCCDate.dateTime("2022-04-14T08:00:00.250Z"))
        #expect(abs(fraction.timeIntervalSince(try #require(Self.iso("2022-04-14T08:00:00Z"))) - 0.25) < 1e-6)
    }

    @Test(
        "malformed date-times are refused",
        arguments: [
            "", "2022-04-14", "2022-04-14T08:00Z", "2022-04-14T24:00:00Z", "2022-04-14T08:60:00Z", "2022-13-14T08:00:00Z",
            "2022-04-14T08:00:00+2", "2022-04-14T08:00:00+24:00", "2022-04-14T08:00:00ZZ", "2022-04-14T08:00:00.Z",
            "2022-04-14X08:00:00Z", "2022-04-14T08-00-00Z", "2022-04-14T08:00:00 UTC", "２０２２-04-14T08:00:00Z",
            "2022-+4-14T08:00:00Z", "+202-04-14T08:00:00Z",
        ]
    )
    func badDateTimes(text: String) {
        #expect(DCCDate.dateTime(text) == nil)
    }

    @Test("calendar dates are midnight UTC, and the year of a date is its Gregorian UTC year")
    func datesAndYears() throws {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        var generator = SplitMix64(seed: 2021)
        for _ in 0..<500 {
            let year = Int.random(in: 1900...2100, using: &generator)
            let month = Int.random(in: 1...12, using: &generator)
            let day = Int.random(in: 1...28, using: &generator)
            let text = String(format: "%04d-%02d-%02d", year, month, day)
            let expected = try #require(calendar.date(from: DateComponents(year: year, month: month, day: day)))
            #expect(DCCDate.date(text) == expected, "\(text)")
            let instant = expected.addingTimeInterval(Double.random(in: 0..<86_400, using: &generator))
            #expect(DCCDate.year(of: instant) == calendar.component(.year, from: instant), "\(instant)")
        }
        // Year boundaries, one second either side.
        for year in [1970, 1999, 2000, 2022, 2100] {
            let newYear = try #require(calendar.date(from: DateComponents(year: year, month: 1, day: 1)))
            #expect(DCCDate.year(of: newYear) == year)
            #expect(DCCDate.year(of: newYear.addingTimeInterval(-1)) == year - 1)
        }
    }

    @Test("malformed dates are refused", arguments: ["2022-4-14", "22-04-14", "2022-00-10", "2022-04-00", "2022-04-32", "2022/04/14", "2022-04-14 ", "+2022-04-14", "2022-+4-14", "2022-04-+1", "+202-04-14"])
    func badDates(text: String) {
        #expect(DCCDate.date(text) == nil)
    }
}
