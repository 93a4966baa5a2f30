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

    /// Whether `payload` is one part of a credential printed across several codes (a SMART Health Card chunk) of
    /// an accepted format: it can only be verified with ``verify(parts:in:)``, together with the others.
    public func isPart(_ payload: [UInt8]) -> Bool {
        let format = CredentialFormat(recognising: payload)
        guard acceptedFormats.contains(format), let verifier = verifiers[format] as? any MultiPartFormatVerifier else { return false }
        return verifier.isPart(payload)
    }

    /// The parts of one credential, in any order; they must all be of the first part's format.
    public func verify(parts: [[UInt8]], in context: VerificationContext) -> VerificationReport {
        guard let first = parts.first else {
            return VerificationReport(decodeFailure: CredentialError(.badQRChunks, "no parts"), format: .unknown, checkedSteps: [.trust, .decode], in: context)
        }
        guard isPart(first), let verifier = verifiers[CredentialFormat(recognising: first)] as? any MultiPartFormatVerifier else {
            return verify(payload: first, in: context)
        }
        return verifier.verify(parts: parts, in: context)
    }

    public func verify(payload: String, in context: VerificationContext) -> VerificationReport {
        verify(payload: Array(payload.utf8), in: context)
    }
}
