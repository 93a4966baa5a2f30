extension DateTime {
    /// `plusTime`'s offsetting: the spec defines it by JavaScript's `setUTC<Unit>(getUTC<Unit>() + amount)`.
    /// So it works in UTC; days and hours are exact multiples of 24 h and 1 h; months and years keep the
    /// day of the month and let it overflow (2020-02-29 + 1 year = 2021-03-01, 2021-01-31 + 1 month =
    /// 2021-03-03); the time of day is kept.
    func adding(_ amount: Int64, _ unit: TimeUnit) throws(CertLogicError) -> DateTime {
        if amount == 0 { return self }
        switch unit {
        case .day: return try adding(milliseconds: amount, times: CivilCalendar.millisecondsPerDay)
        case .hour: return try adding(milliseconds: amount, times: 3_600_000)
        case .month: return try addingCalendarMonths(amount)
        case .year:
            let (months, overflow) = amount.multipliedReportingOverflow(by: 12)
            guard !overflow else { throw Self.outOfRange }
            return try addingCalendarMonths(months)
        }
    }

    private static let outOfRange = CertLogicError(.outOfRange, "plusTime leaves the representable date-time range")

    private func adding(milliseconds amount: Int64, times unit: Int64) throws(CertLogicError) -> DateTime {
        let (delta, productOverflow) = amount.multipliedReportingOverflow(by: unit)
        let (sum, sumOverflow) = millisecondsSinceEpoch.addingReportingOverflow(delta)
        guard !productOverflow, !sumOverflow else { throw Self.outOfRange }
        return try DateTime(millisecondsSinceEpoch: sum)
    }

    private func addingCalendarMonths(_ months: Int64) throws(CertLogicError) -> DateTime {
        // Whole years of months beyond JavaScript's range fail before any arithmetic could overflow.
        guard months > -12 * 1_000_000, months < 12 * 1_000_000 else { throw Self.outOfRange }
        let (days, millisecondOfDay) = dayAndTime
        let date = CivilCalendar.date(days: days)
        let monthIndex = CivilCalendar.floorDivision(date.month - 1 + months, by: 12)
        let newDays = CivilCalendar.days(year: date.year + monthIndex.quotient, month: monthIndex.remainder + 1, day: date.day)
        return try DateTime(millisecondsSinceEpoch: newDays * CivilCalendar.millisecondsPerDay + millisecondOfDay)
    }
}
