import TrustStore

/// How stale trust and clock doubt are handled (`[trust]`); the inputs of TrustStore's `TrustedClock`.
public struct TrustPolicy: Sendable, Hashable {
    public var stale: TrustedClock.StalePolicy = .fail
    /// Trust older than this since its issuedAt is stale even before its notAfter; nil = only notAfter.
    public var maximumAge: Duration?
    /// Clock differences below this are not called untrusted (`TrustedClock.tolerance`).
    public var clockSkew: Duration = .seconds(300)

    public init() {}
}
