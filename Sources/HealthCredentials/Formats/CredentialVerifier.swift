/// The one entry point for a scanned payload: recognises its format by shape and hands it to that format's
/// verifier, with the trust of that format's framework only.
///
/// A format with no verifier here (DIVOC, constrained seals, unknown shapes) fails as `unsupported-format`; a
/// supported format the gate's policy leaves out fails as `format-not-accepted`, before anything is decoded.
public struct CredentialVerifier: Sendable {
    private let verifiers: [CredentialFormat: any FormatVerifier]
    /// The formats a pass may come from.
    public let acceptedFormats: Set<CredentialFormat>

    /// - Parameters:
    ///   - verifiers: one per format; a later one replaces an earlier one of the same format.
    ///   - acceptedFormats: the gate's policy; nil accepts every format that has a verifier.
    public init(_ verifiers: [any FormatVerifier], acceptedFormats: Set<CredentialFormat>? = nil) {
        var byFormat: [CredentialFormat: any FormatVerifier] = [:]
        for verifier in verifiers { byFormat[verifier.format] = verifier }
        self.verifiers = byFormat
        self.acceptedFormats = acceptedFormats ?? Set(byFormat.keys)
    }

    /// The verifier for `format`, if there is one (e.g. for the HC1 conformance suite).
    public func verifier(for format: CredentialFormat) -> (any FormatVerifier)? { verifiers[format] }

    public func verify(payload: [UInt8], in context: VerificationContext) -> VerificationReport {
        let format = CredentialFormat(recognising: payload)
        guard let verifier = verifiers[format] else {
            let detail = format == .unknown ? "not a credential format GateCheck knows" : "\(format.rawValue) credentials are not supported"
            return VerificationReport(
                decodeFailure: CredentialError(.unsupportedFormat, detail), format: format, checkedSteps: [.trust, .decode], in: context)
        }
        guard acceptedFormats.contains(format) else {
            return verifier.decodeFailure(CredentialError(.formatNotAccepted, "this gate does not accept \(format.rawValue) credentials"), in: context)
        }
        return verifier.verify(payload: payload, in: context)
    }

    public func verify(payload: String, in context: VerificationContext) -> VerificationReport {
        verify(payload: Array(payload.utf8), in: context)
    }
}
