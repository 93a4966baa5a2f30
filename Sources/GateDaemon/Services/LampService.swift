import ServiceLifecycle

/// Keeps the lamps running for the life of a configuration. The lamps start before any other service (so a
/// wrong LED name stops the daemon at once) and, as the first service in the group, stop last: on shutdown
/// every output goes off and the relay locks after capture and scanning have ended.
struct LampService: Service {
    let gate: Gate

    func run() async throws {
        defer { gate.stopLamps() }
        try? await gracefulShutdown()
    }
}
