import Foundation
import SystemCalls
import Testing

/// The package's two clocks: injectable values, and the system ones move the right way.
@Suite("Clocks")
struct ClockTests {
    @Test("a monotonic instant's time line is its nanoseconds since the origin")
    func sinceOrigin() {
        #expect(MonotonicInstant(nanoseconds: 1_500_000_000).sinceOrigin == .milliseconds(1_500))
        #expect(MonotonicInstant(nanoseconds: .max).sinceOrigin > .seconds(Int64.max / 1_000_000_000 - 1))
    }

    @Test("the system monotonic clock does not go back")
    func monotonicSystem() {
        let first = MonotonicClock.system.now()
        #expect(MonotonicClock.system.now() >= first)
    }

    @Test("an injected wall clock reads the date it is given")
    func wallInjected() {
        let date = Date(timeIntervalSince1970: 1_700_000_000)
        #expect(WallClock(now: { date }).now() == date)
    }

    @Test("the system wall clock reads the real-time clock")
    func wallSystem() {
        let before = Date()
        let read = WallClock.system.now()
        #expect(read >= before && read <= Date())
    }
}
