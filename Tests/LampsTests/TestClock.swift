import Foundation
import Lamps

/// A clock that moves only when a test advances it.
final class TestClock: @unchecked Sendable {
    private let lock = NSLock()
    private var current: Duration = .seconds(100)

    var now: Duration { lock.withLock { current } }

    func advance(by step: Duration) {
        lock.withLock { current += step }
    }

    var lampClock: LampClock {
        LampClock(now: { [self] in now })
    }
}
