import Foundation

/// ISO 8601 timestamps without Foundation's locale-dependent formatters: exact, and the same on
/// every machine.
enum Timestamp {
    /// The gateway schema's `ValidFrom`/`ValidTo` form, `YYYY-MM-DDThh:mm:ss(Z|±hh:mm)`, naming a real
    /// instant (month, day of month, hour and offset in range, as JSON Schema's `date-time` demands).
    static func parseGateway(_ text: String) -> Date? {
        let b = Array(text.utf8)
        guard b.count == 20 || b.count == 25 else { return nil }
        guard b[4] == ascii("-"), b[7] == ascii("-"), b[10] == ascii("T"), b[13] == ascii(":"), b[16] == ascii(":"),
            let year = digits(b, 0, 4), let month = digits(b, 5, 2), let day = digits(b, 8, 2),
            let hour = digits(b, 11, 2), let minute = digits(b, 14, 2), let second = digits(b, 17, 2)
        else { return nil }
        var offset = 0
        if b.count == 20 {
            guard b[19] == ascii("Z") else { return nil }
        } else {
            guard b[19] == ascii("+") || b[19] == ascii("-"), b[22] == ascii(":"),
                let offsetHours = digits(b, 20, 2), let offsetMinutes = digits(b, 23, 2),
                offsetHours <= 23, offsetMinutes <= 59
            else { return nil }
            offset = (offsetHours * 60 + offsetMinutes) * 60 * (b[19] == ascii("-") ? -1 : 1)
        }
        return date(year, month, day, hour, minute, second, milliseconds: 0, offsetSeconds: offset)
    }

    /// What certlogic-js's `dateFromString` accepts (the rule-test tooling reads `validationClock`
    /// with it): `YYYY-MM-DD`, or `YYYY-MM-DDThh:mm:ss` with an optional fraction (milliseconds kept)
    /// and an optional `Z` or `±h[h][[:]mm]` offset, UTC when absent.
    static func parseLenient(_ text: String) -> Date? {
        let b = Array(text.utf8)
        guard b.count >= 10, b[4] == ascii("-"), b[7] == ascii("-"),
            let year = digits(b, 0, 4), let month = digits(b, 5, 2), let day = digits(b, 8, 2)
        else { return nil }
        if b.count == 10 { return date(year, month, day, 0, 0, 0, milliseconds: 0, offsetSeconds: 0) }
        guard b.count >= 19, b[10] == ascii("T"), b[13] == ascii(":"), b[16] == ascii(":"),
            let hour = digits(b, 11, 2), let minute = digits(b, 14, 2), let second = digits(b, 17, 2)
        else { return nil }
        var i = 19
        var milliseconds = 0
        if i < b.count, b[i] == ascii(".") {
            i += 1
            let start = i
            while i < b.count, isDigit(b[i]) { i += 1 }
            guard i > start else { return nil }
            for k in 0..<3 { milliseconds = milliseconds * 10 + (start + k < i ? Int(b[start + k] - 0x30) : 0) }
        }
        var offset = 0
        if i < b.count {
            if b[i] == ascii("Z") {
                i += 1
            } else {
                guard b[i] == ascii("+") || b[i] == ascii("-") else { return nil }
                let sign = b[i] == ascii("-") ? -1 : 1
                i += 1
                let hourStart = i
                while i < b.count, i - hourStart < 2, isDigit(b[i]) { i += 1 }
                guard let hours = digits(b, hourStart, i - hourStart), i > hourStart else { return nil }
                if i < b.count, b[i] == ascii(":") { i += 1 }
                var minutes = 0
                if i < b.count {
                    guard let value = digits(b, i, 2) else { return nil }
                    minutes = value
                    i += 2
                }
                guard hours <= 23, minutes <= 59 else { return nil }
                offset = sign * (hours * 60 + minutes) * 60
            }
        }
        guard i == b.count else { return nil }
        return date(year, month, day, hour, minute, second, milliseconds: milliseconds, offsetSeconds: offset)
    }

    /// `YYYY-MM-DDThh:mm:ssZ`, whole seconds in UTC: what DGCA writes for `validationClock`.
    static func dateTimeString(_ date: Date) -> String {
        let (days, secondOfDay) = split(date)
        let (year, month, day) = civil(fromDays: days)
        return "\(pad(year, 4))-\(pad(month, 2))-\(pad(day, 2))T\(pad(secondOfDay / 3600, 2)):"
            + "\(pad(secondOfDay / 60 % 60, 2)):\(pad(secondOfDay % 60, 2))Z"
    }

    /// `YYYY-MM-DD` of the UTC day: what DGCA writes for `exp` and `iat`.
    static func dateString(_ date: Date) -> String {
        let (year, month, day) = civil(fromDays: split(date).days)
        return "\(pad(year, 4))-\(pad(month, 2))-\(pad(day, 2))"
    }

    // MARK: - Helpers

    private static func ascii(_ character: Unicode.Scalar) -> UInt8 { UInt8(ascii: character) }
    private static func isDigit(_ byte: UInt8) -> Bool { byte >= 0x30 && byte <= 0x39 }

    private static func digits(_ b: [UInt8], _ start: Int, _ count: Int) -> Int? {
        guard count > 0, start + count <= b.count else { return nil }
        var value = 0
        for byte in b[start..<start + count] {
            guard isDigit(byte) else { return nil }
            value = value * 10 + Int(byte - 0x30)
        }
        return value
    }

    private static func date(
        _ year: Int, _ month: Int, _ day: Int, _ hour: Int, _ minute: Int, _ second: Int, milliseconds: Int, offsetSeconds: Int
    ) -> Date? {
        guard (1...12).contains(month), day >= 1, day <= daysInMonth(year, month),
            hour <= 23, minute <= 59, second <= 59
        else { return nil }
        let days = daysFromCivil(year, month, day)
        let seconds = days * 86_400 + hour * 3600 + minute * 60 + second - offsetSeconds
        return Date(timeIntervalSince1970: Double(seconds) + Double(milliseconds) / 1000)
    }

    private static func daysInMonth(_ year: Int, _ month: Int) -> Int {
        switch month {
        case 2: (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    // Howard Hinnant's days-from-civil and its inverse (proleptic Gregorian, day 0 = 1970-01-01).
    private static func daysFromCivil(_ y0: Int, _ m: Int, _ d: Int) -> Int {
        let y = m <= 2 ? y0 - 1 : y0
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    private static func civil(fromDays z0: Int) -> (Int, Int, Int) {
        let z = z0 + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        return (yoe + era * 400 + (m <= 2 ? 1 : 0), m, d)
    }

    /// Whole days since 1970 and the second within that UTC day; clamped to years 0...9999.
    private static func split(_ date: Date) -> (days: Int, secondOfDay: Int) {
        let limit = 253_402_300_799.0  // 9999-12-31T23:59:59Z
        let seconds = Int(min(max(date.timeIntervalSince1970.rounded(.down), -62_167_219_200), limit))
        let days = seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400
        return (days, seconds - days * 86_400)
    }

    private static func pad(_ value: Int, _ width: Int) -> String {
        let text = String(value)
        return text.count >= width ? text : String(repeating: "0", count: width - text.count) + text
    }
}
