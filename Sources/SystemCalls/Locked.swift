/// A value behind a lock, for state shared between the capture thread, the scan thread and callers.
public final class Locked<Value>: @unchecked Sendable {
    private let lock = ConditionLock()
    // Only touched inside `withLock`.
    private var value: Value

    public init(_ value: Value) {
        self.value = value
    }

    public func withLock<Result>(_ body: (inout Value) -> Result) -> Result {
        lock.withLock { body(&value) }
    }
}
