import Foundation
import Lamps

/// An output that records every level it is driven to, and can be told to fail.
final class RecordingOutput: LampOutput, @unchecked Sendable {
    let name: String
    private let lock = NSLock()
    private var recorded: [Bool] = []
    private var failing = false

    init(name: String) {
        self.name = name
    }

    var history: [Bool] { lock.withLock { recorded } }

    func failWrites(_ fail: Bool) {
        lock.withLock { failing = fail }
    }

    func set(_ on: Bool) throws(LampError) {
        let shouldFail = lock.withLock { failing }
        if shouldFail { throw LampError(.writeFailed, "write(\(name)): injected failure") }
        lock.withLock { recorded.append(on) }
    }
}
