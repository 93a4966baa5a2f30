import Foundation
import GateCheckCrypto
import HealthCredentialsTesting
import Testing

/// The pieces ICAO seals need from GateCheckCrypto: a path to CA anchors at a time given per check, CRLs,
/// extensions by OID and the bounded DER reader.
@Suite struct CertificateAuthorityPathTests {
    static let inside = Date(timeIntervalSince1970: 1_700_000_000)

    @Test func pathIsTrustedOutsideValidityOrUntrusted() throws {
        let authority = try TestCertificateAuthority(commonName: "Path CA")
        let signer = try authority.issueSigner(
            commonName: "Leaf", notBefore: Date(timeIntervalSince1970: 1_650_000_000), notAfter: Date(timeIntervalSince1970: 1_750_000_000)
        ).certificate
        let path = try CertificateAuthorityPath(anchors: [authority.certificate])
        guard case .trusted(let chain) = path.check(signer, at: Self.inside) else {
            Issue.record("expected a trusted path")
            return
        }
        #expect(chain.map(\.derBytes) == [signer.derBytes, authority.certificate.derBytes])
        for time in [Date(timeIntervalSince1970: 1_600_000_000), Date(timeIntervalSince1970: 1_800_000_000)] {
            guard case .outsideValidity(let found) = path.check(signer, at: time) else {
                Issue.record("expected outside validity at \(time)")
                continue
            }
            #expect(found.count == 2)
        }
        let stranger = try TestCertificateAuthority(commonName: "Path CA")
        guard case .untrusted = try CertificateAuthorityPath(anchors: [stranger.certificate]).check(signer, at: Self.inside) else {
            Issue.record("a same-named CA with another key must not be a path")
            return
        }
        #expect(throws: CryptoError.self) { try CertificateAuthorityPath(anchors: []) }
    }

    @Test func revocationListsRoundTripAndCheckTheirIssuer() throws {
        let authority = try TestCertificateAuthority(commonName: "CRL CA")
        let signer = try authority.issueSigner(commonName: "Leaf", serialNumber: 77).certificate
        let other = try authority.issueSigner(commonName: "Other", serialNumber: 78).certificate
        let thisUpdate = Date(timeIntervalSince1970: 1_700_000_000)
        let crl = try CertificateRevocationList.issue(
            revoking: [77], issuer: authority.certificate, issuerKey: authority.key, thisUpdate: thisUpdate, nextUpdate: thisUpdate + 86_400)
        #expect(crl.thisUpdate == thisUpdate)
        #expect(crl.nextUpdate == thisUpdate + 86_400)
        #expect(crl.revokedCount == 1)
        #expect(crl.lists(signer))
        #expect(!crl.lists(other))
        #expect(crl.isSigned(by: authority.certificate))
        #expect(!crl.isSigned(by: try TestCertificateAuthority(commonName: "CRL CA").certificate))
        #expect(try CertificateRevocationList(derEncoded: crl.derBytes).derBytes == crl.derBytes)
        #expect(throws: CryptoError.self) { try CertificateRevocationList(derEncoded: crl.derBytes + [0]) }
        #expect(throws: CryptoError.self) { try CertificateRevocationList(derEncoded: Array(crl.derBytes.dropLast())) }
        #expect(signer.serialNumberHex == "4D")
    }

    @Test func customExtensionsAreIssuedAndRead() throws {
        let key = try PrivateKey.generateP256()
        var template = CertificateTemplate(
            commonName: "Ext", country: "UT", notBefore: Date(timeIntervalSince1970: 0), notAfter: Date(timeIntervalSince1970: 2_000_000_000))
        template.customExtensions = [.init(oid: "2.23.136.1.1.6.2", isCritical: true, value: [0x30, 0x03, 0x02, 0x01, 0x00])]
        let certificate = try Certificate.issue(template, subjectKey: key.publicKey, issuerKey: key)
        let found = certificate.extensions(withOID: "2.23.136.1.1.6.2")
        #expect(found.count == 1)
        #expect(found.first?.isCritical == true)
        #expect(found.first?.value == [0x30, 0x03, 0x02, 0x01, 0x00])
        #expect(certificate.extensions(withOID: "2.23.136.1.1.6.1").isEmpty)
        #expect(certificate.signatureAlgorithmOID == "1.2.840.10045.4.3.2")
        #expect(!certificate.isSelfSignedCertificateAuthority)
        #expect(try TestCertificateAuthority(commonName: "CA").certificate.isSelfSignedCertificateAuthority)
    }

    @Test func derReaderIsBoundedOnHostileInput() {
        var indefinite = DERReader([0x30, 0x80, 0x00, 0x00][...])
        #expect(indefinite.next()?.tag == nil)  // indefinite length
        var reader = DERReader([0x30, 0x81, 0x05, 0x00][...])  // non-minimal and truncated
        #expect(reader.next()?.tag == nil)
        reader = DERReader([0x1F, 0x01, 0x00][...])  // high tag number
        #expect(reader.next()?.tag == nil)
        reader = DERReader([0x30, 0x84, 0xFF, 0xFF, 0xFF, 0xFF][...])
        #expect(reader.next()?.tag == nil)
        var random = SplitMix64(seed: 42)
        for _ in 0..<20_000 {
            let bytes = (0..<Int(random.next() % 24)).map { _ in UInt8(truncatingIfNeeded: random.next()) }
            var fuzz = DERReader(bytes[...])
            var elements = 0
            while let element = fuzz.next() {
                elements += 1
                #expect(element.encoding.count <= bytes.count)
            }
            #expect(elements <= bytes.count)
            _ = try? CSCAMasterListMessage.certificateEncodings(inContent: bytes)
            _ = try? CSCAMasterListMessage.verifiedContent(of: bytes)
        }
        #expect(throws: CryptoError.self) { try CSCAMasterListMessage.certificateEncodings(inContent: [0x30, 0x03, 0x02, 0x01, 0x00]) }
    }
}
