import Foundation
import GateCheckCrypto
import HealthCredentials
import HealthCredentialsTesting
import Testing
import TrustSources
import VisibleDigitalSeals

/// Mutated trust material: master list content, CRLs, loose CSCAs and the bundle section. Each read either
/// refuses with its error type or gives trust that round-trips; nothing traps.
@Suite struct TrustMutationTests {
    @Test func mutatedSourcesAndSectionsNeverTrap() throws {
        let issuer = try VDSNCTestIssuer()
        let other = try VDSNCTestIssuer()
        let content = VDSNCTestIssuer.masterListContent([issuer.csca, other.csca])
        #expect(CSCAMasterList.looksLikeMasterListContent(content))
        #expect(try CSCAMasterList.read(content, path: "content").trust.count == 2)
        let crl = try issuer.revocationList(revokingSigner: true).derBytes
        let pem = Array(TestCertificateAuthority.pem(issuer.csca).utf8)
        let signedList = try issuer.signedMasterList(cscas: [issuer.csca, other.csca])
        let section = try issuer.trust(crls: [try CertificateRevocationList(derEncoded: crl)]).sectionBytes

        var random = SplitMix64(seed: 0x1CA0)
        var outcomes: [String: Int] = [:]
        let rounds = 5_000
        for round in 0..<rounds {
            let source = [content, crl, pem, signedList, section][round % 5]
            let mutated = Mutation.mutate(source, using: &random)
            if round % 5 == 4 {
                do {
                    let trust = try ICAOTrust(sectionBytes: mutated)
                    #expect(trust.sectionBytes == mutated)
                    outcomes["section-read", default: 0] += 1
                } catch {
                    outcomes["section-refused", default: 0] += 1
                }
            } else {
                _ = CSCAMasterList.looksLike(mutated)
                do {
                    let contents = try CSCAMasterList.read(mutated, path: "mutated")
                    outcomes["read", default: 0] += 1
                    #expect(try ICAOTrust(sectionBytes: contents.trust.sectionBytes).sectionBytes == contents.trust.sectionBytes)
                } catch let error as TrustSourceError {
                    outcomes["refused:\(error.code)", default: 0] += 1
                } catch {
                    Issue.record("unexpected error \(error)")
                }
            }
        }
        #expect(outcomes.values.reduce(0, +) == rounds)
        print("VDS-NC trust mutations: \(rounds); \(outcomes.sorted { $0.key < $1.key })")
    }
}
