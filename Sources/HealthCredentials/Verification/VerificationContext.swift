import Foundation

/// The inputs every policy sees. Time is an input: nothing in HealthCredentials reads a clock.
public struct VerificationContext: Sendable {
    public var now: Date
    /// Tolerance for clocks that differ between issuer and verifier (applied to iat and sample time).
    public var clockSkew: TimeInterval

    public init(now: Date, clockSkew: TimeInterval = VerificationContext.defaultClockSkew) {
        self.now = now
        self.clockSkew = clockSkew
    }

    public static let defaultClockSkew: TimeInterval = 300
}
