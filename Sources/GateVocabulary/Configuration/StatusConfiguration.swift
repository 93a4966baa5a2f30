/// Where counters are published (`[status]`).
public struct StatusConfiguration: Sendable, Hashable {
    /// Unix socket serving the counters as JSON (`gatecheck status` reads it).
    public var socketPath: String = "/run/gatecheck/status.sock"
    /// File rewritten with Prometheus text exposition for node_exporter's textfile collector; nil = off.
    public var prometheusTextfile: String?

    public init() {}
}
