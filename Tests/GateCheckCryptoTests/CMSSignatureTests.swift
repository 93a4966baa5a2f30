import Foundation
import GateCheckTestSupport
import HealthCredentialsTesting
import Testing
@testable import GateCheckCrypto

/// A bundle-signing PKI built in code: root CA → (optional intermediate CA) → bundle-signing leaf.
private struct BundlePKI {
    static let rootValidity = (utc(2020, 1, 1), utc(2040, 1, 1))
    static let intermediateValidity = (utc(2020, 6, 1), utc(2035, 1, 1))
    /// Entirely in the past: a successful check at `inside` proves the explicit time is used, not the clock.
    static let leafValidity = (utc(2021, 1, 1), utc(2023, 1, 1))
    static let inside = utc(2022, 6, 1)

    let rootKey: PrivateKey
    let root: Certificate
    let intermediate: Certificate?
    let leafKey: PrivateKey
    let leaf: Certificate

    var chain: [Certificate] { intermediate.map { [$0] } ?? [] }

    init(
        leafKey: PrivateKey,
        withIntermediate: Bool,
        rootKey: PrivateKey? = nil,
        rootName: String = "GateCheck Bundle Root",
        intermediateValidity: (Date, Date) = intermediateValidity,
        intermediateIsCA: Bool = true
    ) throws {
        let rootKey = try rootKey ?? PrivateKey.generateP256()
        let root = try Certificate.issue(
            Self.template(rootName, Self.rootValidity, ca: true), subjectKey: rootKey.publicKey, issuerKey: rootKey)
        var issuer = root
        var issuerKey = rootKey
        if withIntermediate {
            let key = try PrivateKey.generateP256()
            let intermediate = try Certificate.issue(
                Self.template("GateCheck Bundle Intermediate", intermediateValidity, ca: intermediateIsCA, serial: 2),
                subjectKey: key.publicKey, issuerKey: rootKey, issuer: root)
            issuer = intermediate
            issuerKey = key
            self.intermediate = intermediate
        } else {
            self.intermediate = nil
        }
        self.leaf = try Certificate.issue(
            Self.template("GateCheck Bundle Signer", Self.leafValidity, ca: false, serial: 3),
            subjectKey: leafKey.publicKey, issuerKey: issuerKey, issuer: issuer)
        self.rootKey = rootKey
        self.root = root
        self.leafKey = leafKey
    }

    static func template(
        _ name: String, _ validity: (Date, Date), ca: Bool, serial: UInt64 = 1
    ) -> CertificateTemplate {
        CertificateTemplate(
            commonName: name, country: "XX", notBefore: validity.0, notAfter: validity.1, serialNumber: serial,
            isCertificateAuthority: ca)
    }

    func sign(_ content: [UInt8]) throws -> [UInt8] {
        try CMSSignature.sign(content, key: leafKey, certificate: leaf, chain: chain)
    }
}

@Suite("CMSSignature")
struct CMSSignatureTests {
    static let manifest = Array(#"{"sequence":42,"issuedAt":"2022-05-31T00:00:00Z","files":{}}"#.utf8)
    private static let ecPKI = try! BundlePKI(leafKey: TestKeys.p256, withIntermediate: true)
    private static let ecPKIDirect = try! BundlePKI(leafKey: TestKeys.p256, withIntermediate: false)
    private static let otherRootPKI = try! BundlePKI(leafKey: TestKeys.otherP256, withIntermediate: false)

    /// `verify` of ``manifest`` against the EC PKI's root at ``BundlePKI/inside`` unless told otherwise.
    @discardableResult
    private static func verifyManifest(
        _ cms: [UInt8], anchors: [Certificate] = [ecPKI.root], at time: Date = BundlePKI.inside
    ) throws -> Certificate {
        try CMSSignature.verify(cms, content: manifest, anchors: anchors, at: time)
    }

    /// Expects a `CryptoError` with `code` (and reports the reason when the code differs).
    static func expect(
        _ code: CryptoError.Code, sourceLocation: SourceLocation = #_sourceLocation, _ body: () throws -> Void
    ) {
        do {
            try body()
            Issue.record("expected \(code), got success", sourceLocation: sourceLocation)
        } catch let error as CryptoError {
            #expect(error.code == code, "\(error)", sourceLocation: sourceLocation)
        } catch {
            Issue.record("expected \(code), got \(error)", sourceLocation: sourceLocation)
        }
    }

    // MARK: - Round trips

    @Test(arguments: [(false, false), (false, true), (true, false), (true, true)])
    func roundTrip(rsa: Bool, withIntermediate: Bool) throws {
        let pki = try BundlePKI(leafKey: rsa ? TestKeys.rsa2048 : TestKeys.p256, withIntermediate: withIntermediate)
        let cms = try pki.sign(Self.manifest)
        let trusted = try CMSSignature.trustedSigner(of: cms, anchors: [pki.root], at: BundlePKI.inside)
        #expect(trusted.derBytes == pki.leaf.derBytes)
        let verified = try CMSSignature.verify(cms, content: Self.manifest, anchors: [pki.root], at: BundlePKI.inside)
        #expect(verified.derBytes == pki.leaf.derBytes)
        // Among other anchors too.
        _ = try CMSSignature.verify(
            cms, content: Self.manifest, anchors: [Self.otherRootPKI.root, pki.root], at: BundlePKI.inside)
    }

    @Test func rsaRootAndEmptyContent() throws {
        let pki = try BundlePKI(leafKey: TestKeys.p256, withIntermediate: true, rootKey: TestKeys.rsa3072)
        let cms = try pki.sign([])
        _ = try CMSSignature.verify(cms, content: [], anchors: [pki.root], at: BundlePKI.inside)
        Self.expect(.signatureInvalid) {
            _ = try CMSSignature.verify(cms, content: [0], anchors: [pki.root], at: BundlePKI.inside)
        }
    }

    /// Two anchors with the same name (a root rollover): the authority key identifier selects the right one.
    @Test func sameNameAnchorsAreTellApartByKeyIdentifier() throws {
        let oldRoot = try BundlePKI(leafKey: TestKeys.otherP256, withIntermediate: false).root
        let pki = try BundlePKI(leafKey: TestKeys.p256, withIntermediate: true)
        #expect(oldRoot.subjectCommonName == pki.root.subjectCommonName)
        let cms = try pki.sign(Self.manifest)
        for anchors in [[oldRoot, pki.root], [pki.root, oldRoot]] {
            _ = try CMSSignature.verify(cms, content: Self.manifest, anchors: anchors, at: BundlePKI.inside)
        }
        Self.expect(.untrustedSigner) {
            _ = try CMSSignature.verify(cms, content: Self.manifest, anchors: [oldRoot], at: BundlePKI.inside)
        }
    }

    // MARK: - Tampering and garbage

    @Test func tamperedContentIsSignatureInvalid() throws {
        let cms = try Self.ecPKI.sign(Self.manifest)
        var variants: [[UInt8]] = [Self.manifest + [0x0A], Array(Self.manifest.dropLast()), []]
        for index in [0, Self.manifest.count / 2, Self.manifest.count - 1] {
            var tampered = Self.manifest
            tampered[index] ^= 0x01
            variants.append(tampered)
        }
        for content in variants {
            Self.expect(.signatureInvalid) {
                _ = try CMSSignature.verify(cms, content: content, anchors: [Self.ecPKI.root], at: BundlePKI.inside)
            }
        }
        // The known-signer step does not look at the content.
        _ = try CMSSignature.trustedSigner(of: cms, anchors: [Self.ecPKI.root], at: BundlePKI.inside)
    }

    @Test(arguments: [false, true])
    func tamperedSignatureValueIsSignatureInvalid(rsa: Bool) throws {
        let pki = try BundlePKI(leafKey: rsa ? TestKeys.rsa2048 : TestKeys.p256, withIntermediate: false)
        var cms = try pki.sign(Self.manifest)
        // The SignerInfo's signature OCTET STRING ends the encoding (no unsigned attributes).
        cms[cms.count - 1] ^= 0x01
        Self.expect(.signatureInvalid) {
            _ = try CMSSignature.verify(cms, content: Self.manifest, anchors: [pki.root], at: BundlePKI.inside)
        }
    }

    /// Every single-byte change either fails with a CryptoError or (in fields outside the signature, e.g. the
    /// SignedData version) still yields the genuine signer; it never crashes.
    @Test func everyMutatedByteIsHandled() throws {
        let cms = try Self.ecPKI.sign(Self.manifest)
        var generator = SplitMix64(seed: 3)
        var accepted = 0
        for index in cms.indices {
            var mutated = cms
            mutated[index] ^= UInt8.random(in: 1...255, using: &generator)
            do {
                let signer = try CMSSignature.verify(
                    mutated, content: Self.manifest, anchors: [Self.ecPKI.root], at: BundlePKI.inside)
                #expect(signer.derBytes == Self.ecPKI.leaf.derBytes)
                accepted += 1
            } catch {
                _ = error.code
            }
            _ = try? CMSSignature.embeddedCertificates(mutated)
        }
        #expect(accepted < cms.count / 20, "\(accepted) of \(cms.count) mutations accepted")
    }

    @Test func truncatedCMSIsMalformed() throws {
        let cms = try Self.ecPKI.sign(Self.manifest)
        for length in [0, 1, 2, 10, cms.count / 2, cms.count - 1] {
            let truncated = Array(cms.prefix(length))
            Self.expect(.malformedCMS) {
                try Self.verifyManifest(truncated)
            }
            Self.expect(.malformedCMS) {
                _ = try CMSSignature.trustedSigner(of: truncated, anchors: [Self.ecPKI.root], at: BundlePKI.inside)
            }
            Self.expect(.malformedCMS) { _ = try CMSSignature.embeddedCertificates(truncated) }
        }
        Self.expect(.trailingData) {
            try Self.verifyManifest(cms + [0])
        }
    }

    @Test func oversizedInputIsRefusedBeforeParsing() throws {
        let cms = try Self.ecPKI.sign(Self.manifest)
        let oversized = cms + [UInt8](repeating: 0, count: 70 * 1024 - cms.count)
        Self.expect(.inputTooLarge) {
            try Self.verifyManifest(oversized)
        }
        Self.expect(.inputTooLarge) {
            _ = try CMSSignature.trustedSigner(of: oversized, anchors: [Self.ecPKI.root], at: BundlePKI.inside)
        }
        Self.expect(.inputTooLarge) { _ = try CMSSignature.embeddedCertificates(oversized) }
    }

    @Test func garbageIsMalformed() throws {
        var generator = SplitMix64(seed: 77)
        let inputs: [[UInt8]] = [
            [UInt8].random(count: 1_000, using: &generator), [0x30, 0x80, 0x00, 0x00], [0x30, 0x82, 0xFF, 0xFF],
            Self.ecPKI.leaf.derBytes,  // a certificate is not a CMS
            Array("-----BEGIN CMS-----".utf8),
        ]
        for input in inputs {
            Self.expect(.malformedCMS) {
                try Self.verifyManifest(input)
            }
            Self.expect(.malformedCMS) { _ = try CMSSignature.embeddedCertificates(input) }
        }
    }

    // MARK: - Known signer

    @Test func wrongOrNoAnchorIsUntrustedSigner() throws {
        let cms = try Self.ecPKI.sign(Self.manifest)
        for anchors in [[Self.otherRootPKI.root], [], [Self.ecPKIDirect.root]] {
            Self.expect(.untrustedSigner) {
                _ = try CMSSignature.trustedSigner(of: cms, anchors: anchors, at: BundlePKI.inside)
            }
            Self.expect(.untrustedSigner) {
                _ = try CMSSignature.verify(cms, content: Self.manifest, anchors: anchors, at: BundlePKI.inside)
            }
        }
    }

    /// Unknown signer wins over expiry and over a bad signature (signify order).
    @Test func untrustedIsReportedBeforeExpiryOrSignature() throws {
        let cms = try Self.ecPKI.sign(Self.manifest)
        Self.expect(.untrustedSigner) {
            _ = try CMSSignature.verify(cms, content: [1, 2, 3], anchors: [Self.otherRootPKI.root], at: utc(2030, 1, 1))
        }
    }

    @Test(arguments: [utc(2023, 1, 1, 0, 0, 1), utc(2030, 1, 1), utc(2020, 12, 31, 23, 59, 59), utc(2020, 7, 1)])
    func signerOutsideValidityIsExpired(time: Date) throws {
        let cms = try Self.ecPKI.sign(Self.manifest)
        Self.expect(.signerCertificateExpired) {
            _ = try CMSSignature.trustedSigner(of: cms, anchors: [Self.ecPKI.root], at: time)
        }
        Self.expect(.signerCertificateExpired) {
            _ = try CMSSignature.verify(cms, content: Self.manifest, anchors: [Self.ecPKI.root], at: time)
        }
    }

    /// OpenSSL's validity window is [notBefore, notAfter): at exactly notAfter a certificate is already expired
    /// (`X509_cmp_time` reports "equal" as "earlier"), one second stricter than RFC 5280's inclusive notAfter.
    @Test func notAfterItselfIsExpired() throws {
        let cms = try Self.ecPKI.sign(Self.manifest)
        Self.expect(.signerCertificateExpired) {
            _ = try CMSSignature.verify(
                cms, content: Self.manifest, anchors: [Self.ecPKI.root], at: BundlePKI.leafValidity.1)
        }
    }

    @Test(arguments: [
        BundlePKI.leafValidity.0, BundlePKI.inside, BundlePKI.leafValidity.1.addingTimeInterval(-1),
    ])
    func signerInsideValidityVerifies(time: Date) throws {
        let cms = try Self.ecPKI.sign(Self.manifest)
        _ = try CMSSignature.verify(cms, content: Self.manifest, anchors: [Self.ecPKI.root], at: time)
    }

    @Test func expiredIntermediateIsExpired() throws {
        let pki = try BundlePKI(
            leafKey: TestKeys.p256, withIntermediate: true, intermediateValidity: (utc(2020, 6, 1), utc(2022, 1, 1)))
        let cms = try pki.sign(Self.manifest)
        _ = try CMSSignature.verify(cms, content: Self.manifest, anchors: [pki.root], at: utc(2021, 6, 1))
        Self.expect(.signerCertificateExpired) {
            _ = try CMSSignature.verify(cms, content: Self.manifest, anchors: [pki.root], at: BundlePKI.inside)
        }
    }

    /// An intermediate without basicConstraints CA:TRUE cannot issue, whatever the purpose setting.
    @Test func nonCAIntermediateIsUntrusted() throws {
        let pki = try BundlePKI(leafKey: TestKeys.p256, withIntermediate: true, intermediateIsCA: false)
        let cms = try pki.sign(Self.manifest)
        Self.expect(.untrustedSigner) {
            _ = try CMSSignature.verify(cms, content: Self.manifest, anchors: [pki.root], at: BundlePKI.inside)
        }
    }

    @Test func selfSignedSignerIsUntrustedUnlessPinned() throws {
        let key = TestKeys.p256
        let signer = try Certificate.issue(
            BundlePKI.template("Self-made signer", BundlePKI.leafValidity, ca: false),
            subjectKey: key.publicKey, issuerKey: key)
        let cms = try CMSSignature.sign(Self.manifest, key: key, certificate: signer)
        Self.expect(.untrustedSigner) {
            _ = try CMSSignature.trustedSigner(of: cms, anchors: [Self.ecPKI.root], at: BundlePKI.inside)
        }
        Self.expect(.untrustedSigner) {
            _ = try CMSSignature.verify(cms, content: Self.manifest, anchors: [Self.ecPKI.root], at: BundlePKI.inside)
        }
        // Pinned itself, a self-signed signer is a complete (one-certificate) path: signify-style key pinning.
        _ = try CMSSignature.verify(cms, content: Self.manifest, anchors: [signer], at: BundlePKI.inside)
    }

    /// Partial chains are refused: listing the leaf or the intermediate as an anchor without its root trusts
    /// nothing.
    @Test func nonRootAnchorsAreNotEnough() throws {
        let pki = Self.ecPKI
        let cms = try pki.sign(Self.manifest)
        for anchors in [[pki.leaf], [try #require(pki.intermediate)], [pki.leaf, try #require(pki.intermediate)]] {
            Self.expect(.untrustedSigner) {
                _ = try CMSSignature.trustedSigner(of: cms, anchors: anchors, at: BundlePKI.inside)
            }
            Self.expect(.untrustedSigner) {
                _ = try CMSSignature.verify(cms, content: Self.manifest, anchors: anchors, at: BundlePKI.inside)
            }
        }
    }

    @Test func missingIntermediateIsUntrusted() throws {
        let pki = Self.ecPKI
        let cms = try CMSSignature.sign(Self.manifest, key: pki.leafKey, certificate: pki.leaf)
        Self.expect(.untrustedSigner) {
            _ = try CMSSignature.verify(cms, content: Self.manifest, anchors: [pki.root], at: BundlePKI.inside)
        }
        // An anchor folder that also holds the intermediate completes the path to the root: that is a full
        // chain (the intermediate is only a path element, the root is the anchor), so it verifies.
        let intermediate = try #require(pki.intermediate)
        _ = try CMSSignature.verify(
            cms, content: Self.manifest, anchors: [pki.root, intermediate], at: BundlePKI.inside)
        // Without the root it does not.
        Self.expect(.untrustedSigner) {
            _ = try CMSSignature.verify(cms, content: Self.manifest, anchors: [intermediate], at: BundlePKI.inside)
        }
    }

    // MARK: - Embedded certificates

    @Test func embeddedCertificatesListSignerFirst() throws {
        let pki = Self.ecPKI
        let cms = try pki.sign(Self.manifest)
        let embedded = try CMSSignature.embeddedCertificates(cms)
        #expect(embedded.map(\.derBytes) == [pki.leaf.derBytes, try #require(pki.intermediate).derBytes])
        let withRoot = try CMSSignature.sign(
            Self.manifest, key: pki.leafKey, certificate: pki.leaf, chain: pki.chain + [pki.root])
        #expect(try CMSSignature.embeddedCertificates(withRoot).count == 3)
        #expect(try CMSSignature.embeddedCertificates(withRoot).first?.derBytes == pki.leaf.derBytes)
        // Embedding the root changes nothing about trust.
        _ = try CMSSignature.verify(withRoot, content: Self.manifest, anchors: [pki.root], at: BundlePKI.inside)
        Self.expect(.untrustedSigner) {
            try Self.verifyManifest(withRoot, anchors: [Self.otherRootPKI.root])
        }
    }

    @Test func tooManyEmbeddedCertificatesAreRefused() throws {
        let key = try PrivateKey.generateP256()
        let extras = try (0..<16).map { serial in
            try Certificate.issue(
                BundlePKI.template("Filler \(serial)", BundlePKI.rootValidity, ca: false, serial: UInt64(serial + 10)),
                subjectKey: key.publicKey, issuerKey: key)
        }
        let pki = Self.ecPKIDirect
        let atLimit = try CMSSignature.sign(
            Self.manifest, key: pki.leafKey, certificate: pki.leaf, chain: Array(extras.prefix(15)))
        #expect(try CMSSignature.embeddedCertificates(atLimit).count == 16)
        _ = try CMSSignature.verify(atLimit, content: Self.manifest, anchors: [pki.root], at: BundlePKI.inside)
        let overLimit = try CMSSignature.sign(Self.manifest, key: pki.leafKey, certificate: pki.leaf, chain: extras)
        Self.expect(.inputTooLarge) { _ = try CMSSignature.embeddedCertificates(overLimit) }
        Self.expect(.inputTooLarge) {
            _ = try CMSSignature.verify(overLimit, content: Self.manifest, anchors: [pki.root], at: BundlePKI.inside)
        }
    }

    // MARK: - Signing

    @Test func signingRefusesMismatchedOrWeakKeys() throws {
        let pki = Self.ecPKIDirect
        Self.expect(.signingFailed) {
            _ = try CMSSignature.sign(Self.manifest, key: TestKeys.otherP256, certificate: pki.leaf)
        }
        Self.expect(.unsupportedKey) {
            _ = try CMSSignature.sign(Self.manifest, key: TestKeys.rsa1024, certificate: pki.leaf)
        }
    }

    // MARK: - Certificate authority templates

    @Test func caTemplateAddsExtensionsAndLeafTemplateDoesNot() throws {
        let basicConstraints: [UInt8] = [0x06, 0x03, 0x55, 0x1D, 0x13]
        let keyUsage: [UInt8] = [0x06, 0x03, 0x55, 0x1D, 0x0F]
        let subjectKeyID: [UInt8] = [0x06, 0x03, 0x55, 0x1D, 0x0E]
        let authorityKeyID: [UInt8] = [0x06, 0x03, 0x55, 0x1D, 0x23]
        func contains(_ der: [UInt8], _ needle: [UInt8]) -> Bool {
            der.indices.contains { Array(der[$0..<min($0 + needle.count, der.count)]) == needle }
        }
        let root = Self.ecPKI.root.derBytes
        #expect(contains(root, basicConstraints) && contains(root, keyUsage) && contains(root, subjectKeyID))
        let leaf = Self.ecPKI.leaf.derBytes
        #expect(!contains(leaf, basicConstraints) && !contains(leaf, keyUsage) && !contains(leaf, subjectKeyID))
        #expect(contains(leaf, authorityKeyID))
        // A self-signed leaf (as the DSC tests make) gets nothing new.
        let dsc = try Certificate.issue(
            BundlePKI.template("DSC", BundlePKI.leafValidity, ca: false), subjectKey: TestKeys.p256.publicKey,
            issuerKey: TestKeys.p256)
        for oid in [basicConstraints, keyUsage, subjectKeyID, authorityKeyID] {
            #expect(!contains(dsc.derBytes, oid))
        }
    }
}
