import Foundation
import GateCheckCrypto
import HealthCredentials
import HealthCredentialsTesting
import Testing
import TrustSources
import VisibleDigitalSeals

/// The German CSCA master list of 2025-08-14: all 571 CSCAs must load through OpenSSL, in both forms.
@Suite(.enabled(if: TestCorpus.isAvailable, "corpus not found (see NOTICE); set GATECHECK_CORPUS"))
struct MasterListTests {
    static let signedPath = "vdsnc/kurzdigital-vds-jvm/DE_ML_2025-08-14-07-41-09.ml"
    static let contentPath = "vdsnc/masterlist-DE-2025-08-14/DE_ML_2025-08-14_CscaMasterList-content.der"
    /// The total the corpus notes give.
    static let cscaCount = 571

    @Test func signedMasterListLoadsAll571AndNamesItsSigner() throws {
        let bytes = try TestCorpus.bytes(Self.signedPath)
        #expect(CSCAMasterList.looksLikeSignedMasterList(bytes))
        #expect(!CSCAMasterList.looksLikeMasterListContent(bytes))
        let started = ContinuousClock.now
        let contents = try CSCAMasterList.read(bytes, path: Self.signedPath)
        let loading = ContinuousClock.now - started
        #expect(contents.trust.count == Self.cscaCount)
        let signer = try #require(contents.signer)
        #expect(signer.subjectCountry == "DE")

        // One chain verification through the 571-anchor store: the AU seal's signer to AU_csca_16f2.
        let seal = try VDSNCSeal(payload: try TestCorpus.bytes("vdsnc/apo-ios/ios_validVDSJson.json"))
        let path = try CertificateAuthorityPath(anchors: contents.trust.cscas)
        let checkStarted = ContinuousClock.now
        let outcome = path.check(seal.signerCertificate, at: CorpusSealTests.clock.now)
        let checking = ContinuousClock.now - checkStarted
        guard case .trusted(let chain) = outcome else {
            Issue.record("AU signer does not chain: \(outcome)")
            return
        }
        #expect(chain.count == 2)
        #expect(chain.last?.derBytes == (try TestCorpus.bytes("vdsnc/masterlist-DE-2025-08-14/AU_csca_16f2.der")))
        // Whole seals against the 571 CSCAs: decode, JCS, chain, signature, extensions, schema, revocation.
        let verifier = VDSNCVerifier(trust: contents.trust)
        let payload = try TestCorpus.bytes("vdsnc/apo-ios/ios_validVDSJson.json")
        let rounds = 200
        let verifyStarted = ContinuousClock.now
        for _ in 0..<rounds {
            #expect(verifier.verify(payload: payload, in: CorpusSealTests.clock).verdict == .pass)
        }
        let perSeal = (ContinuousClock.now - verifyStarted) / rounds
        print("CSCA master list: \(contents.trust.count) CSCAs loaded and verified in \(loading); one chain check in \(checking); one AU seal verified in \(perSeal)")
    }

    @Test func contentFormLoadsTheSameCSCAs() throws {
        let content = try TestCorpus.bytes(Self.contentPath)
        #expect(CSCAMasterList.looksLikeMasterListContent(content))
        #expect(!CSCAMasterList.looksLikeSignedMasterList(content))
        let fromContent = try CSCAMasterList.read(content, path: Self.contentPath)
        let fromSigned = try CSCAMasterList.read(try TestCorpus.bytes(Self.signedPath), path: Self.signedPath)
        #expect(fromContent.signer == nil)
        #expect(fromContent.trust.cscas.map(\.derBytes) == fromSigned.trust.cscas.map(\.derBytes))
        // The trust bundle section round-trips all of them exactly.
        let section = fromContent.trust.sectionBytes
        #expect(try ICAOTrust(sectionBytes: section).sectionBytes == section)
    }

    /// The mix the notes describe, derived from the certificates: RSASSA-PSS signatures, EC keys with explicit
    /// curve parameters, brainpool curves. Each loaded (a `Certificate` with its public key) above.
    @Test func algorithmMixMatchesTheNotes() throws {
        let cscas = try CSCAMasterList.read(try TestCorpus.bytes(Self.contentPath), path: Self.contentPath).trust.cscas
        var bySignature: [String: Int] = [:]
        var ecKeys = 0
        var explicitParameters = 0
        var curves: [String: Int] = [:]
        for csca in cscas {
            bySignature[csca.signatureAlgorithmOID ?? "?", default: 0] += 1
            if case .ec(let curve) = csca.publicKey.kind {
                ecKeys += 1
                curves[curve, default: 0] += 1
            }
            if Self.hasExplicitCurveParameters(csca.publicKey.subjectPublicKeyInfoDER) { explicitParameters += 1 }
        }
        let ecdsa = bySignature.filter { $0.key.hasPrefix("1.2.840.10045.4.") }.values.reduce(0, +)
        print("CSCA signature algorithms: \(bySignature.sorted { $0.value > $1.value }); EC keys \(ecKeys), explicit \(explicitParameters), curves \(curves)")
        #expect(cscas.count == Self.cscaCount)
        #expect(bySignature["1.2.840.113549.1.1.10"] == 118)  // RSASSA-PSS
        #expect(bySignature["1.2.840.113549.1.1.11"] == 266)  // sha256WithRSAEncryption
        #expect(bySignature["1.2.840.113549.1.1.5"] == 30)  // sha1WithRSAEncryption
        #expect(ecdsa == 137)
        #expect(bySignature["1.2.840.10045.4.1"] == 13)  // ecdsa-with-SHA1
        #expect((bySignature["1.2.840.113549.1.1.12"] ?? 0) + (bySignature["1.2.840.113549.1.1.13"] ?? 0) == 20)  // sha384/512WithRSA
        #expect(ecKeys == 148)
        #expect(explicitParameters == 144)
        #expect(curves.keys.contains { $0.hasPrefix("brainpool") })
    }

    /// The list's link certificates (not self-signed) as leaves, its self-signed CSCAs as anchors: each chains,
    /// through RSASSA-PSS, brainpool and explicit-parameter CSCAs alike, unless its issuer is not in the list.
    @Test func linkCertificatesChainToTheListsRoots() throws {
        let cscas = try CSCAMasterList.read(try TestCorpus.bytes(Self.contentPath), path: Self.contentPath).trust.cscas
        let roots = cscas.filter(\.isSelfSignedCertificateAuthority)
        let links = cscas.filter { !$0.isSelfSignedCertificateAuthority }
        let path = try CertificateAuthorityPath(anchors: roots)
        var trusted = 0
        var explicitIssuers = 0
        var pssIssued = 0
        var missingIssuer = 0
        for link in links {
            let middle = link.notBefore + link.notAfter.timeIntervalSince(link.notBefore) / 2
            switch path.check(link, at: middle) {
            case .trusted(let chain):
                trusted += 1
                if let issuer = chain.last, Self.hasExplicitCurveParameters(issuer.publicKey.subjectPublicKeyInfoDER) { explicitIssuers += 1 }
                if link.signatureAlgorithmOID == "1.2.840.113549.1.1.10" { pssIssued += 1 }
            case .outsideValidity:
                Issue.record("a link certificate is outside its own validity at its midpoint")
            case .untrusted(let reason):
                #expect(reason.contains("unable to get local issuer certificate"), "\(reason)")
                missingIssuer += 1
            }
        }
        print("CSCA link certificates: \(links.count), chained \(trusted) (\(explicitIssuers) to explicit-parameter CSCAs, \(pssIssued) RSASSA-PSS), issuer not in the list \(missingIssuer)")
        #expect(trusted + missingIssuer == links.count)
        #expect(trusted > links.count * 9 / 10)
        #expect(explicitIssuers > 0)
        #expect(pssIssued > 0)
    }

    @Test func tamperedSignedMasterListIsRefused() throws {
        var bytes = try TestCorpus.bytes(Self.signedPath)
        // A byte inside the content (well past the CMS header): the signature no longer matches.
        bytes[bytes.count / 2] ^= 0x01
        #expect(throws: TrustSourceError.self) { try CSCAMasterList.read(bytes, path: "tampered") }
        do {
            _ = try CSCAMasterList.read(bytes, path: "tampered")
        } catch {
            #expect(error.code == .listRefused || error.code == .badCertificate)
        }
    }

    @Test func australianCSCAsAndCRLAreRecognised() throws {
        let csca = try TestCorpus.bytes("vdsnc/dfat-app-assets/CSCA_AUS.der")
        #expect(CSCAMasterList.looksLikeCSCACertificates(csca))
        #expect(try CSCAMasterList.read(csca, path: "CSCA_AUS").trust.count == 1)
        let crl = try TestCorpus.bytes("vdsnc/dfat-app-assets/CRL_AUS.crl")
        #expect(CSCAMasterList.looksLikeRevocationList(crl))
        #expect(!CSCAMasterList.looksLikeCSCACertificates(crl))
        #expect(try CSCAMasterList.read(crl, path: "CRL_AUS").trust.crls.count == 1)
        // A Barcode Signer is not a CSCA.
        let bsc = try TestCorpus.bytes("vdsnc/apo-ios/ios_bscCertData.der")
        #expect(!CSCAMasterList.looksLikeCSCACertificates(bsc))
        #expect(throws: TrustSourceError.self) { try CSCAMasterList.read(bsc, path: "bsc") }
        // PEM of a non-CA signer (UTO) is refused too.
        let pem = try TestCorpus.bytes("vdsnc/pathcheck-vds-sdk/UTO_signer_cert.pem")
        #expect(!CSCAMasterList.looksLikeCSCACertificates(pem))
    }

    /// Whether an EC SubjectPublicKeyInfo's parameters are a SEQUENCE (ECParameters) rather than a named-curve
    /// OID: `SEQUENCE { SEQUENCE { OID ecPublicKey, parameters }, BIT STRING }`.
    static func hasExplicitCurveParameters(_ spki: [UInt8]) -> Bool {
        var outer = DERReader(spki[...])
        guard let info = outer.next() else { return false }
        var fields = DERReader(info.content)
        guard let algorithm = fields.next() else { return false }
        var parts = DERReader(algorithm.content)
        guard let oid = parts.next(), Array(oid.content) == [0x2A, 0x86, 0x48, 0xCE, 0x3D, 0x02, 0x01], let parameters = parts.next() else {
            return false
        }
        return parameters.tag == DERReader.sequence
    }
}
