import Foundation

/// A value shared between threads (and with `@Sendable` closures) behind a lock.
public final class Shared<Value>: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: Value

    public init(_ value: Value) {
        stored = value
    }

    /// A copy of the value now.
    public var value: Value { lock.withLock { stored } }

    /// Runs `body` on the value with the lock held.
    @discardableResult
    public func withLock<T>(_ body: (inout Value) throws -> T) rethrows -> T {
        try lock.withLock { try body(&stored) }
    }
}

/// A list appended to from any thread.
public final class Collected<Item: Sendable>: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: [Item] = []

    public init() {}

    public func append(_ item: Item) { lock.withLock { stored.append(item) } }
    public func clear() { lock.withLock { stored.removeAll() } }
    public var items: [Item] { lock.withLock { stored } }
}
