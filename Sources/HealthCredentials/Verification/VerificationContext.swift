import FoundationEssentials

/// The inputs every policy sees. Time is an input: nothing in HealthCredentials reads a clock.
public struct VerificationContext: Sendable {
    public var now: Date
    /// Tolerance for clocks that differ between issuer and verifier (applied to iat and sample time).
    public var clockSkew: TimeInterval
    /// Whether the device is fit to decide; anything but `.fit` fails every verdict.
    public var fitness: Fitness

    public init(now: Date, clockSkew: TimeInterval = VerificationContext.defaultClockSkew, fitness: Fitness = .fit) {
        self.now = now
        self.clockSkew = clockSkew
        self.fitness = fitness
    }

    /// "I can't decide" is a fault, never a pass: stale trust or a clock that went backwards.
    public enum Fitness: Sendable, Hashable {
        case fit
        case trustStale(String)
        case clockUntrusted(String)
    }

    public static let defaultClockSkew: TimeInterval = 300
}
