import Foundation
import GateCheckCrypto
import HealthCredentials
import HealthCredentialsTesting
import Testing
import TrustSources
import VisibleDigitalSeals

/// Loose CSCA files and CRLs made in code, through the trust-source reader into a verifier.
@Suite struct CSCASourceTests {
    @Test func looseCSCAInPEMOrDERAndItsCRLMakeTrust() throws {
        let issuer = try VDSNCTestIssuer()
        let pem = Array(TestCertificateAuthority.pem(issuer.csca).utf8)
        #expect(CSCAMasterList.looksLikeCSCACertificates(pem))
        #expect(CSCAMasterList.looksLike(pem))
        #expect(!CSCAMasterList.looksLikeSignedMasterList(pem))
        let fromPEM = try CSCAMasterList.read(pem, path: "csca.pem")
        let fromDER = try CSCAMasterList.read(issuer.csca.derBytes, path: "csca.der")
        #expect(fromPEM.signer == nil)
        #expect(fromPEM.trust.sectionBytes == fromDER.trust.sectionBytes)

        let crl = try issuer.revocationList(revokingSigner: true)
        #expect(CSCAMasterList.looksLikeRevocationList(crl.derBytes))
        let trust = try fromPEM.trust.merging(try CSCAMasterList.read(crl.derBytes, path: "csca.crl").trust)
        let report = VDSNCVerifier(trust: trust).verify(payload: try issuer.seal(), in: VerificationContext(now: VDSNCTestIssuer.validTime))
        #expect(report.failure?.code == CredentialError.Code.revoked)
        #expect(VDSNCVerifier(trust: fromPEM.trust).verify(payload: try issuer.seal(), in: VerificationContext(now: VDSNCTestIssuer.validTime)).verdict == .pass)
    }

    @Test func signedMasterListIsCheckedAndNamesItsSigner() throws {
        let issuer = try VDSNCTestIssuer()
        let other = try VDSNCTestIssuer()
        let list = try issuer.signedMasterList(cscas: [issuer.csca, other.csca])
        #expect(CSCAMasterList.looksLikeSignedMasterList(list))
        #expect(!CSCAMasterList.looksLikeMasterListContent(list))
        let contents = try CSCAMasterList.read(list, path: "test.ml")
        #expect(contents.trust.count == 2)
        #expect(contents.signer?.subjectCommonName == "GateCheck Test Master List Signer")
        let context = VerificationContext(now: VDSNCTestIssuer.validTime)
        #expect(VDSNCVerifier(trust: contents.trust).verify(payload: try other.seal(), in: context).verdict == .pass)

        // The content, tampered after signing: refused as a list.
        let content = VDSNCTestIssuer.masterListContent([issuer.csca, other.csca])
        let start = try #require((0...(list.count - content.count)).first { list[$0..<$0 + content.count].elementsEqual(content) })
        var tampered = list
        tampered[start + content.count - 40] ^= 0x01
        #expect(throws: TrustSourceError.self) { try CSCAMasterList.read(tampered, path: "tampered.ml") }
        do {
            _ = try CSCAMasterList.read(tampered, path: "tampered.ml")
        } catch {
            #expect(error.code == .listRefused)
        }
        // Another content type is not a master list.
        let wrongType = try issuer.signedMasterList(contentType: "1.2.840.113549.1.7.1")
        #expect(!CSCAMasterList.looksLikeSignedMasterList(wrongType))
        #expect(throws: CryptoError.self) { try CSCAMasterListMessage.verifiedContent(of: wrongType) }
        #expect(throws: CryptoError.self) { try CSCAMasterListMessage.verifiedContent(of: list + [0]) }
    }

    @Test func signersAndOtherFilesAreNotCSCAs() throws {
        let issuer = try VDSNCTestIssuer()
        let signerPEM = Array(TestCertificateAuthority.pem(issuer.signer).utf8)
        #expect(!CSCAMasterList.looksLikeCSCACertificates(signerPEM))
        #expect(throws: TrustSourceError.self) { try CSCAMasterList.read(signerPEM, path: "signer.pem") }
        for other in [[UInt8](), Array("{\"certificates\":[]}".utf8), [0x30, 0x03, 0x02, 0x01, 0x00], Array(repeating: 0x41, count: 100)] {
            #expect(!CSCAMasterList.looksLike(other))
            #expect(throws: TrustSourceError.self) { try CSCAMasterList.read(other, path: "other") }
        }
    }
}
