import Glibc
import CBOR
import Foundation
import GateCheckCrypto
import GateCheckTestSupport
import HealthCredentials
import HealthCredentialsTesting
import Testing
import TrustSources
@testable import TrustStore

@Suite("Installing, loading and exporting trust")
struct TrustStoreAcceptanceTests {
    let anchors = TSPKI.shared.anchors

    @Test("a newer sequence installs and replaces the old bundle")
    func newerReplaces() throws {
        let temporary = try TemporaryDirectory("accept")
        let store = TrustStoreDirectory(path: temporary.file("state"))
        #expect(store.installedSequence() == nil)
        expectTrustStoreError(.notInstalled) { _ = try store.load(anchors: anchors) }

        let five = try TSFixture.bundle(sequence: 5)
        let verified = try store.install(from: try temporary.write("five.bundle", five), anchors: anchors, now: Date())
        #expect(verified.manifest.sequence == 5)
        #expect(store.installedSequence() == 5)
        #expect(try TSDirectory.bytes(store.bundlePath) == five)

        let newer = try TSFixture.newerIssuer()
        let seven = try TSFixture.bundle(sequence: 7, signers: [newer.signer], revokedUCIs: [])
        try store.install(from: try temporary.write("seven.bundle", seven), anchors: anchors, now: Date())
        #expect(store.installedSequence() == 7)
        #expect(try TSDirectory.bytes(store.bundlePath) == seven)
        #expect(try TSDirectory.bytes(store.path + "/trust.sequence") == Array("7\n".utf8))
        // Only the store's files (and the writers' lock) are left: no temporary copies.
        #expect(Set(try TSDirectory.snapshot(store.path).keys) == ["trust.bundle", "trust.sequence", ".lock"])

        let installed = try store.load(anchors: anchors)
        #expect(installed.manifest.sequence == 7)
        #expect(installed.trust.hcert.count == 1)
        #expect(!installed.trust.hcert.signers(forKid: newer.kid).isEmpty)
        #expect(installed.trust.hcert.signers(forKid: TSFixture.issuers[0].kid).isEmpty, "the old bundle's signers are gone")
        #expect(!installed.isRevoked(certificateIdentifier: TSFixture.revokedUCI, country: "XX", signature: [1, 2], algorithm: .es256))
        // The offered files were not touched.
        #expect(try TSDirectory.bytes(temporary.file("five.bundle")) == five)
    }

    @Test("load returns the signers, revocation tables and manifest")
    func loadReturnsContents() throws {
        let temporary = try TemporaryDirectory("accept")
        let store = TrustStoreDirectory(path: temporary.file("state"))
        let issuers = TSFixture.issuers
        let revokedCredential = TestCredential()  // ci URN:UVCI:01:XX:GATECHECKTEST0001
        let revokedCI = "URN:UVCI:01:XX:GATECHECKTEST0001"
        let countryCI = "URN:UVCI:01:XX:COUNTRY-0001"
        let signatureHash = RevocationHash.signature([UInt8](repeating: 7, count: 64), algorithmIsECDSA: true)
        let bytes = try TSFixture.bundle(
            sequence: 3, revokedUCIs: [revokedCI, TSFixture.revokedUCI],
            revocations: [.revokedCountryUCI: [RevocationHash.countryCodeUCI(country: "VN", uci: countryCI)], .revokedSignature: [signatureHash]],
            extraRevocations: 1_000)
        try store.install(from: try temporary.write("b.bundle", bytes), anchors: anchors, now: Date())

        let installed = try store.load(anchors: anchors)
        #expect(installed.manifest.sequence == 3)
        #expect(installed.manifest.producer == "gatecheck-tests")
        #expect(installed.bundle.signerCertificate.derBytes == TSPKI.shared.signingCertificate.derBytes)
        #expect(installed.trust.hcert.count == issuers.count)
        for issuer in issuers {
            let found = installed.trust.hcert.signers(forKid: issuer.kid)
            #expect(found.count == 1)
            #expect(found.first?.certificate.derBytes == issuer.certificate.derBytes)
            #expect(found.first?.country == issuer.certificate.subjectCountry)
        }
        #expect(installed.revocationCount(.revokedUCI) == 1_002)
        #expect(installed.revocationCount(.revokedCountryUCI) == 1_001)
        #expect(installed.revocationCount(.revokedSignature) == 1_001)

        let ci = revokedCI
        let signature = [UInt8](repeating: 1, count: 64)
        #expect(installed.isRevoked(certificateIdentifier: ci, country: "VN", signature: signature, algorithm: .es256))
        #expect(installed.isRevoked(certificateIdentifier: TSFixture.revokedUCI, country: "XX", signature: signature, algorithm: .es256))
        #expect(!installed.isRevoked(certificateIdentifier: "URN:UVCI:01:XX:GATECHECKTEST0002", country: "VN", signature: signature, algorithm: .es256))
        // Country + UCI: only with the listed country.
        #expect(installed.isRevoked(certificateIdentifier: countryCI, country: "VN", signature: signature, algorithm: .es256))
        #expect(!installed.isRevoked(certificateIdentifier: countryCI, country: "DE", signature: signature, algorithm: .es256))
        // Signature: ECDSA counts r only, so a different s is still revoked.
        let listed = [UInt8](repeating: 7, count: 32) + [UInt8](repeating: 9, count: 32)
        #expect(installed.isRevoked(certificateIdentifier: "other", country: "VN", signature: listed, algorithm: .es256))
        #expect(!installed.isRevoked(certificateIdentifier: "other", country: "VN", signature: [UInt8](repeating: 8, count: 64), algorithm: .es256))

        // Through the verifier: the revoked credential fails at the revocation step, another passes.
        let issuer = issuers[0]
        let verifier = HC1Verifier(trustList: installed.trust.hcert, revocations: installed)
        let context = VerificationContext(now: TestCredential.validAt)
        let revoked = verifier.verify(payload: try issuer.hc1(revokedCredential), in: context)
        #expect(revoked.verdict == .fail)
        #expect(revoked.failure?.code == .revoked)
        #expect(revoked.steps[.revocation]?.description == "failed:revoked")
        let fine = verifier.verify(payload: try issuer.hc1(TestCredential(payload: Self.payload(ci: "URN:UVCI:01:XX:NOT-REVOKED"))), in: context)
        #expect(fine.verdict == .pass, "\(String(describing: fine.failure))")
        #expect(fine.steps[.revocation]?.description == "ok")
    }

    @Test("load repairs a high-water mark behind the installed bundle and re-verifies the bundle")
    func loadRepairsAndReverifies() throws {
        let temporary = try TemporaryDirectory("accept")
        let store = TrustStoreDirectory(path: temporary.file("state"))
        try store.install(from: try temporary.write("b.bundle", try TSFixture.bundle(sequence: 4)), anchors: anchors, now: Date())
        let sequenceFile = store.path + "/trust.sequence"
        try FileManager.default.removeItem(atPath: sequenceFile)
        #expect(store.installedSequence() == 4, "the bundle's own sequence still counts")
        _ = try store.load(anchors: anchors)
        #expect(try TSDirectory.bytes(sequenceFile) == Array("4\n".utf8))

        // A store file damaged on disk is refused on load, not trusted because it is "ours".
        var bytes = try TSDirectory.bytes(store.bundlePath)
        bytes = TSFixture.flippingByte(in: .revokedUCI, of: bytes)
        try TSDirectory.write(bytes, to: store.bundlePath)
        expectTrustStoreError(.hashMismatch) { _ = try store.load(anchors: anchors) }
        // Loading with the wrong anchors is refused.
        try TSDirectory.write(try TSFixture.bundle(sequence: 4), to: store.bundlePath)
        expectTrustStoreError(.unknownSigner) { _ = try store.load(anchors: [TSPKI.shared.strangerRoot]) }
    }

    @Test("the installed bundle still loads after its signing certificate expires (checked at issuedAt)")
    func loadChecksSignerAtIssuedAt() throws {
        let temporary = try TemporaryDirectory("accept")
        let store = TrustStoreDirectory(path: temporary.file("state"))
        // Signed by the expired leaf, but issued while it was valid: install (at issue time) and load both accept it.
        let issuedAt = Date().addingTimeInterval(-10 * 86_400)
        let bytes = try TSFixture.bundle(sequence: 2, signer: .expired, issuedAt: issuedAt, validDays: 60)
        try store.install(from: try temporary.write("b.bundle", bytes), anchors: anchors, now: issuedAt.addingTimeInterval(60))
        #expect(try store.load(anchors: anchors).manifest.sequence == 2)
    }

    @Test("export writes a byte-identical copy and refuses to overwrite")
    func export() throws {
        let temporary = try TemporaryDirectory("accept")
        let store = TrustStoreDirectory(path: temporary.file("state"))
        expectTrustStoreError(.systemCall) { try store.export(to: temporary.file("nothing.bundle")) }
        #expect(!TSDirectory.exists(temporary.file("nothing.bundle")))

        let bytes = try TSFixture.bundle(sequence: 9, extraRevocations: 500)
        try store.install(from: try temporary.write("b.bundle", bytes), anchors: anchors, now: Date())
        let destination = temporary.file("exported.bundle")
        try store.export(to: destination)
        #expect(try TSDirectory.bytes(destination) == bytes)

        // An existing file is not overwritten.
        let other = Array("keep me".utf8)
        try TSDirectory.write(other, to: destination)
        #expect(throws: TrustStoreError.self) { try store.export(to: destination) }
        #expect(try TSDirectory.bytes(destination) == other)
        // Nor is a symlink followed.
        let target = try temporary.write("target.txt", other)
        let link = temporary.file("link.bundle")
        try #require(symlink(target, link) == 0)
        #expect(throws: TrustStoreError.self) { try store.export(to: link) }
        #expect(try TSDirectory.bytes(target) == other)

        // The export installs on another device.
        let second = TrustStoreDirectory(path: temporary.file("other-state"))
        try store.export(to: temporary.file("copy.bundle"))
        try second.install(from: temporary.file("copy.bundle"), anchors: anchors, now: Date())
        #expect(second.installedSequence() == 9)
    }

    @Test("installing into a state directory that does not exist yet creates it")
    func createsStateDirectory() throws {
        let temporary = try TemporaryDirectory("accept")
        let store = TrustStoreDirectory(path: temporary.file("fresh"))
        try store.install(from: try temporary.write("b.bundle", try TSFixture.bundle(sequence: 1)), anchors: anchors, now: Date())
        #expect(store.installedSequence() == 1)
    }

    @Test("the German de-test list round-trips 610 signers through a bundle", .enabled(if: TestCorpus.isAvailable, "needs the shared test corpus"))
    func germanListRoundTrips() throws {
        let key = try TrustLoader.publicKey(fromPEMFile: TestCorpus.path("trustlists/de-test/dsc-list-signing-key.pem"))
        let loaded = try TrustLoader(listKey: key).load(paths: [TestCorpus.path("trustlists/de-test/dsc-list.json")])
        let signers = loaded.trustList.allSigners
        #expect(signers.count == 610)

        let temporary = try TemporaryDirectory("accept")
        let store = TrustStoreDirectory(path: temporary.file("state"))
        let bytes = try TSFixture.bundle(sequence: 1, signers: signers)
        try store.install(from: try temporary.write("de.bundle", bytes), anchors: anchors, now: Date())
        let installed = try store.load(anchors: anchors)
        #expect(installed.trust.hcert.count == 610)
        for signer in signers {
            let found = installed.trust.hcert.signers(forKid: signer.kid)
            #expect(found.contains { $0.certificate.derBytes == signer.certificate.derBytes && $0.country == signer.country },
                    "kid \(Data(signer.kid).base64EncodedString())")
        }
        // The VN signer of the corpus sample is there.
        #expect(!installed.trust.hcert.signers(forKid: Array(Data(base64Encoded: "8w2kZxb3iC0=")!)).isEmpty)
    }

    // MARK: Helpers

    static func payload(ci: String, type: CertificateType = .vaccination) -> CBORValue {
        TestCredential.payload(type: type, entry: TestCredential.defaultEntry(type).map { $0.0 == "ci" ? ("ci", .text(ci)) : $0 })
    }
}

extension TSFixture {
    /// A DSC made fresh for one test.
    static func newerIssuer() throws -> TestIssuer { try TestIssuer(country: "ZZ") }
}
