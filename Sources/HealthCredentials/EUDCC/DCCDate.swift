import FoundationEssentials

/// Strict parsing of the date formats the DCC schema uses, without locale-dependent formatters.
enum DCCDate {
    /// `YYYY-MM-DD` → midnight UTC. Month and day ranges are checked (not day-of-month per month).
    static func date(_ text: String) -> Date? {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        // Digits only: `Int("+4")` would accept a sign.
        guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
              parts.allSatisfy({ $0.utf8.allSatisfy { (48...57).contains($0) } }),
              let year = Int(parts[0]), let month = Int(parts[1]), let day = Int(parts[2]),
              (1...12).contains(month), (1...31).contains(day)
        else { return nil }
        return utc(year: year, month: month, day: day)
    }

    /// RFC 3339 date-time: `YYYY-MM-DDTHH:MM:SS[.fraction](Z|±HH:MM|±HHMM)`.
    /// A missing offset is read as UTC, a tolerated real-world quirk.
    static func dateTime(_ text: String) -> Date? {
        let characters = Array(text.utf8)
        guard characters.count >= 19, characters[10] == UInt8(ascii: "T") || characters[10] == UInt8(ascii: " "),
              let day = date(String(decoding: characters[0..<10], as: UTF8.self)),
              characters[13] == UInt8(ascii: ":"), characters[16] == UInt8(ascii: ":"),
              let hour = number(characters[11..<13]), let minute = number(characters[14..<16]),
              let second = number(characters[17..<19]), hour < 24, minute < 60, second < 61
        else { return nil }
        var index = 19
        var fraction = 0.0
        if index < characters.count, characters[index] == UInt8(ascii: ".") {
            let start = index + 1
            index = start
            while index < characters.count, (48...57).contains(characters[index]) { index += 1 }
            guard index > start, let digits = Double("0." + String(decoding: characters[start..<index], as: UTF8.self)) else {
                return nil
            }
            fraction = digits
        }
        var offset = 0
        if index < characters.count {
            let sign = characters[index]
            if sign == UInt8(ascii: "Z") || sign == UInt8(ascii: "z") {
                index += 1
            } else if sign == UInt8(ascii: "+") || sign == UInt8(ascii: "-") {
                var rest = Array(characters[(index + 1)...])
                if rest.count == 5, rest[2] == UInt8(ascii: ":") { rest.remove(at: 2) }
                guard rest.count == 4, let hours = number(rest[0..<2]), let minutes = number(rest[2..<4]),
                      hours < 24, minutes < 60
                else { return nil }
                offset = (hours * 3600 + minutes * 60) * (sign == UInt8(ascii: "+") ? 1 : -1)
                index = characters.count
            } else {
                return nil
            }
        }
        guard index == characters.count else { return nil }
        let seconds = Double(hour * 3600 + minute * 60 + second - offset) + fraction
        return day.addingTimeInterval(seconds)
    }

    /// A date where the schema wants `YYYY-MM-DD`; a full date-time is tolerated (BG, PL, SG write
    /// those) and read as the calendar date it names.
    static func dateOrDateTime(_ text: String) -> Date? {
        if let day = date(text) { return day }
        guard dateTime(text) != nil else { return nil }
        return date(String(text.prefix(10)))
    }

    /// Date of birth: `YYYY`, `YYYY-MM`, `YYYY-MM-DD` (schema 1.3 pattern `(19|20)\d\d(-\d\d){0,2}`) or empty.
    /// Returns the earliest instant the value can mean, or nil when it does not match.
    static func dateOfBirthLowerBound(_ text: String) -> Date?? {
        if text.isEmpty { return .some(nil) }
        var bytes = Array(text.utf8)
        // BG writes `1978-01-26T00:00:00`: a date with a midnight time, tolerated as the date.
        if bytes.count > 10, bytes[10] == UInt8(ascii: "T"), dateTime(text) != nil { bytes.removeSubrange(10...) }
        // YYYY, YYYY-MM or YYYY-MM-DD, digits only, year 19xx or 20xx.
        guard [4, 7, 10].contains(bytes.count), bytes[0] == UInt8(ascii: "1") && bytes[1] == UInt8(ascii: "9")
                || bytes[0] == UInt8(ascii: "2") && bytes[1] == UInt8(ascii: "0"),
              bytes.indices.allSatisfy({ [4, 7].contains($0) ? bytes[$0] == UInt8(ascii: "-") : (48...57).contains(bytes[$0]) }),
              let year = number(bytes[0..<4])
        else { return nil }
        let month = bytes.count >= 7 ? number(bytes[5..<7]) ?? 1 : 1
        let day = bytes.count == 10 ? number(bytes[8..<10]) ?? 1 : 1
        if bytes.count == 10, date(String(decoding: bytes, as: UTF8.self)) == nil { return nil }
        return .some(utc(year: year, month: min(max(month, 1), 12), day: min(max(day, 1), 31)))
    }

    /// The UTC calendar year of `date`.
    static func year(of date: Date) -> Int {
        var days = Int((date.timeIntervalSince1970 / 86_400).rounded(.down)) + 719_468
        let era = (days >= 0 ? days : days - 146_096) / 146_097
        days -= era * 146_097
        let yearOfEra = (days - days / 1460 + days / 36_524 - days / 146_096) / 365
        let dayOfYear = days - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let monthIndex = (5 * dayOfYear + 2) / 153
        return yearOfEra + era * 400 + (monthIndex >= 10 ? 1 : 0)
    }

    private static func number(_ digits: ArraySlice<UInt8>) -> Int? {
        guard digits.allSatisfy({ (48...57).contains($0) }) else { return nil }
        return digits.reduce(0) { $0 * 10 + Int($1 - 48) }
    }

    /// Days-from-civil (proleptic Gregorian), so no Calendar or time zone is involved.
    private static func utc(year: Int, month: Int, day: Int) -> Date {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        let days = era * 146_097 + dayOfEra - 719_468
        return Date(timeIntervalSince1970: Double(days) * 86_400)
    }
}
