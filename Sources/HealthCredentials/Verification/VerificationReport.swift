import FoundationEssentials

/// The result of verifying one credential: a verdict, the first failing reason and every step.
///
/// It carries no personal data except `holder`, which is redacted in every string form and
/// only written out on explicit request.
public struct VerificationReport: Sendable {
    public enum Verdict: String, Sendable, Hashable, Codable {
        case pass
        case fail
    }

    public let format: CredentialFormat
    /// Which HCERT credential an `hc1` payload carries; nil for other formats, or when decoding stopped first.
    public let profile: CredentialProfile?
    /// The steps this format has, in report order (every step for `hc1`): a pass needs each of them ok, and
    /// only these are reported.
    public let checkedSteps: [VerificationStep]
    public let steps: [VerificationStep: StepOutcome]
    public let kid: [UInt8]?
    /// The issuer as the credential names it: an HC1 `iss` (a country, mostly), a SMART Health Card `iss` URL, an
    /// NZCP `did:web`, a seal's alpha-3 issuing country.
    public let issuer: String?
    public let type: CertificateType?
    /// Country the trust list files the signer under.
    public let signerCountry: String?
    public let holder: Holder?
    /// Whether admission rules were configured: only then must the `rules` step be ok for a pass.
    public let rulesRequired: Bool
    /// Identifiers of the admission rules that failed or could not be evaluated, in evaluation order.
    public let failedRules: [String]

    /// A report from a format's verifier: `steps` should hold an outcome for each of `checkedSteps`.
    public init(
        format: CredentialFormat, profile: CredentialProfile? = nil, checkedSteps: [VerificationStep] = VerificationStep.allCases,
        steps: [VerificationStep: StepOutcome], kid: [UInt8]? = nil, issuer: String? = nil,
        type: CertificateType? = nil, signerCountry: String? = nil, holder: Holder? = nil,
        rulesRequired: Bool = false, failedRules: [String] = []
    ) {
        self.format = format
        self.profile = profile
        self.checkedSteps = checkedSteps
        self.rulesRequired = rulesRequired
        self.failedRules = failedRules
        self.steps = steps
        self.kid = kid
        self.issuer = issuer
        self.type = type
        self.signerCountry = signerCountry
        self.holder = holder
    }

    /// A report for input that never got as far as decoding (no code in an image, unreadable file).
    /// The trust step is still reported, so a device that cannot decide says so for every input.
    public init(
        decodeFailure: CredentialError, format: CredentialFormat = .hc1, checkedSteps: [VerificationStep] = VerificationStep.allCases,
        in context: VerificationContext
    ) {
        var steps = Dictionary(uniqueKeysWithValues: checkedSteps.map { ($0, StepOutcome.skipped) })
        steps[.trust] = TrustFitnessPolicy.outcome(in: context)
        steps[.decode] = .failed(decodeFailure)
        self.init(format: format, checkedSteps: checkedSteps, steps: steps)
    }

    public func outcome(of step: VerificationStep) -> StepOutcome { steps[step] ?? .skipped }

    /// Pass only when every step is ok: a skipped step is never a pass, except the `rules` step
    /// where no rules were configured (a pass then means "authentic", by explicit choice).
    /// A step outside `checkedSteps` that failed anyway still fails the verdict.
    public var verdict: Verdict {
        let checkedOK = checkedSteps.allSatisfy { step in
            let outcome = outcome(of: step)
            return outcome == .ok || (step == .rules && outcome == .skipped && !rulesRequired)
        }
        return checkedOK && failure == nil ? .pass : .fail
    }

    /// The kid as its format writes it: standard base64 for `hc1`, base64url for a SMART Health Card's key
    /// thumbprint, the DID key fragment (`key-1`) for NZCP.
    public var kidText: String? {
        guard let kid else { return nil }
        switch format {
        case .shc: return Base64URL.encode(kid)
        case .nzcp: return String(validating: kid, as: UTF8.self) ?? Data(kid).base64EncodedString()
        default: return Data(kid).base64EncodedString()
        }
    }

    /// The first failing step's error, in step order.
    public var failure: CredentialError? {
        VerificationStep.allCases.lazy.compactMap { outcome(of: $0).error }.first
    }
}
