import GateCheckCrypto
import HealthCredentials
import JSON

/// A decoded ICAO VDS-NC seal, `{"data":{"hdr":{"t","v","is"},"msg":{…}},"sig":{"alg","cer","sigvl"}}`
/// (ICAO TR "VDS for Non-Constrained Environments"): decoding only, nothing here is trusted yet.
public struct VDSNCSeal: Sendable {
    /// The two seal types GateCheck reads.
    public enum SealType: String, Sendable, Hashable, CaseIterable {
        /// Proof of vaccination (`icao.vacc`, data defined by WHO).
        case vaccination = "icao.vacc"
        /// Proof of testing (`icao.test`, data defined by CAPSCA).
        case test = "icao.test"

        /// The Document Type List code a Barcode Signer must hold to sign this type (ICAO: `NV` proof of
        /// vaccination, `NT` proof of testing; the AU signer lists NV, the UTO test-seal signer NT).
        public var documentTypeCode: String {
            switch self {
            case .vaccination: "NV"
            case .test: "NT"
            }
        }

        public var certificateType: CertificateType {
            switch self {
            case .vaccination: .vaccination
            case .test: .test
            }
        }
    }

    /// Bounds for a seal, the ones recognition uses: a QR code holds at most 2,953 bytes, real seals are 1–2 KB.
    public static let limits = CredentialFormat.sealLimits

    public let type: SealType
    /// `hdr.is`: the issuing state, ICAO alpha-3 (Doc 9303-3; `D<<` for Germany).
    public let issuingState: String
    /// `data.msg`.
    public let message: JSONObject
    /// The hash `sig.alg` names (ES256/ES384/ES512).
    public let hash: DigestAlgorithm
    /// `sig.cer`: the Barcode Signer Certificate.
    public let signerCertificate: Certificate
    /// `sig.sigvl`, decoded: raw `r‖s` when well-formed.
    public let signatureValue: [UInt8]
    /// What the signature is over: the RFC 8785 canonical form of `data`.
    public let signedBytes: [UInt8]

    /// Decodes a seal.
    /// - Throws: `.payloadTooLarge` above ``limits``; `.badJSON` for text that is not JSON; `.badSeal` for JSON
    ///   that is not a seal (members missing, of the wrong type or unknown; `is` not alpha-3; `cer` not a
    ///   certificate); `.unsupportedFormat` for an `icao.` type other than the two read here; `.unsupportedVersion`
    ///   for `v` ≠ 1; `.unsupportedAlgorithm` for an `alg` other than ES256/384/512; `.badBase64URL` for `cer` or
    ///   `sigvl` outside base64url (`=` padding is accepted).
    public init(payload: [UInt8]) throws(CredentialError) {
        try self.init(payload: payload, certificates: nil)
    }

    /// As ``init(payload:)``, taking the signer certificate from `certificates` when it was seen before.
    init(payload: [UInt8], certificates: SignerCertificateCache?) throws(CredentialError) {
        guard payload.count <= Self.limits.maxBytes else {
            throw CredentialError(.payloadTooLarge, "seal of \(payload.count) bytes exceeds \(Self.limits.maxBytes)")
        }
        let seal: JSONValue
        do {
            seal = try JSONParser.parse(payload, limits: Self.limits)
        } catch {
            throw CredentialError(.badJSON, "seal is not JSON: \(error.code)")
        }
        let top = try Self.object(seal, "seal", members: ["data", "sig"])
        let data = try Self.member(top, "data")
        let dataObject = try Self.object(data, "data", members: ["hdr", "msg"])
        let header = try Self.object(try Self.member(dataObject, "hdr"), "data.hdr", members: ["t", "v", "is"])
        message = try Self.object(try Self.member(dataObject, "msg"), "data.msg", members: nil)
        let signature = try Self.object(try Self.member(top, "sig"), "sig", members: ["alg", "cer", "sigvl"])

        guard let typeName = try Self.member(header, "t").string else { throw CredentialError(.badSeal, "data.hdr.t is not a string") }
        guard let type = SealType(rawValue: typeName) else {
            throw CredentialError(typeName.hasPrefix("icao.") ? .unsupportedFormat : .badSeal, "seal type is neither icao.vacc nor icao.test")
        }
        self.type = type
        guard let version = try Self.member(header, "v").int64 else { throw CredentialError(.badSeal, "data.hdr.v is not an integer") }
        guard version == 1 else { throw CredentialError(.unsupportedVersion, "seal version \(version), expected 1") }
        guard let state = try Self.member(header, "is").string, Self.isICAOCode(state) else {
            throw CredentialError(.badSeal, "data.hdr.is is not an ICAO alpha-3 code")
        }
        issuingState = state

        switch try Self.member(signature, "alg").string {
        case "ES256": hash = .sha256
        case "ES384": hash = .sha384
        case "ES512": hash = .sha512
        case .some: throw CredentialError(.unsupportedAlgorithm, "sig.alg is not ES256, ES384 or ES512")
        case .none: throw CredentialError(.badSeal, "sig.alg is not a string")
        }
        guard let certificateText = try Self.member(signature, "cer").string, let valueText = try Self.member(signature, "sigvl").string
        else { throw CredentialError(.badSeal, "sig.cer and sig.sigvl must be strings") }
        let certificateDER = try Base64URL.decode(certificateText, allowingPadding: true)
        do {
            if let certificates {
                signerCertificate = try certificates.certificate(certificateDER)
            } else {
                signerCertificate = try Certificate(derEncoded: certificateDER)
            }
        } catch {
            throw CredentialError(.badSeal, "sig.cer is not a usable certificate: \(error.code)")
        }
        signatureValue = try Base64URL.decode(valueText, allowingPadding: true)
        do {
            signedBytes = try JSONCanonicalForm.bytes(of: data)
        } catch {
            throw CredentialError(.badSeal, "data has no canonical form: \(error.code)")
        }
    }

    /// Checks `sigvl` over ``signedBytes`` with the signer certificate's key (nothing about trust).
    /// - Returns: nil when it verifies; `.malformedSignature` for a signature that is not raw `r‖s` of the key's
    ///   size (a DER `ECDSA-Sig-Value` is named as such); `.keyAlgorithmMismatch` for a key that is not EC;
    ///   `.badSignature` when it does not verify.
    public func signatureError() -> CredentialError? {
        let key = signerCertificate.publicKey
        switch key.verify(signature: signatureValue, for: signedBytes, algorithm: .ecdsa(hash: hash, encoding: .raw)) {
        case .valid:
            return nil
        case .invalid:
            return CredentialError(.badSignature, "seal signature does not verify with the signer certificate's key")
        case .keyMismatch:
            return CredentialError(.keyAlgorithmMismatch, "the signer certificate's key is not an EC key")
        case .malformedSignature:
            let isDER = key.verify(signature: signatureValue, for: signedBytes, algorithm: .ecdsa(hash: hash, encoding: .der)) != .malformedSignature
            return CredentialError(
                .malformedSignature,
                isDER ? "sig.sigvl is a DER ECDSA signature; VDS-NC requires raw r‖s" : "sig.sigvl is not a raw r‖s signature for the signer's curve")
        }
    }

    // MARK: - Shape

    private static func object(_ value: JSONValue, _ name: String, members allowed: Set<String>?) throws(CredentialError) -> JSONObject {
        guard let object = value.object else { throw CredentialError(.badSeal, "\(name) is not an object") }
        if let allowed {
            for member in object.names where !allowed.contains(member) {
                throw CredentialError(.badSeal, "\(name) has an unknown member")
            }
        }
        return object
    }

    private static func member(_ object: JSONObject, _ name: String) throws(CredentialError) -> JSONValue {
        guard let value = object[name] else { throw CredentialError(.badSeal, "\(name) is missing") }
        return value
    }

    /// Three of `A`–`Z` and `<` (Doc 9303-3 codes, filler included: `D<<`), starting with a letter.
    private static func isICAOCode(_ text: String) -> Bool {
        let bytes = Array(text.utf8)
        return bytes.count == 3 && (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(bytes[0])
            && bytes.allSatisfy { (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains($0) || $0 == UInt8(ascii: "<") }
    }
}
