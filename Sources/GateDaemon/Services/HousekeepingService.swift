import DaemonSupport
import FoundationEssentials
import GateVocabulary
import Logging
import ScanPipeline
import ServiceLifecycle
import SystemCalls

/// Once a second, on its own thread: show a USB import's progress, reload the trust bundle if its file
/// changed (an import by `gatecheck trust import` renames a new one into place), re-judge trust age and the
/// clock, read the last trust fetch's outcome, and rewrite the Prometheus text file every `prometheusPeriod`.
struct HousekeepingService: Service {
    let gate: Gate
    static let period: Duration = .seconds(1)
    static let prometheusPeriod: Duration = .seconds(15)

    func run() async throws {
        let textfile = gate.configuration.status.prometheusTextfile
        let rounds = RoundCounter()
        let loop = WorkerLoop { [gate] in
            gate.checkImportProgress()
            gate.checkTrust()
            gate.checkFetchState()
            if let textfile, rounds.next() % Int(Self.prometheusPeriod / Self.period) == 0 {
                Self.writePrometheus(gate, to: textfile)
            }
            return Self.period
        }
        guard loop.start() else {
            gate.logger.critical("housekeeping: cannot start its thread")
            throw CancellationError()
        }
        try? await gracefulShutdown()
        loop.stop()
        if let textfile { Self.writePrometheus(gate, to: textfile) }
    }

    static func writePrometheus(_ gate: Gate, to path: String) {
        do {
            try TextfileWriter(path: path).write(gate.snapshot().prometheusText())
        } catch {
            gate.logger.warning("status: cannot write \(path): \(error)")
        }
    }
}

/// Counts housekeeping rounds (the loop body is @Sendable).
private final class RoundCounter: @unchecked Sendable {
    private let lock = ConditionLock()
    private var count = 0

    func next() -> Int {
        lock.withLock {
            defer { count += 1 }
            return count
        }
    }
}
