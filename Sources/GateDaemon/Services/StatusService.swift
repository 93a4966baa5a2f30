import DaemonSupport
import GateVocabulary
import Logging
import ServiceLifecycle

/// Serves the status snapshot as one JSON line to each client of the status socket (`gatecheck status`).
/// A socket that cannot be created is logged and the gate keeps working: counters are for staff, verdicts
/// for travellers.
struct StatusService: Service {
    let gate: Gate

    func run() async throws {
        let path = gate.configuration.status.socketPath
        let server: StatusSocketServer
        do {
            server = try StatusSocketServer(path: path) { [gate] in Array(gate.snapshot().json().utf8) }
        } catch {
            gate.logger.error("status: no status socket at \(path): \(error)")
            try? await gracefulShutdown()
            return
        }
        server.start()
        gate.logger.debug("status: serving on \(path)")
        try? await gracefulShutdown()
        server.stop()
    }
}
