/// The units `plusTime` accepts, as spelled in rules.
enum TimeUnit: String, Sendable, CaseIterable {
    case year
    case month
    case day
    case hour
}
