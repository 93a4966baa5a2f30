extension DateTime {
    /// `YYYY-MM-DDThh:mm:ss.sssZ`, as JavaScript's `Date.toISOString` writes it (years outside
    /// 0...9999 as a signed six-digit year). Used when a date-time ends up in an evaluation's result.
    var iso8601: String {
        let (days, millisecondOfDay) = dayAndTime
        let date = CivilCalendar.date(days: days)
        let year: String
        if (0...9999).contains(date.year) {
            year = Self.padded(date.year, 4)
        } else {
            year = (date.year < 0 ? "-" : "+") + Self.padded(abs(date.year), 6)
        }
        let hour = millisecondOfDay / 3_600_000
        let minute = millisecondOfDay / 60_000 % 60
        let second = millisecondOfDay / 1000 % 60
        let millisecond = millisecondOfDay % 1000
        return "\(year)-\(Self.padded(date.month, 2))-\(Self.padded(date.day, 2))T"
            + "\(Self.padded(hour, 2)):\(Self.padded(minute, 2)):\(Self.padded(second, 2)).\(Self.padded(millisecond, 3))Z"
    }

    private static func padded(_ value: Int64, _ width: Int) -> String {
        let digits = String(value)
        return String(repeating: "0", count: max(0, width - digits.count)) + digits
    }
}
