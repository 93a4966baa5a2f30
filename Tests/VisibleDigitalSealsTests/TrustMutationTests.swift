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
    static func masterListContent(_ certificates: [Certificate]) -> [UInt8] {
        func tlv(_ tag: UInt8, _ content: [UInt8]) -> [UInt8] {
            let count = content.count
            let length: [UInt8] = count < 0x80 ? [UInt8(count)] : count < 0x100 ? [0x81, UInt8(count)] : [0x82, UInt8(count >> 8), UInt8(count & 0xFF)]
            return [tag] + length + content
        }
        return tlv(0x30, tlv(0x02, [0]) + tlv(0x31, certificates.flatMap(\.derBytes)))
    }

    @Test func mutatedSourcesAndSectionsNeverTrap() throws {
        let issuer = try VDSNCTestIssuer()
        let other = try VDSNCTestIssuer()
        let content = Self.masterListContent([issuer.csca, other.csca])
        #expect(CSCAMasterList.looksLikeMasterListContent(content))
        #expect(try CSCAMasterList.read(content, path: "content").trust.count == 2)
        let crl = try issuer.revocationList(revokingSigner: true).derBytes
        let pem = Array(TestCertificateAuthority.pem(issuer.csca).utf8)
        let section = try issuer.trust(crls: [try CertificateRevocationList(derEncoded: crl)]).sectionBytes

        var random = SplitMix64(seed: 0x1CA0)
        var outcomes: [String: Int] = [:]
        let rounds = 4_000
        for round in 0..<rounds {
            let source = [content, crl, pem, section][round % 4]
            let mutated = SealMutationTests.mutate(source, using: &random)
            if round % 4 == 3 {
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
