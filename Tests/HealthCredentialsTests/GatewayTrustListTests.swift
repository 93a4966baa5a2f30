import Foundation
import GateCheckCrypto
import HealthCredentials
import HealthCredentialsTesting
import Testing
import TrustSources

/// The EU gateway's trustList JSON, built here from certificates the test issuer makes.
@Suite("EU gateway trust list")
struct GatewayTrustListTests {
    static func entry(_ issuer: TestIssuer, type: String = "DSC", thumbprint: String? = nil) -> [String: Any] {
        let der = issuer.certificate.derBytes
        return [
            "kid": Data(issuer.kid).base64EncodedString(), "country": "XX", "certificateType": type,
            "thumbprint": thumbprint ?? Digest.sha256(der).map { String(format: "%02x", $0) }.joined(),
            "rawData": Data(der).base64EncodedString(), "signature": "", "timestamp": "2022-01-01T00:00:00Z",
        ]
    }

    static func json(_ entries: [[String: Any]]) throws -> [UInt8] {
        Array(try JSONSerialization.data(withJSONObject: entries))
    }

    @Test("DSC entries become signers under their kid; other certificate types are skipped")
    func loadsSigners() throws {
        let first = Issuers.es256
        let second = Issuers.ps256
        let signers = try GatewayTrustList.signers(from: Self.json([Self.entry(first), Self.entry(second), Self.entry(first, type: "UPLOAD")]))
        #expect(signers.count == 2)
        #expect(TrustList(signers).signers(forKid: first.kid).first?.certificate.derBytes == first.certificate.derBytes)
        #expect(signers.allSatisfy { $0.country == "XX" })
    }

    @Test("a thumbprint that does not match the certificate refuses the list")
    func wrongThumbprint() throws {
        let bad = Self.entry(Issuers.es256, thumbprint: String(repeating: "0", count: 64))
        #expect(throws: CredentialError(.badTrustList, "")) { try GatewayTrustList.signers(from: Self.json([bad])) }
    }

    @Test("malformed JSON and non-base64 fields are refused", arguments: ["{}", "[{\"kid\":1}]", "not json"])
    func malformed(text: String) {
        #expect(throws: CredentialError(.badTrustList, "")) { try GatewayTrustList.signers(from: Array(text.utf8)) }
    }
}
