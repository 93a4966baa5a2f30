import FoundationEssentials
import GateCheckCrypto
import HealthCredentials
import JSON

/// Verifies SMART Health Cards offline against an ``SHCIssuerDirectory``.
///
/// Steps: `trust`, `decode` (numeric QR, JWS, raw DEFLATE, payload JSON with `iss`), `signature` (the key named
/// by `iss` and `kid`, ES256 with a raw `r‖s`), `tokenValidity` (`nbf` with the context's clock skew, `exp`),
/// `schema` (`vc.type` holds the health-card type, a FHIR `Bundle`) and `revocation` (the key's rid CRL). Each
/// runs when its inputs exist, so a report shows all that is wrong.
public struct SHCVerifier: MultiPartFormatVerifier {
    public var format: CredentialFormat { .shc }
    public var checkedSteps: [VerificationStep] { [.trust, .decode, .signature, .tokenValidity, .schema, .revocation] }
    public let directory: SHCIssuerDirectory

    public init(directory: SHCIssuerDirectory) {
        self.directory = directory
    }

    /// One scanned QR text. A chunk of a card split over several codes fails as `bad-qr-chunks`: use
    /// ``verify(scans:in:)`` with all of them.
    public func verify(payload: [UInt8], in context: VerificationContext) -> VerificationReport {
        verify(scans: [payload], in: context)
    }

    /// A chunk `shc:/i/n/…` with n > 1; a card in one code (or anything that does not parse) is not a part.
    public func isPart(_ payload: [UInt8]) -> Bool {
        ((try? SHCNumericQR(scanned: payload))?.count ?? 1) > 1
    }

    public func verify(parts: [[UInt8]], in context: VerificationContext) -> VerificationReport {
        verify(scans: parts, in: context)
    }

    /// The QR texts of one card, chunks in any order (identical rescans are ignored).
    public func verify(scans: [[UInt8]], in context: VerificationContext) -> VerificationReport {
        do {
            return verify(jws: try SHCChunkAssembler.jws(fromScans: scans), in: context)
        } catch {
            return decodeFailure(error, in: context)
        }
    }

    /// A compact JWS (from a `.smart-health-card` file or a FHIR `$health-cards-issue` response).
    public func verify(jws: [UInt8], in context: VerificationContext) -> VerificationReport {
        let card: SHCCompactJWS
        do {
            card = try SHCCompactJWS(jws)
        } catch {
            return decodeFailure(error, in: context)
        }
        var steps: [VerificationStep: StepOutcome] = [.trust: TrustFitnessPolicy.outcome(in: context), .decode: .ok]
        let key: SHCIssuerDirectory.Key?
        switch lookUpKey(card) {
        case .success(let found):
            key = found
            steps[.signature] = Self.signatureOutcome(card, key: found)
        case .failure(let error):
            key = nil
            steps[.signature] = .failed(error)
        }
        steps[.tokenValidity] = Self.tokenValidity(card.payload, in: context)
        let bundle: FHIRBundleSummary?
        switch Self.schema(card.payload) {
        case .success(let summary):
            bundle = summary
            steps[.schema] = .ok
        case .failure(let error):
            bundle = nil
            steps[.schema] = .failed(error)
        }
        steps[.revocation] = key.map { revocation(card.payload, key: $0) } ?? .skipped
        return VerificationReport(
            format: .shc, checkedSteps: checkedSteps, steps: steps, kid: try? Base64URL.decode(card.kid), issuer: card.payload.issuer,
            type: bundle?.type, holder: bundle?.holder
        )
    }

    private func lookUpKey(_ card: SHCCompactJWS) -> Result<SHCIssuerDirectory.Key, CredentialError> {
        guard let issuer = directory.issuers[card.payload.issuer] else {
            return .failure(CredentialError(.unknownIssuer, "the card's issuer is not in the trusted directory"))
        }
        guard let key = issuer.keys[card.kid] else {
            return .failure(CredentialError(.unknownSigner, "the issuer has no key with the card's kid"))
        }
        return .success(key)
    }

    private static func signatureOutcome(_ card: SHCCompactJWS, key: SHCIssuerDirectory.Key) -> StepOutcome {
        guard card.signature.count == 64 else {
            let shape = Self.isDERSignature(card.signature) ? "a DER signature" : "\(card.signature.count) bytes"
            return .failed(CredentialError(.malformedSignature, "ES256 needs a raw 64-byte r‖s signature, not \(shape)"))
        }
        switch key.publicKey.verify(signature: card.signature, for: card.signingInput, algorithm: .es256) {
        case .valid: return .ok
        case .invalid: return .failed(CredentialError(.badSignature, "the signature does not verify with the issuer's key"))
        case .malformedSignature: return .failed(CredentialError(.malformedSignature, "the signature is not a valid r‖s"))
        case .keyMismatch: return .failed(CredentialError(.keyAlgorithmMismatch, "the issuer's key is not a P-256 key"))
        }
    }

    /// A DER `ECDSA-Sig-Value` (SEQUENCE of two INTEGERs), as some issuers wrongly sign with: named in the reason.
    static func isDERSignature(_ bytes: [UInt8]) -> Bool {
        guard bytes.count >= 8, bytes.count <= 74, bytes[0] == 0x30, Int(bytes[1]) == bytes.count - 2, bytes[2] == 0x02 else { return false }
        let rLength = Int(bytes[3])
        let sStart = 4 + rLength
        guard sStart + 2 <= bytes.count, bytes[sStart] == 0x02 else { return false }
        return sStart + 2 + Int(bytes[sStart + 1]) == bytes.count
    }

    static func tokenValidity(_ payload: SHCPayload, in context: VerificationContext) -> StepOutcome {
        guard let notBefore = payload.notBefore else {
            return .failed(CredentialError(.schemaViolation, "nbf is missing or not a number"))
        }
        let now = context.now.timeIntervalSince1970
        guard notBefore <= now + context.clockSkew else {
            return .failed(CredentialError(.notYetValid, "the card is not valid before its nbf"))
        }
        if payload.hasMalformedExpiry { return .failed(CredentialError(.schemaViolation, "exp is not a number")) }
        if let expiry = payload.expiry {
            guard expiry >= notBefore else { return .failed(CredentialError(.expired, "the card expires before it becomes valid")) }
            guard now < expiry else { return .failed(CredentialError(.expired, "the card is past its exp")) }
        }
        return .ok
    }

    private func revocation(_ payload: SHCPayload, key: SHCIssuerDirectory.Key) -> StepOutcome {
        guard let rid = payload.revocationID,
            let list = directory.issuers[payload.issuer]?.revocationLists[key.kid]
        else { return .ok }
        return list.revokes(rid: rid, notBefore: payload.notBefore)
            ? .failed(CredentialError(.revoked, "the card's rid is on its issuer's revocation list")) : .ok
    }

    static let healthCardType = "https://smarthealth.cards#health-card"

    static func schema(_ payload: SHCPayload) -> Result<FHIRBundleSummary, CredentialError> {
        guard let credential = payload.credential else { return .failure(CredentialError(.schemaViolation, "vc is missing or not an object")) }
        guard let types = credential["type"]?.array, types.allSatisfy({ $0.string != nil }) else {
            return .failure(CredentialError(.schemaViolation, "vc.type is not an array of strings"))
        }
        guard types.contains(where: { $0.string == healthCardType }) else {
            return .failure(CredentialError(.schemaViolation, "vc.type lacks \(healthCardType)"))
        }
        if let rid = credential["rid"] {
            guard let text = rid.string, SHCIssuerDirectory.isRevocationID(text) else {
                return .failure(CredentialError(.schemaViolation, "vc.rid is not base64url of at most 24 characters"))
            }
        }
        guard let bundle = credential["credentialSubject"]?["fhirBundle"]?.object else {
            return .failure(CredentialError(.schemaViolation, "vc.credentialSubject.fhirBundle is missing or not an object"))
        }
        return FHIRBundleSummary.read(bundle)
    }
}

/// What a gate needs from a card's FHIR Bundle: its kind and its patient. Personal data stays in ``holder``.
struct FHIRBundleSummary {
    let type: CertificateType?
    let holder: Holder?

    init(type: CertificateType?, holder: Holder?) {
        self.type = type
        self.holder = holder
    }
}

extension FHIRBundleSummary {
    /// Reads the bundle's entries: `resourceType` `Bundle`, each entry's `resource` an object with a `resourceType`.
    static func read(_ bundle: JSONObject) -> Result<FHIRBundleSummary, CredentialError> {
        guard bundle["resourceType"]?.string == "Bundle" else {
            return .failure(CredentialError(.schemaViolation, "fhirBundle's resourceType is not Bundle"))
        }
        guard let entries = bundle["entry"]?.array, !entries.isEmpty else {
            return .failure(CredentialError(.schemaViolation, "fhirBundle has no entries"))
        }
        var resources: [JSONObject] = []
        for entry in entries {
            guard let resource = entry["resource"]?.object, resource["resourceType"]?.string != nil else {
                return .failure(CredentialError(.schemaViolation, "a fhirBundle entry has no resource with a resourceType"))
            }
            resources.append(resource)
        }
        func hasResource(_ type: String) -> Bool { resources.contains { $0["resourceType"]?.string == type } }
        // A lab result: the laboratory category, or a LOINC-coded result as SMART's COVID-19 lab profile writes
        // them (without a category).
        let isLabObservation = resources.contains { resource in
            guard resource["resourceType"]?.string == "Observation" else { return false }
            let categories = (resource["category"]?.array ?? []).flatMap { $0["coding"]?.array ?? [] }.compactMap { $0["code"]?.string }
            let systems = (resource["code"]?["coding"]?.array ?? []).compactMap { $0["system"]?.string }
            return categories.contains("laboratory") || systems.contains("http://loinc.org")
        }
        let type: CertificateType? =
            hasResource("Immunization") ? .vaccination : (hasResource("DiagnosticReport") || isLabObservation) ? .test : nil
        return .success(FHIRBundleSummary(type: type, holder: holder(in: resources)))
    }

    /// The first Patient's first name and birth date.
    private static func holder(in resources: [JSONObject]) -> Holder? {
        guard let patient = resources.first(where: { $0["resourceType"]?.string == "Patient" }) else { return nil }
        let name = patient["name"]?.array?.first
        let family = name?["family"]?.string
        let given = name?["given"]?.array?.compactMap(\.string).joined(separator: " ")
        return Holder(
            familyName: family, familyNameTransliterated: family ?? "", givenName: given, givenNameTransliterated: given,
            dateOfBirth: patient["birthDate"]?.string ?? "")
    }
}
