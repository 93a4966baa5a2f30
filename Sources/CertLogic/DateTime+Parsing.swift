extension DateTime {
    /// Parses `plusTime`'s input: a partial date (`YYYY`, `YYYY-MM`) rounded up like `dccDateOfBirth`,
    /// a date (midnight UTC), or a date-time in one of the spec's formats (a missing offset means `Z`;
    /// fractions are truncated to milliseconds).
    ///
    /// The spec leaves non-existent dates and times ("2021-09-99", "2022-13") undefined; they are
    /// refused here, so a malformed date can only make a rule fail.
    static func parse(plusTimeInput text: String) throws(CertLogicError) -> DateTime {
        var scanner = DateScanner(text)
        if let partial = try parsePartialDate(&scanner) { return partial }
        guard let days = try parseFullDate(&scanner, text: text) else { throw invalid(text) }
        if scanner.isAtEnd { return try midnight(days) }
        guard scanner.skip("T") else { throw invalid(text) }
        let time = try parseTime(&scanner, text: text)
        let offset = try parseOffset(&scanner, text: text)
        guard scanner.isAtEnd else { throw invalid(text) }
        return try DateTime(millisecondsSinceEpoch: days * CivilCalendar.millisecondsPerDay + time - offset)
    }

    /// Parses a DCC date of birth: `YYYY` and `YYYY-MM` become the last day they allow ("beneficial
    /// interpretation"), `YYYY-MM-DD` that day; all at midnight UTC. Nothing else is accepted.
    static func parse(dateOfBirth text: String) throws(CertLogicError) -> DateTime {
        var scanner = DateScanner(text)
        if let partial = try parsePartialDate(&scanner) { return partial }
        guard let days = try parseFullDate(&scanner, text: text), scanner.isAtEnd else { throw invalid(text) }
        return try midnight(days)
    }

    /// Midnight UTC starting day number `days`.
    private static func midnight(_ days: Int64) throws(CertLogicError) -> DateTime {
        try DateTime(millisecondsSinceEpoch: days * CivilCalendar.millisecondsPerDay)
    }

    private static func invalid(_ text: String) -> CertLogicError {
        // Only the length: the text may be a date of birth from the credential, which no error may carry.
        CertLogicError(.invalidDateTime, "a string of \(text.utf8.count) bytes is not an accepted date or date-time")
    }

    /// `YYYY` → December 31st; `YYYY-MM` → the month's last day. Nil (scanner untouched) for anything longer.
    private static func parsePartialDate(_ scanner: inout DateScanner) throws(CertLogicError) -> DateTime? {
        let text = scanner.text
        if scanner.count == 4, let year = scanner.digits(at: 0, count: 4) {
            return try midnight(CivilCalendar.days(year: year, month: 12, day: 31))
        }
        if scanner.count == 7, let year = scanner.digits(at: 0, count: 4), scanner.byte(at: 4) == UInt8(ascii: "-"),
            let month = scanner.digits(at: 5, count: 2)
        {
            guard (1...12).contains(month) else { throw invalid(text) }
            let lastDay = CivilCalendar.daysInMonth(year: year, month: month)
            return try midnight(CivilCalendar.days(year: year, month: month, day: lastDay))
        }
        return nil
    }

    /// `YYYY-MM-DD` at the start, as a day number; nil when the text does not start that way.
    private static func parseFullDate(_ scanner: inout DateScanner, text: String) throws(CertLogicError) -> Int64? {
        guard let year = scanner.readDigits(4), scanner.skip("-"), let month = scanner.readDigits(2), scanner.skip("-"),
            let day = scanner.readDigits(2)
        else { return nil }
        guard (1...12).contains(month), (1...CivilCalendar.daysInMonth(year: year, month: month)).contains(day) else {
            throw invalid(text)
        }
        return CivilCalendar.days(year: year, month: month, day: day)
    }

    /// `hh:mm:ss[.S…]` as milliseconds into the day; digits after the third decimal are ignored.
    private static func parseTime(_ scanner: inout DateScanner, text: String) throws(CertLogicError) -> Int64 {
        guard let hour = scanner.readDigits(2), scanner.skip(":"), let minute = scanner.readDigits(2), scanner.skip(":"),
            let second = scanner.readDigits(2), hour <= 23, minute <= 59, second <= 59
        else { throw invalid(text) }
        var millisecond: Int64 = 0
        if scanner.skip(".") {
            var decimals = 0
            while let digit = scanner.readDigits(1) {
                if decimals < 3 { millisecond = millisecond * 10 + digit }
                decimals += 1
            }
            guard decimals > 0 else { throw invalid(text) }
            for _ in decimals..<max(decimals, 3) { millisecond *= 10 }
        }
        return ((hour * 60 + minute) * 60 + second) * 1000 + millisecond
    }

    /// The offset east of UTC in milliseconds: none or `Z` is 0; else `[+-]` with `h`, `hh`, `hmm`,
    /// `hhmm`, `h:mm` or `hh:mm`.
    private static func parseOffset(_ scanner: inout DateScanner, text: String) throws(CertLogicError) -> Int64 {
        if scanner.isAtEnd || scanner.skip("Z") { return 0 }
        let sign: Int64
        if scanner.skip("+") {
            sign = 1
        } else if scanner.skip("-") {
            sign = -1
        } else {
            throw invalid(text)
        }
        var digits: [Int64] = []
        while digits.count < 5, let digit = scanner.readDigits(1) { digits.append(digit) }
        var hours: Int64
        var minutes: Int64 = 0
        switch digits.count {
        case 1: hours = digits[0]
        case 2: hours = digits[0] * 10 + digits[1]
        case 3: (hours, minutes) = (digits[0], digits[1] * 10 + digits[2])
        case 4: (hours, minutes) = (digits[0] * 10 + digits[1], digits[2] * 10 + digits[3])
        default: throw invalid(text)
        }
        if digits.count <= 2, scanner.skip(":") {
            guard let colonMinutes = scanner.readDigits(2) else { throw invalid(text) }
            minutes = colonMinutes
        }
        guard hours <= 23, minutes <= 59 else { throw invalid(text) }
        return sign * (hours * 60 + minutes) * 60_000
    }
}
