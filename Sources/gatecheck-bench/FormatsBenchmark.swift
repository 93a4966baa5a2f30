import Foundation
import GateCheckCrypto
import HealthCredentials
import HealthCredentialsTesting
import NZCovidPass
import SmartHealthCards
import TrustSources
import VisibleDigitalSeals

/// `gatecheck-bench --formats` (and the end of the default run): the cost of each credential format through the
/// public dispatcher (``CredentialVerifier`` built from a ``CredentialTrust``, so recognition is included), with
/// payloads made by the test issuers:
/// - "decode": the payload against empty trust. Every format stops at the signer lookup (HC1, SHC, NZCP find no
///   key; VDS-NC finds no CSCA and skips the seal's signature), so this is the decode cost (VDS-NC also runs its
///   trust-free checks: EKU and document type, the signer's dates, the schema).
/// - "full": decode and verify against trust holding the signer; the payload must pass.
///
/// Each format's full cost is compared with the HC1 EU DCC ES256 full cost. VDS-NC is also measured against the
/// German master list (571 CSCAs, from the corpus) with the test issuer's CSCA merged in, where the Barcode Signer
/// → CSCA chain check (OpenSSL's X.509 path, itself an ECDSA verify) is measured on its own too.
func runFormatsBenchmark() throws {
    print("Credential formats through CredentialVerifier: decode = empty trust (stops at the signer lookup); full = decode + verify")

    struct Case {
        let name: String
        let payload: [UInt8]
        let trust: CredentialTrust
        let context: VerificationContext
    }

    let hc1Issuer = try TestIssuer(algorithm: .es256)
    let shcIssuer = try SHCTestIssuer()
    let vdsIssuer = try VDSNCTestIssuer()
    let nzcpIssuer = try NZCPTestIssuer()
    let vdsTrust = try vdsIssuer.trust()

    let cases = [
        Case(
            name: "hc1 EU DCC ES256", payload: Array(try hc1Issuer.hc1(TestCredential(type: .vaccination)).utf8),
            trust: CredentialTrust(hcert: hc1Issuer.trustList), context: VerificationContext(now: TestCredential.validAt)),
        Case(
            name: "hc1 WHO DVC ES256", payload: Array(try hc1Issuer.hc1(claims: WHOTestCredentials.dvc()).utf8),
            trust: CredentialTrust(hcert: hc1Issuer.trustList), context: VerificationContext(now: WHOTestCredentials.validAt)),
        Case(
            name: "shc", payload: Array(try shcIssuer.qr().utf8), trust: CredentialTrust(shc: try shcIssuer.directory),
            context: VerificationContext(now: SHCTestIssuer.validAt)),
        Case(
            name: "vds-nc (1 CSCA)", payload: try vdsIssuer.seal(), trust: CredentialTrust(icao: vdsTrust),
            context: VerificationContext(now: VDSNCTestIssuer.validTime)),
        Case(
            name: "nzcp", payload: Array(try nzcpIssuer.pass().utf8), trust: CredentialTrust(did: nzcpIssuer.issuers),
            context: VerificationContext(now: NZCPTestIssuer.validAt)),
    ]

    let empty = CredentialTrust.empty.verifier()
    var sink = 0
    var full: [String: Double] = [:]
    var decode: [String: Double] = [:]
    for entry in cases {
        let verifier = entry.trust.verifier()
        let passing = verifier.verify(payload: entry.payload, in: entry.context)
        precondition(passing.verdict == .pass, "\(entry.name) does not pass: \(passing.steps)")
        precondition(empty.verify(payload: entry.payload, in: entry.context).verdict != .pass)
        decode[entry.name] = measure("\(entry.name): decode (empty trust)", iterations: 5_000) {
            if empty.verify(payload: entry.payload, in: entry.context).format != .unknown { sink += 1 }
        }
        full[entry.name] = measure("\(entry.name): full decode + verify", iterations: 5_000) {
            if verifier.verify(payload: entry.payload, in: entry.context).verdict == .pass { sink += 1 }
        }
    }

    // VDS-NC against the German master list, the test CSCA merged in: 572 CSCAs, the chain search runs over the 565 that are CAs.
    var masterList: (full: Double, decode: Double, chain: Double, anchors: Int)?
    let masterListPath = "vdsnc/kurzdigital-vds-jvm/DE_ML_2025-08-14-07-41-09.ml"
    if TestCorpus.root != nil, FileManager.default.fileExists(atPath: TestCorpus.path(masterListPath)) {
        let list = try CSCAMasterList.read(try TestCorpus.bytes(masterListPath), path: masterListPath)
        let merged = try list.trust.merging(vdsTrust)
        let entry = cases[3]
        let verifier = CredentialTrust(icao: merged).verifier()
        precondition(verifier.verify(payload: entry.payload, in: entry.context).verdict == .pass, "vds-nc does not pass against the master list")
        let fullCost = measure("vds-nc (\(merged.count) CSCAs): full decode + verify", iterations: 5_000) {
            if verifier.verify(payload: entry.payload, in: entry.context).verdict == .pass { sink += 1 }
        }
        // The bare chain check: the same OpenSSL X.509 path the verifier builds over the CSCAs that are CAs.
        let path = try CertificateAuthorityPath(anchors: merged.cscas.filter(\.isCertificateAuthority))
        guard case .trusted = path.check(vdsIssuer.signer, at: VDSNCTestIssuer.validTime) else { preconditionFailure("no chain") }
        let chainCost = measure("vds-nc: bare chain check, \(path.anchors.count) anchors", iterations: 5_000) {
            if case .trusted = path.check(vdsIssuer.signer, at: VDSNCTestIssuer.validTime) { sink += 1 }
        }
        masterList = (fullCost, decode[entry.name] ?? 0, chainCost, path.anchors.count)
    } else {
        print("vds-nc with the German master list: corpus not found (\(masterListPath)); skipped")
    }
    // Where a seal's cost goes: parsing (JSON, the JCS form, the X.509 signer) and the seal's own signature.
    let seal = try VDSNCSeal(payload: cases[3].payload)
    _ = measure("vds-nc: VDSNCSeal(payload:) alone", iterations: 5_000) {
        if (try? VDSNCSeal(payload: cases[3].payload)) != nil { sink += 1 }
    }
    let signerDER = seal.signerCertificate.derBytes
    _ = measure("vds-nc: signer Certificate(derEncoded:) alone", iterations: 5_000) {
        if (try? Certificate(derEncoded: signerDER)) != nil { sink += 1 }
    }
    let spki = seal.signerCertificate.publicKey.subjectPublicKeyInfoDER
    _ = measure("vds-nc: a PublicKey(SPKI DER) decode, to compare", iterations: 5_000) {
        if (try? PublicKey(subjectPublicKeyInfoDER: spki)) != nil { sink += 1 }
    }
    _ = measure("vds-nc: seal signature alone (key + ECDSA)", iterations: 5_000) {
        if seal.signatureError() == nil { sink += 1 }
    }
    // The chain check over the one test CSCA, for comparison.
    let onePath = try CertificateAuthorityPath(anchors: [vdsIssuer.csca])
    let oneChain = measure("vds-nc: bare chain check, 1 anchor", iterations: 5_000) {
        if case .trusted = onePath.check(vdsIssuer.signer, at: VDSNCTestIssuer.validTime) { sink += 1 }
    }
    // A verifier parses each signer certificate and builds its path once; the first seal of a signer pays both.
    let firstSight = measure("vds-nc: first seal of a signer (new verifier)", iterations: 2_000) {
        if VDSNCVerifier(trust: vdsTrust).verify(payload: cases[3].payload, in: cases[3].context).verdict == .pass { sink += 1 }
    }

    let reference = full[cases[0].name] ?? 1
    print(String(format: "reference: hc1 EU DCC ES256 full %.2f µs", reference))
    for entry in cases.dropFirst() {
        let cost = full[entry.name] ?? 0
        var line = "ratio \(entry.name) / hc1: " + String(format: "%.2f×", cost / reference)
        if entry.name.hasPrefix("vds-nc") {
            // Repeat seals of a signer reuse its parsed certificate and path; the first one builds the path.
            let share = oneChain / firstSight
            line += String(format: " (first seal of a signer %.2f µs, %.2f×, the CSCA chain check %.0f%% of it", firstSight, firstSight / reference, 100 * share)
                + (share > 0.5 ? ": dominates)" : ")")
        }
        if cost / reference > 2 { line += "  [more than 2× HC1]" }
        print(line)
    }
    if let masterList {
        let ratio = masterList.full / reference
        // Repeat seals reuse the path; the first seal of a signer builds it, over every anchor.
        print(
            "ratio vds-nc (\(masterList.anchors) anchors) / hc1: " + String(format: "%.2f×", ratio)
                + String(format: " (the first seal of a signer also builds its path: CSCA chain check %.2f µs)", masterList.chain)
                + (ratio > 2 ? "  [more than 2× HC1]" : ""))
    }
    precondition(sink > 0)
}
