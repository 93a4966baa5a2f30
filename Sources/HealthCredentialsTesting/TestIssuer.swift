import CBOR
import Foundation
import GateCheckCrypto
import HealthCredentials
import Zlib

/// An issuer-in-a-box for tests, benchmarks and demos: makes a key and a DSC in code and signs
/// HC1 credentials with them. No private key is ever checked in.
public struct TestIssuer: Sendable {
    public let key: PrivateKey
    public let certificate: Certificate
    public let algorithm: COSEAlgorithm

    /// The DCC extended key usages, in the arc most issuers use.
    public static func keyUsageOIDs(for types: [CertificateType]) -> [String] {
        types.map { type in
            let number = switch type {
            case .test: "1"
            case .vaccination: "2"
            case .recovery: "3"
            }
            return "1.3.6.1.4.1.0.1847.2021.1.\(number)"
        }
    }

    /// A new issuer. ES256 uses a P-256 key, PS256 an RSA key of `rsaBits`.
    public init(
        algorithm: COSEAlgorithm = .es256,
        country: String = "XX",
        notBefore: Date = Date(timeIntervalSince1970: 1_600_000_000),
        notAfter: Date = Date(timeIntervalSince1970: 2_000_000_000),
        keyUsage: [CertificateType]? = nil,
        rsaBits: Int = 2048
    ) throws {
        let key = try algorithm == .es256 ? PrivateKey.generateP256() : PrivateKey.generateRSA(bits: rsaBits)
        let template = CertificateTemplate(
            commonName: "GateCheck Test DSC \(country)", country: country, notBefore: notBefore, notAfter: notAfter,
            extendedKeyUsageOIDs: keyUsage.map(Self.keyUsageOIDs(for:))
        )
        self.init(key: key, certificate: try Certificate.issue(template, subjectKey: key.publicKey, issuerKey: key), algorithm: algorithm)
    }

    public init(key: PrivateKey, certificate: Certificate, algorithm: COSEAlgorithm) {
        self.key = key
        self.certificate = certificate
        self.algorithm = algorithm
    }

    public var signer: DocumentSigner { DocumentSigner(certificate: certificate) }
    public var kid: [UInt8] { DocumentSigner.kid(for: certificate) }
    public var trustList: TrustList { TrustList([signer]) }

    /// Where the kid goes in the COSE headers.
    public enum KidPlacement: Sendable {
        case protected, unprotected, none
        /// The given kid bytes in the protected header instead of the real one.
        case protectedOverride([UInt8])
    }

    /// The COSE tagging of the message.
    public enum Tagging: Sendable { case untagged, tag18, cwtAndTag18 }

    /// Signs `claims` as a COSE_Sign1 message and returns its bytes.
    public func coseSign1(
        claims: CBORValue, kidPlacement: KidPlacement = .protected, tagging: Tagging = .tag18,
        algorithmID: Int64? = nil, corruptSignature: Bool = false
    ) throws -> [UInt8] {
        try coseSign1(
            payload: Array(claims.encodedBytes), kidPlacement: kidPlacement, tagging: tagging, algorithmID: algorithmID,
            corruptSignature: corruptSignature
        )
    }

    /// Signs any payload bytes (well-formed CWT claims or not) as a COSE_Sign1 message and returns its bytes.
    public func coseSign1(
        payload: [UInt8], kidPlacement: KidPlacement = .protected, tagging: Tagging = .tag18,
        algorithmID: Int64? = nil, corruptSignature: Bool = false
    ) throws -> [UInt8] {
        var protectedEntries: [(CBORValue, CBORValue)] = [(.integer(1), .integer(algorithmID ?? algorithm.rawValue))]
        var unprotectedEntries: [(CBORValue, CBORValue)] = []
        switch kidPlacement {
        case .protected: protectedEntries.append((.integer(4), .bytes(kid)))
        case .unprotected: unprotectedEntries.append((.integer(4), .bytes(kid)))
        case .protectedOverride(let bytes): protectedEntries.append((.integer(4), .bytes(bytes)))
        case .none: break
        }
        let protectedBytes = Array(CBORValue.map(protectedEntries).encodedBytes)

        let toBeSigned = COSESign1.signedBytes(protectedHeader: protectedBytes, payload: payload)
        var signature = try key.sign(toBeSigned, algorithm: algorithm == .es256 ? .es256 : .ps256)
        if corruptSignature { signature[signature.count / 2] ^= 0x01 }

        var message = CBORValue.array([.bytes(protectedBytes), .map(unprotectedEntries), .bytes(payload), .bytes(signature)])
        switch tagging {
        case .untagged: break
        case .tag18: message = CBORValue(.tagged(18, message))
        case .cwtAndTag18: message = CBORValue(.tagged(61, CBORValue(.tagged(18, message))))
        }
        return Array(message.encodedBytes)
    }

    /// A complete `HC1:` payload for `credential`.
    public func hc1(_ credential: TestCredential, kidPlacement: KidPlacement = .protected, corruptSignature: Bool = false) throws -> String {
        try hc1(claims: credential.claims, kidPlacement: kidPlacement, corruptSignature: corruptSignature)
    }

    /// A complete `HC1:` payload signing any CWT claims (e.g. a WHO DVC under −260/−6).
    public func hc1(claims: CBORValue, kidPlacement: KidPlacement = .protected, corruptSignature: Bool = false) throws -> String {
        let cose = try coseSign1(claims: claims, kidPlacement: kidPlacement, corruptSignature: corruptSignature)
        return HC1Encoding.prefix + Base45.encode(Deflate.zlib(cose))
    }
}
