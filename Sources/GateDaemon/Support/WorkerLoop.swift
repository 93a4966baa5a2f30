import Frames
import Lamps
import ScanPipeline
import SystemCalls

/// A small loop on its own OS thread: runs `body`, then waits the time it returned, or less when kicked.
///
/// The lamps and the trust housekeeping use it. Their waits must run on the monotonic clock (a Pi without a
/// real-time clock steps its wall clock when NTP syncs; a relay pulse must not stretch because of that) and
/// their work may block briefly (sysfs writes, the trust store's lock), which must not tie up Swift's
/// cooperative pool.
final class WorkerLoop: @unchecked Sendable {
    // @unchecked: `kicked`, `stopping` and `thread` are guarded by `condition`.
    private let condition = ConditionLock()
    private var kicked = false
    private var stopping = false
    private var thread: JoinableThread?
    private let body: @Sendable () -> Duration

    /// - Parameter body: one round of work; returns how long to wait before the next.
    init(body: @escaping @Sendable () -> Duration) {
        self.body = body
    }

    /// Starts the thread; false when the system refuses one.
    func start() -> Bool {
        condition.withLock {
            guard thread == nil, !stopping else { return thread != nil }
            thread = JoinableThread.start { [self] in loop() }
            return thread != nil
        }
    }

    /// Runs the next round now instead of at the end of the current wait.
    func kick() {
        condition.withLock {
            kicked = true
            condition.broadcast()
        }
    }

    /// Ends the loop after its current round and waits for the thread. Idempotent.
    func stop() {
        let running: JoinableThread? = condition.withLock {
            stopping = true
            condition.broadcast()
            defer { thread = nil }
            return thread
        }
        if let running, !running.isCurrent { running.join() }
    }

    private func loop() {
        while true {
            let wait = body()
            condition.lock()
            let deadline = MonotonicInstant.now().advanced(by: max(wait, .zero))
            while !kicked, !stopping, MonotonicInstant.now() < deadline {
                condition.wait(until: deadline)
            }
            kicked = false
            let finished = stopping
            condition.unlock()
            if finished { return }
        }
    }
}

extension WorkerLoop {
    /// The loop that drives a lamp panel: ticks it and sleeps until its next change (at most a second; events
    /// `kick` it sooner). A failing output is retried every half second.
    static func ticking(
        _ panel: LampPanel, clock: MonotonicClock, failed: @escaping @Sendable (LampError) -> Void = { _ in },
        recovered: @escaping @Sendable () -> Void = {}
    ) -> WorkerLoop {
        WorkerLoop {
            do throws(LampError) {
                let next = try panel.tick()
                recovered()
                guard let next else { return .seconds(1) }
                return min(max(next - clock.now().sinceOrigin, .milliseconds(1)), .seconds(1))
            } catch {
                failed(error)
                return .milliseconds(500)
            }
        }
    }
}
