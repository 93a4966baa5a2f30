/// Verifies EU DCC (`HC1:`) payloads offline against a trust list.
///
/// Every step runs when its inputs exist, so a report shows all that is wrong, not just the
/// first problem; the verdict is a pass only when all steps are ok. A Sendable value over an
/// immutable trust list: share one across threads, replace it when trust changes.
public struct HC1Verifier: FormatVerifier {
    public var format: CredentialFormat { .hc1 }
    public var checkedSteps: [VerificationStep] { VerificationStep.allCases }

    public let signature: SignaturePolicy
    public let schema: SchemaPolicy
    /// The checks that run on a decoded credential, in report order.
    public let policies: [any CredentialPolicy]
    /// The place's admission rules; without them the `rules` step is skipped and a pass means "authentic".
    public let admission: AdmissionPolicy?

    public init(trustList: TrustList, revocations: any RevocationChecking = NoRevocations(), admission: AdmissionPolicy? = nil) {
        self.admission = admission
        self.signature = SignaturePolicy(trustList: trustList)
        self.schema = SchemaPolicy()
        self.policies = [
            TrustFitnessPolicy(), KeyUsagePolicy(), SignerValidityPolicy(), TokenValidityPolicy(), ContentPolicy(),
            RevocationPolicy(revocations: revocations),
        ]
    }

    /// Verifies a QR payload as scanned (bytes, since QR codes carry bytes).
    public func verify(payload: [UInt8], in context: VerificationContext) -> VerificationReport {
        do {
            return verify(coseBytes: try HC1Encoding.coseBytes(fromPayload: payload), in: context)
        } catch {
            return VerificationReport(decodeFailure: error, in: context)
        }
    }

    public func verify(payload: String, in context: VerificationContext) -> VerificationReport {
        verify(payload: Array(payload.utf8), in: context)
    }

    /// Verifies the COSE_Sign1 layer (what is left after prefix, Base45 and zlib).
    public func verify(coseBytes: [UInt8], in context: VerificationContext) -> VerificationReport {
        let message: COSESign1
        let claims: CWTClaims
        do {
            message = try COSESign1(decoding: coseBytes)
            claims = try CWTClaims(decoding: message.payload)
        } catch {
            return VerificationReport(decodeFailure: error, in: context)
        }

        var steps: [VerificationStep: StepOutcome] = [.decode: .ok]
        var signer: DocumentSigner?
        switch signature.signer(for: message) {
        case .success(let found):
            signer = found
            steps[.signature] = .ok
        case .failure(let error):
            steps[.signature] = .failed(error)
        }
        if claims.profile != .euDCC {
            return verifyWHO(message: message, claims: claims, signer: signer, steps: steps, in: context)
        }
        var certificate: DigitalCovidCertificate?
        switch schema.certificate(from: claims, in: context) {
        case .success(let valid):
            certificate = valid
            steps[.schema] = .ok
        case .failure(let error):
            steps[.schema] = .failed(error)
        }

        let credential = DecodedCredential(message: message, claims: claims, signer: signer, certificate: certificate)
        for policy in policies {
            steps[policy.step] = policy.evaluate(credential, in: context)
        }
        var failedRules: [String] = []
        if let admission {
            let outcome = admission.evaluate(credential, in: context)
            steps[.rules] = outcome.step
            failedRules = outcome.failedRules
        }
        return VerificationReport(
            format: .hc1, profile: .euDCC, steps: steps, kid: message.kid, issuer: claims.issuer, type: credential.type,
            signerCountry: signer?.country, holder: certificate?.holder, rulesRequired: admission != nil, failedRules: failedRules
        )
    }

    /// The steps a WHO profile has: the EU admission rules do not apply to it, and there is no revocation list for it.
    public static let whoCheckedSteps = VerificationStep.allCases.filter { $0 != .rules && $0 != .revocation }

    /// A WHO DVC, DDCC:VS or DDCC:TR: its own schema and validity period, the same signature, key usage (by the
    /// profile's type), signer and token checks as an EU DCC; no admission rules, no revocation.
    private func verifyWHO(
        message: COSESign1, claims: CWTClaims, signer: DocumentSigner?, steps: [VerificationStep: StepOutcome], in context: VerificationContext
    ) -> VerificationReport {
        var steps = steps
        var certificate: WHOCertificate?
        switch schema.whoCertificate(from: claims, in: context) {
        case .success(let valid):
            certificate = valid
            steps[.schema] = .ok
        case .failure(let error):
            steps[.schema] = .failed(error)
        }
        let credential = DecodedCredential(message: message, claims: claims, signer: signer, certificate: nil, whoCertificate: certificate)
        for policy in policies where Self.whoCheckedSteps.contains(policy.step) {
            steps[policy.step] = policy.evaluate(credential, in: context)
        }
        return VerificationReport(
            format: .hc1, profile: claims.profile, checkedSteps: Self.whoCheckedSteps, steps: steps, kid: message.kid, issuer: claims.issuer,
            type: credential.type, signerCountry: signer?.country, holder: certificate?.holder
        )
    }
}
