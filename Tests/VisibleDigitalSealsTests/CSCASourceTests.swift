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
