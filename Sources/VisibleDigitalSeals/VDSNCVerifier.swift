import FoundationEssentials
import GateCheckCrypto
import HealthCredentials
import JSON

/// Verifies ICAO VDS-NC seals against ``ICAOTrust``: the report's steps are
/// - `decode`: the seal's JSON and shape (``VDSNCSeal``);
/// - `signature`: the Barcode Signer Certificate chains to a trusted CSCA (`untrusted-signer` otherwise) and
///   `sigvl` verifies over the JCS form of `data` with its key (`bad-signature`, `malformed-signature`);
/// - `keyUsage`: an EKU, when present, allows seals (`key-usage-mismatch`); the Document Type List lists the
///   seal's type (`document-type-mismatch`); `hdr.is` is the signer's country (`country-mismatch`);
/// - `signerValidity`: the signer and its CSCA are valid at the time (`signer-expired`, `signer-not-yet-valid`);
/// - `schema`: `msg` has the fields and types of its type (`schema-violation`);
/// - `revocation`: no CRL of the CSCA (signature verified) lists the signer (`revoked`). A CRL past its
///   nextUpdate is still used: it still proves what it lists, and the freshness of trust is the trust bundle's
///   business (`trust-stale`), not the seal's.
public struct VDSNCVerifier: FormatVerifier {
    /// `id-icao-vdsSigner`-family EKU of Barcode Signers of non-constrained seals (Doc 9303-13 / TR VDS-NC).
    public static let sealSigningEKU = "2.23.136.1.1.14.2"
    /// The Document Type List extension (`id-icao-DocumentTypeList`).
    public static let documentTypeListOID = "2.23.136.1.1.6.2"

    public let trust: ICAOTrust
    public let format = CredentialFormat.vdsNC
    public let checkedSteps: [VerificationStep] = [.trust, .decode, .signature, .keyUsage, .signerValidity, .schema, .revocation]

    /// Shared by copies of this verifier: the signer certificates recent seals carried.
    private let signerCertificates = SignerCertificateCache()

    public init(trust: ICAOTrust) {
        self.trust = trust
    }

    public func verify(payload: [UInt8], in context: VerificationContext) -> VerificationReport {
        let seal: VDSNCSeal
        do {
            seal = try VDSNCSeal(payload: payload, certificates: signerCertificates)
        } catch {
            return decodeFailure(error, in: context)
        }
        var steps: [VerificationStep: StepOutcome] = [.trust: TrustFitnessPolicy.outcome(in: context), .decode: .ok]
        let signer = seal.signerCertificate

        // Path first: an unknown signer is reported as unknown, whatever its signature.
        var chain: [Certificate]?
        var pathOutsideValidity = false
        if let remembered = signerCertificates.trustedPath(for: signer, at: context.now) {
            chain = remembered
        } else if let path = trust.path {
            switch path.check(signer, at: context.now) {
            case .trusted(let found):
                chain = found
                signerCertificates.rememberTrustedPath(found, for: signer)
            case .outsideValidity(let found):
                chain = found
                pathOutsideValidity = true
            case .untrusted(let reason):
                steps[.signature] = .failed(CredentialError(.untrustedSigner, "the seal's signer does not chain to a trusted CSCA (\(reason))"))
            }
        } else {
            steps[.signature] = .failed(CredentialError(.untrustedSigner, "no CSCAs are trusted"))
        }
        if chain != nil {
            steps[.signature] = seal.signatureError().map { .failed($0) } ?? .ok
        }

        steps[.keyUsage] = Self.keyUsage(of: signer, for: seal).map { .failed($0) } ?? .ok
        steps[.signerValidity] = Self.validity(of: chain ?? [signer], at: context.now, pathOutsideValidity: pathOutsideValidity)
        steps[.schema] = VDSNCSchema.violation(in: seal.message, type: seal.type).map { .failed($0) } ?? .ok
        if chain != nil {
            steps[.revocation] =
                trust.revokingCRLs(for: signer).isEmpty ? .ok : .failed(CredentialError(.revoked, "the seal's signer is listed in its CSCA's CRL"))
        } else {
            steps[.revocation] = .skipped
        }

        return VerificationReport(
            format: format, checkedSteps: checkedSteps, steps: steps, kid: signer.sha256Fingerprint, issuer: seal.issuingState,
            type: seal.type.certificateType, signerCountry: signer.subjectCountry, holder: VDSNCSchema.holder(in: seal.message))
    }

    // MARK: - Steps

    /// EKU, document type and country.
    static func keyUsage(of signer: Certificate, for seal: VDSNCSeal) -> CredentialError? {
        if let usages = signer.extendedKeyUsageOIDs, !usages.contains(sealSigningEKU) {
            return CredentialError(.keyUsageMismatch, "the signer's extended key usage does not allow VDS-NC seals")
        }
        let lists = signer.extensions(withOID: documentTypeListOID)
        guard lists.count == 1, let types = DocumentTypeList.codes(in: lists[0].value) else {
            return CredentialError(.documentTypeMismatch, lists.isEmpty ? "the signer has no Document Type List" : "the signer's Document Type List is malformed")
        }
        guard types.contains(seal.type.documentTypeCode) else {
            return CredentialError(.documentTypeMismatch, "the signer may not sign \(seal.type.rawValue) seals (needs \(seal.type.documentTypeCode))")
        }
        guard let alpha2 = ICAOCountryCodes.alpha2(forICAOCode: seal.issuingState) else {
            return CredentialError(.countryMismatch, "issuing state \(seal.issuingState) is not a known ICAO code")
        }
        guard signer.subjectCountry?.uppercased() == alpha2 else {
            return CredentialError(.countryMismatch, "issuing state \(seal.issuingState) is not the signer's country")
        }
        return nil
    }

    /// Every certificate of the path (signer first) inside its validity at `now`, as OpenSSL judges it:
    /// valid from notBefore through notAfter.
    static func validity(of chain: [Certificate], at now: Date, pathOutsideValidity: Bool) -> StepOutcome {
        for (index, certificate) in chain.enumerated() {
            let what = index == 0 ? "the seal's signer" : "its CSCA"
            if now < certificate.notBefore {
                return .failed(CredentialError(.signerNotYetValid, "\(what) is not valid before \(certificate.notBefore)"))
            }
            if now > certificate.notAfter {
                return .failed(CredentialError(.signerExpired, "\(what) expired at \(certificate.notAfter)"))
            }
        }
        // OpenSSL saw a validity problem Swift's comparison did not (a boundary second): trust OpenSSL's no.
        return pathOutsideValidity ? .failed(CredentialError(.signerExpired, "a certificate of the signer's path is outside its validity")) : .ok
    }
}

/// ICAO's Document Type List extension: `SEQUENCE { version INTEGER (0), docTypeList SET OF PrintableString }`.
enum DocumentTypeList {
    /// The codes, or nil for anything but that structure (version 0, at most 64 codes of 1–2 characters).
    static func codes(in value: [UInt8]) -> Set<String>? {
        var outer = DERReader(value[...])
        guard let sequence = outer.next(), sequence.tag == DERReader.sequence, outer.isAtEnd else { return nil }
        var fields = DERReader(sequence.content)
        guard let version = fields.next(), version.tag == DERReader.integer, Array(version.content) == [0],
            let set = fields.next(), set.tag == DERReader.set, fields.isAtEnd
        else { return nil }
        var entries = DERReader(set.content)
        var codes = Set<String>()
        while !entries.isAtEnd {
            guard codes.count < 64, let entry = entries.next(), entry.tag == DERReader.printableString || entry.tag == DERReader.utf8String, (1...2).contains(entry.content.count)
            else { return nil }
            codes.insert(String(decoding: entry.content, as: UTF8.self))
        }
        return codes
    }
}
