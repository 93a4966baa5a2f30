import Foundation
import Testing
@testable import GateCheckCrypto

@Suite("PEM")
struct PEMTests {
    static func armour(_ der: [UInt8], label: String) -> String {
        let base64 = Data(der).base64EncodedString(options: [.lineLength64Characters, .endLineWithLineFeed])
        return "-----BEGIN \(label)-----\n\(base64)\n-----END \(label)-----\n"
    }

    @Test func twoBlocksWithJunkAround() throws {
        let first = try CertificateTests.selfSigned().derBytes
        let second = try CertificateTests.selfSigned(eku: nil, key: TestKeys.rsa2048).derBytes
        let text = """
            Subject: junk before the first block
            \(Self.armour(first, label: "CERTIFICATE"))
            some text between; -----END CERTIFICATE----- stray marker
            -----BEGIN PUBLIC KEY-----
            \(Data(TestKeys.p256.publicKey.subjectPublicKeyInfoDER).base64EncodedString())
            -----END PUBLIC KEY-----
            \(Self.armour(second, label: "CERTIFICATE").replacingOccurrences(of: "\n", with: "\r\n"))
            trailing junk -----BEGIN CERTIFICATE----- never closed
            """
        let blocks = PEM.derBlocks(in: text, label: "CERTIFICATE")
        #expect(blocks == [first, second])
        #expect(try blocks.map { try Certificate(derEncoded: $0).derBytes } == [first, second])
        #expect(PEM.derBlocks(in: text, label: "PUBLIC KEY") == [TestKeys.p256.publicKey.subjectPublicKeyInfoDER])
        #expect(PEM.derBlocks(in: text, label: "PRIVATE KEY").isEmpty)
    }

    @Test func noBlocksOrBrokenBlocks() {
        #expect(PEM.derBlocks(in: "", label: "CERTIFICATE").isEmpty)
        #expect(PEM.derBlocks(in: "MIIBIjAN", label: "CERTIFICATE").isEmpty)
        #expect(
            PEM.derBlocks(in: "-----BEGIN CERTIFICATE-----\n-----END CERTIFICATE-----", label: "CERTIFICATE").isEmpty)
        // Other labels that merely end in the wanted one are not matched.
        let trusted = "-----BEGIN TRUSTED CERTIFICATE-----\nAAAA\n-----END TRUSTED CERTIFICATE-----"
        #expect(PEM.derBlocks(in: trusted, label: "CERTIFICATE").isEmpty)
    }

    @Test func unterminatedBlockDoesNotSwallowTheNextOne() throws {
        let der = try CertificateTests.selfSigned().derBytes
        let text = "-----BEGIN CERTIFICATE-----\nAAAA\n" + Self.armour(der, label: "CERTIFICATE")
        #expect(PEM.derBlocks(in: text, label: "CERTIFICATE") == [der])
    }
}
