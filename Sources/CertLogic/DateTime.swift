/// An instant with millisecond precision, as CertLogic's date-times are: milliseconds since
/// 1970-01-01T00:00:00Z, within JavaScript's `Date` range so results agree with certlogic-js.
/// Offsets given in the input only shift the instant; nothing keeps them.
struct DateTime: Sendable, Hashable, Comparable {
    /// JavaScript's `Date` range: ±100,000,000 days around the epoch.
    static let maxMagnitude: Int64 = 8_640_000_000_000_000

    let millisecondsSinceEpoch: Int64

    init(millisecondsSinceEpoch: Int64) throws(CertLogicError) {
        guard millisecondsSinceEpoch >= -Self.maxMagnitude, millisecondsSinceEpoch <= Self.maxMagnitude else {
            throw CertLogicError(.outOfRange, "date-time beyond ±8.64e15 ms around 1970")
        }
        self.millisecondsSinceEpoch = millisecondsSinceEpoch
    }

    static func < (lhs: DateTime, rhs: DateTime) -> Bool { lhs.millisecondsSinceEpoch < rhs.millisecondsSinceEpoch }

    /// Day number and millisecond of that (UTC) day.
    var dayAndTime: (days: Int64, millisecondOfDay: Int64) {
        let split = CivilCalendar.floorDivision(millisecondsSinceEpoch, by: CivilCalendar.millisecondsPerDay)
        return (split.quotient, split.remainder)
    }
}
