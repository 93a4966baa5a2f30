import Foundation

/// Collects console lines from any thread.
final class LineCollector: @unchecked Sendable {
    private let lock = NSLock()
    private var lines: [String] = []

    var all: [String] { lock.withLock { lines } }

    func append(_ line: String) {
        lock.withLock { lines.append(line) }
    }

    func clear() {
        lock.withLock { lines.removeAll() }
    }
}
