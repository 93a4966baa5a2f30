import Frames
import SystemCalls

/// A single-slot handoff from the capture thread to the scan thread: always the newest frame, never a queue.
///
/// `put` replaces a frame that has not been taken yet and counts it as dropped, so however slow scanning
/// gets, the scanner works on the most recent picture and the backlog is at most one frame. `take` blocks
/// (up to a timeout) until a frame is there. Safe to use from any threads.
public final class LatestFrameMailbox: @unchecked Sendable {
    // All state below is guarded by `lock`.
    private let lock = ConditionLock()
    private var slot: Frame?
    private var closed = false
    private var putCount: UInt64 = 0
    private var dropCount: UInt64 = 0

    public init() {}

    /// Offers a frame, replacing (and counting as dropped) any frame not yet taken.
    ///
    /// - Returns: false, discarding the frame, once the mailbox is closed.
    @discardableResult
    public func put(_ frame: Frame) -> Bool {
        let (accepted, replaced) = lock.withLock { () -> (Bool, Frame?) in
            guard !closed else { return (false, nil) }
            putCount += 1
            let previous = slot
            if previous != nil { dropCount += 1 }
            slot = frame
            lock.broadcast()
            return (true, previous)
        }
        // The replaced frame dies here, after the lock is released, so freeing its pixels never delays `take`.
        _ = consume replaced
        return accepted
    }

    /// The newest frame, waiting up to `timeout` for one; nil on timeout, or when closed and empty.
    /// A frame put before ``close()`` can still be taken.
    public func take(timeout: Duration) -> Frame? {
        let deadline = MonotonicInstant.now().advanced(by: timeout)
        return lock.withLock {
            while slot == nil && !closed {
                if MonotonicInstant.now() >= deadline { return nil }
                lock.wait(until: deadline)
            }
            defer { slot = nil }
            return slot
        }
    }

    /// Refuses further frames and wakes every waiting ``take(timeout:)``. Idempotent.
    public func close() {
        lock.withLock {
            closed = true
            lock.broadcast()
        }
    }

    public var isClosed: Bool { lock.withLock { closed } }

    /// Whether a frame is waiting; the mailbox never holds more than one.
    public var holdsFrame: Bool { lock.withLock { slot != nil } }

    /// Frames accepted by ``put(_:)`` so far.
    public var framesPut: UInt64 { lock.withLock { putCount } }

    /// Frames replaced before anyone took them.
    public var framesDropped: UInt64 { lock.withLock { dropCount } }
}
