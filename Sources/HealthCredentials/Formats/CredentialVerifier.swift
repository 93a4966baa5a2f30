/// The one entry point for a scanned payload: recognises its format by shape and hands it to that format's
/// verifier, with the trust of that format's framework only.
///
/// A format with no verifier here (DIVOC, constrained seals, unknown shapes) fails as `unsupported-format`; a
/// supported format the gate's policy leaves out fails as `format-not-accepted`, before anything is decoded, and
/// so does an `hc1` credential of a profile the policy leaves out (once its claims tell the profile).
public struct CredentialVerifier: Sendable {
    private let verifiers: [CredentialFormat: any FormatVerifier]
    /// The formats a pass may come from.
    public let acceptedFormats: Set<CredentialFormat>
    /// The `hc1` profiles a pass may come from (EU DCC, WHO DVC, DDCC:VS, DDCC:TR).
    public let acceptedProfiles: Set<CredentialProfile>

    /// - Parameters:
    ///   - verifiers: one per format; a later one replaces an earlier one of the same format.
    ///   - acceptedFormats: the gate's policy; nil accepts every format that has a verifier.
    ///   - acceptedProfiles: which `hc1` credentials the policy accepts; nil accepts all of them.
    public init(
        _ verifiers: [any FormatVerifier], acceptedFormats: Set<CredentialFormat>? = nil, acceptedProfiles: Set<CredentialProfile>? = nil
    ) {
        var byFormat: [CredentialFormat: any FormatVerifier] = [:]
        for verifier in verifiers { byFormat[verifier.format] = verifier }
        self.verifiers = byFormat
        self.acceptedFormats = acceptedFormats ?? Set(byFormat.keys)
        self.acceptedProfiles = acceptedProfiles ?? Set(CredentialProfile.allCases)
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
        return applyingProfilePolicy(verifier.verify(payload: payload, in: context), in: context)
    }

    /// An `hc1` credential of a profile the policy leaves out fails `format-not-accepted`, whatever else its report
    /// says: its profile is only known once its claims are decoded.
    private func applyingProfilePolicy(_ report: VerificationReport, in context: VerificationContext) -> VerificationReport {
        guard let profile = report.profile, !acceptedProfiles.contains(profile) else { return report }
        var steps = report.steps
        steps[.decode] = .failed(CredentialError(.formatNotAccepted, "this gate does not accept \(profile.rawValue) credentials"))
        return VerificationReport(
            format: report.format, profile: profile, checkedSteps: report.checkedSteps, steps: steps, kid: report.kid, issuer: report.issuer,
            type: report.type, signerCountry: report.signerCountry, holder: report.holder, rulesRequired: report.rulesRequired,
            failedRules: report.failedRules)
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
