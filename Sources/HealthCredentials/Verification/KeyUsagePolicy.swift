import GateCheckCrypto

/// The signer's extended key usage must allow the certificate type.
///
/// A signer whose EKU names none of the DCC usages may sign any type (what every reference
/// verifier does); once it names one, the type's usage must be among them. Both OID arcs in
/// circulation are accepted: `1.3.6.1.4.1.1847.2021.1.x` and `1.3.6.1.4.1.0.1847.2021.1.x`.
public struct KeyUsagePolicy: CredentialPolicy {
    public let step = VerificationStep.keyUsage

    public init() {}

    static let arcs = ["1.3.6.1.4.1.1847.2021.1.", "1.3.6.1.4.1.0.1847.2021.1."]

    static func usageNumber(for type: CertificateType) -> String {
        switch type {
        case .test: "1"
        case .vaccination: "2"
        case .recovery: "3"
        }
    }

    public func evaluate(_ credential: DecodedCredential, in context: VerificationContext) -> StepOutcome {
        guard let signer = credential.signer, let type = credential.type else { return .skipped }
        let dccUsages = (signer.certificate.extendedKeyUsageOIDs ?? []).filter { oid in
            Self.arcs.contains { oid.hasPrefix($0) }
        }
        if dccUsages.isEmpty { return .ok }
        let allowed = Self.arcs.map { $0 + Self.usageNumber(for: type) }
        if dccUsages.contains(where: allowed.contains) { return .ok }
        return .failed(CredentialError(.keyUsageMismatch, "signer is not authorised for type \(type.rawValue)"))
    }
}
