import Foundation
import Lamps
import SystemCalls

/// A clock that moves only when a test advances it.
final class TestClock: @unchecked Sendable {
    private let lock = NSLock()
    private var current: Duration = .seconds(100)

    var now: Duration { lock.withLock { current } }

    func advance(by step: Duration) {
        lock.withLock { current += step }
    }

    /// The panel's clock: `now` as an instant, so the panel sees exactly `now` as its time since the origin.
    var lampClock: MonotonicClock {
        MonotonicClock(now: { [self] in MonotonicInstant(nanoseconds: UInt64(now.clampedNanoseconds)) }, sleep: { [self] in advance(by: $0) })
    }
}
