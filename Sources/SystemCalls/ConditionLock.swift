
import Glibc

/// A pthread mutex with a condition variable whose timed waits run on CLOCK_MONOTONIC.
///
/// In the system-call layer because the pipeline, the daemon, the lamps and the status socket all lock with it.
///
/// Why not NSCondition or Synchronization.Mutex: NSCondition's deadlines are wall-clock dates, and a Pi
/// without a real-time clock jumps its wall clock when NTP first syncs; Mutex has no condition variable.
public final class ConditionLock: @unchecked Sendable {
    // Heap-allocated: pthread objects must not move, and Swift may move stored properties.
    private let mutex: UnsafeMutablePointer<pthread_mutex_t>
    private let condition: UnsafeMutablePointer<pthread_cond_t>

    public init() {
        mutex = .allocate(capacity: 1)
        mutex.initialize(to: pthread_mutex_t())
        pthread_mutex_init(mutex, nil)
        condition = .allocate(capacity: 1)
        condition.initialize(to: pthread_cond_t())
        var attributes = pthread_condattr_t()
        pthread_condattr_init(&attributes)
        #if os(Linux)
        pthread_condattr_setclock(&attributes, CLOCK_MONOTONIC)
        #endif
        pthread_cond_init(condition, &attributes)
        pthread_condattr_destroy(&attributes)
    }

    deinit {
        pthread_cond_destroy(condition)
        pthread_mutex_destroy(mutex)
        condition.deallocate()
        mutex.deallocate()
    }

    public func lock() {
        pthread_mutex_lock(mutex)
    }

    public func unlock() {
        pthread_mutex_unlock(mutex)
    }

    public func withLock<Result, Failure: Error>(_ body: () throws(Failure) -> Result) throws(Failure) -> Result {
        lock()
        defer { unlock() }
        return try body()
    }

    /// Wakes every waiter. Call with the lock held (or just after changing the state under it).
    public func broadcast() {
        pthread_cond_broadcast(condition)
    }

    /// Waits, with the lock held, until woken or `deadline` (on the real monotonic clock) passes.
    /// Spurious wake-ups happen: callers re-check their condition in a loop.
    public func wait(until deadline: MonotonicInstant) {
        #if os(Linux)
        var time = timespec(
            tv_sec: Int(deadline.nanoseconds / 1_000_000_000), tv_nsec: Int(deadline.nanoseconds % 1_000_000_000))
        _ = pthread_cond_timedwait(condition, mutex, &time)
        #else
        let remaining = deadline.duration(since: .now()).clampedNanoseconds
        var time = timespec(tv_sec: Int(remaining / 1_000_000_000), tv_nsec: Int(remaining % 1_000_000_000))
        _ = pthread_cond_timedwait_relative_np(condition, mutex, &time)
        #endif
    }

    /// Waits, with the lock held, until woken. Callers re-check their condition in a loop.
    public func wait() {
        pthread_cond_wait(condition, mutex)
    }
}
