import Foundation
import GateCheckCrypto
import HealthCredentials
import HealthCredentialsTesting
import JSON
import SmartHealthCards
import Testing
import TrustSources

@Suite(.enabled(if: TestCorpus.isAvailable, "corpus not found (see NOTICE); set GATECHECK_CORPUS"))
struct VCISnapshotTests {
    static let snapshotTime = Date(timeIntervalSince1970: 1_787_374_000)  // 2026-08-22, the snapshot's day

    static func files() throws -> (snapshot: [UInt8], signature: [UInt8], certificate: [UInt8]) {
        (
            try TestCorpus.bytes("shc/trust/vci_snapshot_2026-08-22.json"), try TestCorpus.bytes("shc/trust/vci_snapshot_2026-08-22.sig"),
            try TestCorpus.bytes("shc/trust/vci_snapshot.crt")
        )
    }

    static func snapshotDirectory() throws -> SHCIssuerDirectory {
        let (snapshot, signature, certificate) = try files()
        return try VCISnapshot.read(snapshot: snapshot, signature: signature, certificate: certificate, at: snapshotTime)
    }

    @Test func verifiesAndLoadsEveryIssuerAndKey() throws {
        let directory = try Self.snapshotDirectory()
        #expect(directory.issuers.count == 651)
        #expect(directory.count == 961)
        #expect(directory.issuers.values.reduce(0) { $0 + $1.revocationLists.count } == 6)
        #expect(directory.issuers["https://vc.vrs.digital.go.jp/issuer"]?.keys.count == 3)
    }

    @Test func readsFromFiles() throws {
        let directory = try VCISnapshot.read(
            snapshotPath: TestCorpus.path("shc/trust/vci_snapshot_2026-08-22.json"),
            signaturePath: TestCorpus.path("shc/trust/vci_snapshot_2026-08-22.sig"),
            certificatePath: TestCorpus.path("shc/trust/vci_snapshot.crt"), at: Self.snapshotTime)
        #expect(directory.count == 961)
    }

    @Test func refusesAnyOneByteChange() throws {
        let (snapshot, signature, certificate) = try Self.files()
        var random = SplitMix64(seed: 0x5C1)
        for _ in 0..<8 {
            var changed = snapshot
            let index = Int(random.next() % UInt64(changed.count))
            changed[index] ^= UInt8(1 << (random.next() % 8))
            #expect(throws: TrustSourceError.self) {
                try VCISnapshot.read(snapshot: changed, signature: signature, certificate: certificate, at: Self.snapshotTime)
            }
        }
        var badSignature = signature
        badSignature[badSignature.count - 1] ^= 1
        #expect(throws: TrustSourceError.self) {
            try VCISnapshot.read(snapshot: snapshot, signature: badSignature, certificate: certificate, at: Self.snapshotTime)
        }
    }

    @Test func refusesTheCertificateOutsideItsValidity() throws {
        let (snapshot, signature, certificate) = try Self.files()
        let after = Date(timeIntervalSince1970: 1_963_000_000)  // 2032-03-15
        let before = Date(timeIntervalSince1970: 1_640_000_000)  // 2021-12-20
        for time in [after, before] {
            #expect(throws: TrustSourceError.self) {
                try VCISnapshot.read(snapshot: snapshot, signature: signature, certificate: certificate, at: time)
            }
        }
    }

    @Test func refusesAnotherSigner() throws {
        let (snapshot, _, _) = try Self.files()
        let key = try PrivateKey.generateEC(curve: "P-521")
        let signature = try key.sign(snapshot, algorithm: .ecdsa(hash: .sha512, encoding: .der))
        let template = CertificateTemplate(
            commonName: "vci.org", country: "US", notBefore: Date(timeIntervalSince1970: 1_600_000_000),
            notAfter: Date(timeIntervalSince1970: 2_000_000_000),
            extendedKeyUsageOIDs: nil)
        let forged = try Certificate.issue(template, subjectKey: key.publicKey, issuerKey: key)
        // Signed consistently by a certificate of its own: only the real certificate is trusted.
        let realCertificate = try TestCorpus.bytes("shc/trust/vci_snapshot.crt")
        #expect(throws: TrustSourceError.self) {
            try VCISnapshot.read(snapshot: snapshot, signature: signature, certificate: realCertificate, at: Self.snapshotTime)
        }
        #expect(throws: Never.self) {
            try VCISnapshot.read(snapshot: snapshot, signature: signature, certificate: forged.derBytes, at: Self.snapshotTime)
        }
    }

    @Test func recognisesTheSnapshotByContent() throws {
        let (snapshot, signature, certificate) = try Self.files()
        #expect(VCISnapshot.looksLike(snapshot))
        #expect(!VCISnapshot.looksLike(signature))
        #expect(!VCISnapshot.looksLike(certificate))
        #expect(!VCISnapshot.looksLike(try TestCorpus.bytes("shc/trust/vci-issuers.json")))
    }

    @Test func sectionRoundTripsExactly() throws {
        let directory = try Self.snapshotDirectory()
        let section = directory.sectionBytes
        let reread = try SHCIssuerDirectory(sectionBytes: section)
        #expect(reread.count == 961)
        #expect(reread.sectionBytes == section)
        let spec = SHCCorpusTests.specDirectory
        let merged = directory.merging(spec)
        #expect(merged.count == 963)
        #expect(try SHCIssuerDirectory(sectionBytes: merged.sectionBytes).sectionBytes == merged.sectionBytes)
    }
}
