/// A verifier of one credential format, holding that format's trust: what ``CredentialVerifier`` dispatches to.
///
/// Each format's module provides one (``HC1Verifier`` here; SMART Health Cards, ICAO seals and NZCP in their own
/// modules). A verifier is a Sendable value over immutable trust, and never throws: every problem is a step of
/// the report it returns, with a stable reason code.
public protocol FormatVerifier: Sendable {
    /// The format this verifier reads; ``CredentialVerifier`` hands it only payloads of this shape.
    var format: CredentialFormat { get }
    /// The steps this format has, in report order: a pass needs every one of them ok.
    var checkedSteps: [VerificationStep] { get }
    func verify(payload: [UInt8], in context: VerificationContext) -> VerificationReport
}

extension FormatVerifier {
    /// A report for a payload of this format that failed before (or while) decoding.
    public func decodeFailure(_ error: CredentialError, in context: VerificationContext) -> VerificationReport {
        VerificationReport(decodeFailure: error, format: format, checkedSteps: checkedSteps, in: context)
    }
}

/// A format whose credential may be printed across several codes (SMART Health Card chunks, `shc:/1/3/…`).
public protocol MultiPartFormatVerifier: FormatVerifier {
    /// Whether `payload` is one part of several: it can only be verified together with the others.
    func isPart(_ payload: [UInt8]) -> Bool
    /// The parts of one credential, in any order.
    func verify(parts: [[UInt8]], in context: VerificationContext) -> VerificationReport
}
