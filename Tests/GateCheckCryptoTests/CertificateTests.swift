import Foundation
import GateCheckTestSupport
import HealthCredentialsTesting
import Testing
@testable import GateCheckCrypto

@Suite("Certificate")
struct CertificateTests {
    static let notBefore = utc(2021, 6, 1, 8, 30, 15)
    static let notAfter = utc(2023, 6, 1, 8, 30, 15)

    static func selfSigned(
        eku: [String]? = [DCCKeyUsage.vaccination, DCCKeyUsage.vaccinationAlt, DCCKeyUsage.test],
        key: PrivateKey = TestKeys.p256
    ) throws -> Certificate {
        let template = CertificateTemplate(
            commonName: "GateCheck Test DSC", country: "VN", notBefore: notBefore, notAfter: notAfter,
            extendedKeyUsageOIDs: eku, serialNumber: 0x1234_5678_9ABC)
        return try Certificate.issue(template, subjectKey: key.publicKey, issuerKey: key)
    }

    @Test func selfSignedRoundTrip() throws {
        let issued = try Self.selfSigned()
        let parsed = try Certificate(derEncoded: issued.derBytes)
        #expect(parsed.notBefore == Self.notBefore)
        #expect(parsed.notAfter == Self.notAfter)
        #expect(parsed.extendedKeyUsageOIDs == [DCCKeyUsage.vaccination, DCCKeyUsage.vaccinationAlt, DCCKeyUsage.test])
        #expect(parsed.subjectCommonName == "GateCheck Test DSC")
        #expect(parsed.subjectCountry == "VN")
        #expect(parsed.derBytes == issued.derBytes)
        #expect(parsed.sha256Fingerprint == Digest.sha256(issued.derBytes))
        #expect(parsed.sha256Fingerprint.count == 32)
        #expect(parsed.publicKey.subjectPublicKeyInfoDER == TestKeys.p256.publicKey.subjectPublicKeyInfoDER)
        #expect(parsed.publicKey.kind == .ec(curve: "prime256v1"))
    }

    @Test func certificateKeyVerifiesSignatures() throws {
        let certificate = try Self.selfSigned()
        let message = Array("hello".utf8)
        let signature = try TestKeys.p256.sign(message, algorithm: .es256)
        #expect(certificate.publicKey.verify(signature: signature, for: message, algorithm: .es256) == .valid)
    }

    @Test func noOrEmptyEKUOmitsExtension() throws {
        #expect(try Self.selfSigned(eku: nil).extendedKeyUsageOIDs == nil)
        #expect(try Self.selfSigned(eku: []).extendedKeyUsageOIDs == nil)
        #expect(try Self.selfSigned(eku: ["1.3.6.1.5.5.7.3.1"]).extendedKeyUsageOIDs == ["1.3.6.1.5.5.7.3.1"])
    }

    @Test func issuedByRSACertificateAuthority() throws {
        let caTemplate = CertificateTemplate(
            commonName: "GateCheck Test CSCA", country: "DE", notBefore: utc(2020, 1, 1), notAfter: utc(2030, 1, 1))
        let ca = try Certificate.issue(caTemplate, subjectKey: TestKeys.rsa2048.publicKey, issuerKey: TestKeys.rsa2048)
        let leafTemplate = CertificateTemplate(
            commonName: "Köniz Nguyễn DSC", country: "CH", notBefore: utc(2021, 1, 1), notAfter: utc(2061, 1, 1),
            extendedKeyUsageOIDs: [DCCKeyUsage.recovery], serialNumber: .max)
        let leaf = try Certificate.issue(
            leafTemplate, subjectKey: TestKeys.otherP256.publicKey, issuerKey: TestKeys.rsa2048, issuer: ca)
        #expect(ca.publicKey.kind == .rsa(bits: 2048))
        #expect(leaf.subjectCommonName == "Köniz Nguyễn DSC")
        #expect(leaf.subjectCountry == "CH")
        #expect(leaf.notAfter == utc(2061, 1, 1))  // GeneralizedTime after 2049
        #expect(leaf.extendedKeyUsageOIDs == [DCCKeyUsage.recovery])
        #expect(leaf.publicKey.subjectPublicKeyInfoDER == TestKeys.otherP256.publicKey.subjectPublicKeyInfoDER)
        #expect(leaf.sha256Fingerprint != ca.sha256Fingerprint)
    }

    @Test func invalidTemplatesAreRefused() {
        let bad: [CertificateTemplate] = [
            CertificateTemplate(commonName: "x", country: "DEU", notBefore: Self.notBefore, notAfter: Self.notAfter),
            CertificateTemplate(commonName: "", country: "DE", notBefore: Self.notBefore, notAfter: Self.notAfter),
            CertificateTemplate(
                commonName: "x", country: "DE", notBefore: Self.notBefore, notAfter: Self.notAfter,
                extendedKeyUsageOIDs: ["not an oid"]),
            CertificateTemplate(
                commonName: "x", country: "DE", notBefore: Self.notBefore, notAfter: Self.notAfter,
                extendedKeyUsageOIDs: ["serverAuth"]),
        ]
        for template in bad {
            #expect(throws: CryptoError.self) {
                _ = try Certificate.issue(template, subjectKey: TestKeys.p256.publicKey, issuerKey: TestKeys.p256)
            }
        }
    }

    @Test func trailingByteIsRejected() throws {
        let der = try Self.selfSigned().derBytes
        for suffix: [UInt8] in [[0x00], [0x30, 0x00], Array(der)] {
            #expect(throws: CryptoError(.trailingData)) { _ = try Certificate(derEncoded: der + suffix) }
        }
    }

    @Test func truncatedOrGarbageIsMalformed() throws {
        let der = try Self.selfSigned().derBytes
        var generator = SplitMix64(seed: 99)
        let inputs: [[UInt8]] = [
            [], [0x30], Array(der.dropLast()), Array(der.prefix(der.count / 2)), Array(der.dropFirst()),
            [UInt8].random(count: 500, using: &generator), [0x30, 0x82, 0xFF, 0xFF],
            Array("-----BEGIN CERTIFICATE-----".utf8),
        ]
        for input in inputs {
            #expect(throws: CryptoError(.malformedCertificate)) { _ = try Certificate(derEncoded: input) }
        }
    }

    @Test func oversizedInputIsRefusedBeforeParsing() throws {
        let der = try Self.selfSigned().derBytes
        let oversized = der + [UInt8](repeating: 0, count: Certificate.maxEncodedSize - der.count + 1)
        #expect(throws: CryptoError(.inputTooLarge)) { _ = try Certificate(derEncoded: oversized) }
        #expect(throws: CryptoError(.inputTooLarge)) {
            _ = try Certificate(derEncoded: [UInt8](repeating: 0x30, count: 1 << 20))
        }
        // Exactly at the cap is parsed (and then fails on the trailing zeros, not on size).
        let atCap = der + [UInt8](repeating: 0, count: Certificate.maxEncodedSize - der.count)
        #expect(throws: CryptoError(.trailingData)) { _ = try Certificate(derEncoded: atCap) }
    }

    /// A present EKU extension whose content does not decode must not read as "no EKU" (= unrestricted).
    @Test func malformedEKUIsNotTreatedAsAbsent() throws {
        var der = try Self.selfSigned(eku: [DCCKeyUsage.vaccination]).derBytes
        let ekuOID: [UInt8] = [0x06, 0x03, 0x55, 0x1D, 0x25]
        let start = try #require(der.indices.first { Array(der[$0..<min($0 + 5, der.count)]) == ekuOID })
        // extnID, then OCTET STRING { SEQUENCE { OBJECT IDENTIFIER … } }: retag the inner OID as an OCTET STRING.
        var cursor = start + ekuOID.count
        #expect(der[cursor] == 0x04)
        cursor += 2
        #expect(der[cursor] == 0x30)
        cursor += 2
        #expect(der[cursor] == 0x06)
        der[cursor] = 0x04
        #expect(throws: CryptoError(.malformedCertificate)) { _ = try Certificate(derEncoded: der) }
    }

    @Test func mutatedCertificatesNeverCrash() throws {
        let der = try Self.selfSigned().derBytes
        var generator = SplitMix64(seed: 2024)
        var parsed = 0
        for _ in 0..<3_000 {
            var mutated = der
            for _ in 0..<Int.random(in: 1...4, using: &generator) {
                mutated[Int.random(in: 0..<mutated.count, using: &generator)] = UInt8.random(
                    in: 0...255, using: &generator)
            }
            if let certificate = try? Certificate(derEncoded: mutated) {
                parsed += 1
                _ = (certificate.notBefore, certificate.extendedKeyUsageOIDs, certificate.subjectCommonName)
                _ = certificate.publicKey.verify(signature: [], for: [], algorithm: .es256)
            }
        }
        #expect(parsed > 0)
    }

    @Test func errorEqualityIgnoresReason() {
        var first: CryptoError?
        var second: CryptoError?
        do { _ = try Certificate(derEncoded: [0x01]) } catch { first = error }
        do { _ = try Certificate(derEncoded: [0x30, 0x03, 0x02, 0x01]) } catch { second = error }
        #expect(first != nil && first == second)
        #expect(first?.code == .malformedCertificate)
        #expect(first?.description.contains("malformedCertificate") == true)
        #expect(CryptoError.Code.trailingData != .malformedCertificate)
    }
}
