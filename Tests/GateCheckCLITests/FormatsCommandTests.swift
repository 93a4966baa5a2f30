import Foundation
import GateCheckCrypto
import GateCheckTestSupport
import HealthCredentials
import HealthCredentialsTesting
import JSON
import NZCovidPass
import SmartHealthCards
import Testing
import VisibleDigitalSeals

/// Issue 16 end to end, by running the `gatecheck` binary: a credential of every format verified with the trust of
/// its own framework (given with `--trust`, or put into a signed bundle and installed), frameworks kept apart, the
/// dispatcher's refusals, chunked SMART Health Cards and pretty-printed seals. Every key is made here by the test
/// issuers; every expectation comes from them and from docs/formats.md.
@Suite struct FormatsCommandTests {
    /// The steps of each format, as docs/formats.md's table gives them. A WHO credential is `hc1` without `rules` and
    /// `revocation`, which docs/formats/who-gdhcn.md says are not reported for WHO profiles.
    static let hc1Steps: Set = ["trust", "decode", "signature", "keyUsage", "signerValidity", "tokenValidity", "schema", "content", "rules", "revocation"]
    static let whoSteps = hc1Steps.subtracting(["rules", "revocation"])
    static let shcSteps: Set = ["trust", "decode", "signature", "tokenValidity", "schema", "revocation"]
    static let sealSteps: Set = ["trust", "decode", "signature", "keyUsage", "signerValidity", "schema", "revocation"]
    static let nzcpSteps: Set = ["trust", "decode", "signature", "tokenValidity", "schema"]

    // MARK: - Issuers and their trust on disk

    /// One credential, the file it is in, and what its report must say.
    struct Credential: CustomStringConvertible {
        let name: String
        let file: String
        /// When it is valid (each test issuer says when).
        let at: Date
        let format: String
        let profile: String?
        let steps: Set<String>
        let issuer: String
        let kid: String
        let type: String?
        /// The `--trust` arguments of its own framework only.
        let trust: [String]

        var description: String { name }
    }

    /// An issuer of every format, each one's trust written as its framework publishes it, and one credential of each.
    struct World {
        let folder: TemporaryDirectory
        let eu: TestIssuer
        let who: TestIssuer
        let shc: SHCTestIssuer
        let seal: VDSNCTestIssuer
        let nzcp: NZCPTestIssuer
        /// A second ICAO state, whose CSCA comes in a signed master list rather than as a loose certificate.
        let masterListSeal: VDSNCTestIssuer
        let euDSC: String
        let whoDSC: String
        let csca: String
        let masterList: String
        let didDocument: String
        /// `--trust <snapshot> --vci-snapshot-signature <sig> --vci-snapshot-cert <crt>`.
        let vciSnapshot: [String]

        init() throws {
            folder = try TemporaryDirectory("formats")
            eu = try TestIssuer()
            who = try TestIssuer()
            shc = try SHCTestIssuer()
            seal = try VDSNCTestIssuer()
            masterListSeal = try VDSNCTestIssuer(issuingState: "JPN", country: "JP")
            nzcp = try NZCPTestIssuer()
            euDSC = try folder.write("trust/eu-dsc.pem", TestCertificateAuthority.pem(eu.certificate))
            whoDSC = try folder.write("trust/who-dsc.pem", TestCertificateAuthority.pem(who.certificate))
            csca = try folder.write("trust/csca.pem", TestCertificateAuthority.pem(seal.csca))
            masterList = try folder.write("trust/masterlist.ml", try masterListSeal.signedMasterList())
            didDocument = try folder.write("trust/nzcp-did.json", nzcp.didDocument)
            vciSnapshot = try FormatsCommandTests.vciSnapshot(trusting: shc, in: folder)
        }

        /// One credential of each format (and profile), each in its own file.
        func credentials() throws -> [Credential] {
            [
                Credential(
                    name: "EU DCC", file: try folder.write("eu-dcc.txt", try eu.hc1(TestCredential()) + "\n"), at: TestCredential.validAt,
                    format: "hc1", profile: "eu-dcc", steps: FormatsCommandTests.hc1Steps, issuer: "XX",
                    kid: Data(eu.kid).base64EncodedString(), type: "v", trust: ["--trust", euDSC]),
                Credential(
                    name: "WHO DVC", file: try folder.write("who-dvc.txt", try who.hc1(claims: WHOTestCredentials.dvc()) + "\n"),
                    at: WHOTestCredentials.validAt, format: "hc1", profile: "who-dvc", steps: FormatsCommandTests.whoSteps, issuer: "XX",
                    kid: Data(who.kid).base64EncodedString(), type: "v", trust: ["--trust", whoDSC]),
                Credential(
                    name: "SMART Health Card", file: try folder.write("shc.txt", try shc.qr() + "\n"), at: SHCTestIssuer.validAt,
                    format: "shc", profile: nil, steps: FormatsCommandTests.shcSteps, issuer: shc.iss, kid: shc.kid, type: "v",
                    trust: vciSnapshot),
                Credential(
                    name: "VDS-NC seal", file: try folder.write("seal.json", try seal.seal()), at: VDSNCTestIssuer.validTime,
                    format: "vds-nc", profile: nil, steps: FormatsCommandTests.sealSteps, issuer: seal.issuingState,
                    kid: Data(seal.signer.sha256Fingerprint).base64EncodedString(), type: "v", trust: ["--trust", csca]),
                Credential(
                    name: "VDS-NC seal (master list)", file: try folder.write("seal-ml.json", try masterListSeal.seal(type: .test)),
                    at: VDSNCTestIssuer.validTime, format: "vds-nc", profile: nil, steps: FormatsCommandTests.sealSteps,
                    issuer: masterListSeal.issuingState, kid: Data(masterListSeal.signer.sha256Fingerprint).base64EncodedString(), type: "t",
                    trust: ["--trust", masterList]),
                Credential(
                    name: "NZ COVID Pass", file: try folder.write("nzcp.txt", try nzcp.pass() + "\n"), at: NZCPTestIssuer.validAt,
                    format: "nzcp", profile: nil, steps: FormatsCommandTests.nzcpSteps, issuer: nzcp.did, kid: nzcp.kid, type: nil,
                    trust: ["--trust", didDocument]),
            ]
        }

        /// Every framework's trust, as `--trust` arguments.
        var allTrust: [String] {
            ["--trust", euDSC, "--trust", whoDSC, "--trust", csca, "--trust", masterList, "--trust", didDocument] + vciSnapshot
        }
    }

    /// A VCI directory snapshot listing `issuer`, its detached ECDSA P-521/SHA-512 signature and the self-signed
    /// certificate that signed it, as `--trust`, `--vci-snapshot-signature` and `--vci-snapshot-cert` arguments.
    static func vciSnapshot(trusting issuer: SHCTestIssuer, in folder: TemporaryDirectory) throws -> [String] {
        let snapshot = JSONWriter.bytes(
            .object([
                ("directory", "https://vci.gatecheck.test/"), ("time", "2026-01-01T00:00:00Z"),
                (
                    "issuerInfo",
                    [.object([("issuer", .object([("iss", .string(issuer.iss)), ("name", "GateCheck Test Issuer")])), ("keys", [issuer.jwk])])]
                ),
            ]))
        let key = try PrivateKey.generateEC(curve: "P-521")
        let certificate = try Certificate.issue(
            CertificateTemplate(
                commonName: "vci.gatecheck.test", country: "US", notBefore: TestCertificateAuthority.defaultNotBefore,
                notAfter: TestCertificateAuthority.defaultNotAfter),
            subjectKey: key.publicKey, issuerKey: key)
        return [
            "--trust", try folder.write("trust/vci_snapshot.json", snapshot),
            "--vci-snapshot-signature", try folder.write("vci_snapshot.sig", try key.sign(snapshot, algorithm: .ecdsa(hash: .sha512, encoding: .der))),
            "--vci-snapshot-cert", try folder.write("vci_snapshot.crt", TestCertificateAuthority.pem(certificate)),
        ]
    }

    /// A WHO GDHCN trust list (a DID document whose keys carry `x5c`, each id ending `#<kid>`) holding `certificates`:
    /// what makes any certificate an HCERT Document Signer.
    static func gdhcnTrustList(_ certificates: [Certificate]) -> [UInt8] {
        let did = "did:web:tng-cdn.gatecheck.test:trustlist"
        let methods: [JSONValue] = certificates.map { certificate in
            let point = certificate.publicKey.subjectPublicKeyInfoDER.suffix(64)
            return .object([
                ("type", "JsonWebKey2020"), ("id", .string(did + ":XXX#" + Data(DocumentSigner.kid(for: certificate)).base64EncodedString())),
                ("controller", .string(did + ":XXX")),
                (
                    "publicKeyJwk",
                    .object([
                        ("kty", "EC"), ("crv", "P-256"), ("x", .string(Base64URL.encode(point.prefix(32)))), ("y", .string(Base64URL.encode(point.suffix(32)))),
                        ("x5c", [.string(Data(certificate.derBytes).base64EncodedString())]),
                    ])
                ),
            ])
        }
        return JSONWriter.bytes(.object([("id", .string(did)), ("verificationMethod", .array(methods))]))
    }

    // MARK: - Running the binary

    static func time(_ date: Date) -> String { ISO8601DateFormatter().string(from: date) }

    /// `gatecheck verify --json` at `at`, with `trust` arguments (or a store's).
    static func verify(_ trust: [String], at: Date, _ inputs: [String]) throws -> GateCheckCLI.Result {
        try GateCheckCLI.run(["verify"] + trust + ["--at", time(at), "--json"] + inputs)
    }

    /// A report that passes as `credential`'s must: its format and profile, exactly its format's steps, each ok (an
    /// EU DCC's `rules` skipped: no `--country`), and the issuer, kid and type its issuer gave it.
    static func expectPass(_ object: [String: Any], _ credential: Credential, sourceLocation: SourceLocation = #_sourceLocation) {
        let line = "\(credential): \(object)"
        #expect(object["input"] as? String == credential.file, "\(line)", sourceLocation: sourceLocation)
        #expect(object["format"] as? String == credential.format, "\(line)", sourceLocation: sourceLocation)
        if let profile = credential.profile {
            #expect(object["profile"] as? String == profile, "\(line)", sourceLocation: sourceLocation)
        } else {
            #expect(object["profile"] is NSNull, "\(line)", sourceLocation: sourceLocation)
        }
        #expect(object["verdict"] as? String == "pass", "\(line)", sourceLocation: sourceLocation)
        #expect(object["reason"] is NSNull, "\(line)", sourceLocation: sourceLocation)
        let steps = object["steps"] as? [String: String] ?? [:]
        #expect(Set(steps.keys) == credential.steps, "\(line)", sourceLocation: sourceLocation)
        for (step, outcome) in steps {
            let expected = credential.profile == "eu-dcc" && step == "rules" ? "skipped" : "ok"
            #expect(outcome == expected, "\(credential) \(step): \(outcome)", sourceLocation: sourceLocation)
        }
        #expect(object["issuer"] as? String == credential.issuer, "\(line)", sourceLocation: sourceLocation)
        #expect(object["kid"] as? String == credential.kid, "\(line)", sourceLocation: sourceLocation)
        if let type = credential.type {
            #expect(object["type"] as? String == type, "\(line)", sourceLocation: sourceLocation)
        } else {
            #expect(object["type"] is NSNull, "\(line)", sourceLocation: sourceLocation)
        }
    }

    /// A bundle-signing PKI (anchors folder, signer key and certificate) and a state folder to install into.
    struct Store {
        let folder: TemporaryDirectory
        let anchors: String
        let state: String
        let signingKey: String
        let signingCertificate: String

        init() throws {
            folder = try TemporaryDirectory("formats-store")
            let authority = try TestCertificateAuthority(commonName: "Formats Test Root")
            let (key, leaf) = try authority.issueSigner(commonName: "Formats Test Bundle Signer")
            anchors = try folder.directory("anchors")
            try folder.write("anchors/root.pem", TestCertificateAuthority.pem(authority.certificate))
            signingKey = try folder.write("signer-key.pem", try key.pemEncoded())
            signingCertificate = try folder.write("signer-cert.pem", TestCertificateAuthority.pem(leaf))
            state = folder.file("state")
        }

        /// `trust bundle create` with `trust` arguments.
        func create(_ trust: [String], name: String = "formats.bundle") throws -> (GateCheckCLI.Result, bundle: String) {
            let bundle = folder.file(name)
            let result = try GateCheckCLI.run(
                [
                    "trust", "bundle", "create", "--signing-key", signingKey, "--signing-cert", signingCertificate, "--sequence", "1",
                    "--valid-days", "30", "--producer", "formats-tests",
                ] + trust + ["--output", bundle])
            return (result, bundle)
        }

        /// Creates a bundle of `trust` and installs it; both must succeed.
        func install(_ trust: [String]) throws {
            let (created, bundle) = try create(trust)
            try #require(created.status == 0, "\(created.standardError)")
            let imported = try GateCheckCLI.run(["trust", "import", "--state-dir", state, "--anchors", anchors, bundle])
            try #require(imported.status == 0, "\(imported.standardError)")
        }

        /// `verify` with no `--trust`: the installed store.
        var arguments: [String] { ["--state-dir", state, "--anchors", anchors] }
    }

    // MARK: - 1. Each format with its own trust files

    @Test func everyFormatPassesWithItsOwnTrustFiles() throws {
        let world = try World()
        for credential in try world.credentials() {
            let result = try Self.verify(credential.trust, at: credential.at, [credential.file])
            #expect(result.status == 0, "\(credential): \(result.standardError) \(result.standardOutput)")
            let objects = result.jsonObjects
            #expect(objects.count == 1, "\(credential): \(result.standardOutput)")
            if let object = objects.first { Self.expectPass(object, credential) }
        }
    }

    /// The same trust files fail every other format's credential: without its own framework's keys, nothing passes.
    @Test func noFormatPassesWithAnotherFormatsTrustFiles() throws {
        let world = try World()
        let credentials = try world.credentials()
        for credential in credentials {
            let others = credentials.filter { $0.format != credential.format }.flatMap(\.trust)
            let result = try Self.verify(others, at: credential.at, [credential.file])
            #expect(result.status == 1, "\(credential): \(result.standardError)")
            let object = try #require(result.jsonObjects.first, "\(credential): \(result.standardError)")
            #expect(object["format"] as? String == credential.format)
            #expect(object["verdict"] as? String == "fail", "\(credential): \(object)")
            let signature = (object["steps"] as? [String: String])?["signature"] ?? ""
            #expect(signature.hasPrefix("failed:"), "\(credential): \(object)")
            #expect(object["reason"] as? String == String(signature.dropFirst("failed:".count)), "\(credential): \(object)")
        }
    }

    /// The snapshot's detached signature is checked before anything in it is trusted: without it, or with a signature
    /// over other bytes, `--trust` is a usage error and no credential is reported.
    @Test func vciSnapshotWithoutItsSignatureOrWithAWrongOneIsRefused() throws {
        let world = try World()
        let shc = try #require(try world.credentials().first { $0.format == "shc" })
        let snapshot = world.vciSnapshot[1]
        let other = try FormatsCommandTests.vciSnapshot(trusting: try SHCTestIssuer(), in: try TemporaryDirectory("formats-other"))
        let cases: [[String]] = [
            ["--trust", snapshot],
            // Another snapshot's signature and certificate: consistent with each other, not with this snapshot.
            ["--trust", snapshot] + Array(other[2...]),
            // This snapshot's signature with another certificate.
            ["--trust", snapshot, world.vciSnapshot[2], world.vciSnapshot[3]] + Array(other[4...]),
        ]
        for trust in cases {
            let result = try Self.verify(trust, at: shc.at, [shc.file])
            #expect(result.status == 2, "\(trust): \(result.standardError) \(result.standardOutput)")
            #expect(result.jsonObjects.isEmpty, "\(result.standardOutput)")
            #expect(result.standardError.contains("snapshot"), "\(result.standardError)")
            let store = try Store()
            let (created, bundle) = try store.create(trust)
            #expect(created.status != 0, "\(trust): \(created.standardOutput)")
            #expect(!FileManager.default.fileExists(atPath: bundle))
        }
    }

    // MARK: - 2. One bundle holding every framework

    @Test func bundleOfEveryFrameworkInstallsShowsItsCountsAndVerifiesEachFormat() throws {
        let world = try World()
        let store = try Store()
        let (created, bundle) = try store.create(world.allTrust)
        #expect(created.status == 0, "\(created.standardError)")
        // What went in: two DSCs, the SHC issuer's keys, a loose CSCA and a master list's, one DID key.
        let shcKeys = try world.shc.directory.count
        let expected = [
            "hcert": [world.eu, world.who].count, "shc": shcKeys, "icao": [world.seal, world.masterListSeal].count, "did": world.nzcp.issuers.count,
        ]
        #expect(created.standardOutput.contains("\(expected["hcert"] ?? 0) signers"), "\(created.standardOutput)")
        for framework in ["shc", "icao", "did"] {
            #expect(created.standardOutput.contains("\(expected[framework] ?? 0) \(framework) keys"), "\(created.standardOutput)")
        }
        let imported = try GateCheckCLI.run(["trust", "import", "--state-dir", store.state, "--anchors", store.anchors, bundle])
        #expect(imported.status == 0, "\(imported.standardError)")

        let shown = try GateCheckCLI.run(["trust", "show", "--json"] + store.arguments)
        #expect(shown.status == 0, "\(shown.standardError)")
        let status = try #require(shown.jsonObjects.first, "\(shown.standardOutput)")
        #expect(status["frameworks"] as? [String: Int] == expected, "\(status)")
        #expect(status["signers"] as? Int == expected["hcert"])
        #expect(status["status"] as? String == "ok")
        let text = try GateCheckCLI.run(["trust", "show"] + store.arguments)
        let line = "frameworks: " + ["hcert", "shc", "icao", "did"].map { "\($0) \(expected[$0] ?? 0)" }.joined(separator: ", ")
        #expect(text.standardOutput.contains(line), "\(text.standardOutput)")

        for credential in try world.credentials() {
            let result = try Self.verify(store.arguments, at: credential.at, [credential.file])
            #expect(result.status == 0, "\(credential): \(result.standardError) \(result.standardOutput)")
            let objects = result.jsonObjects
            #expect(objects.count == 1, "\(credential): \(result.standardOutput)")
            if let object = objects.first { Self.expectPass(object, credential) }
        }
    }

    // MARK: - 3. Frameworks kept apart

    /// A self-signed CA certificate is a CSCA (docs/formats.md): an HC1 credential signed with its key is not signed
    /// by a Document Signer, until the same certificate comes as one (in a GDHCN trust list).
    @Test func hc1SignedByAKeyThatIsOnlyAnICAOCSCAIsAnUnknownSigner() throws {
        let world = try World()
        let key = try PrivateKey.generateP256()
        let certificate = try Certificate.issue(
            CertificateTemplate(
                commonName: "GateCheck Test DSC that is a CA", country: "XX", notBefore: TestCertificateAuthority.defaultNotBefore,
                notAfter: TestCertificateAuthority.defaultNotAfter, isCertificateAuthority: true),
            subjectKey: key.publicKey, issuerKey: key)
        let issuer = TestIssuer(key: key, certificate: certificate, algorithm: .es256)
        let asCSCA = try world.folder.write("trust/dsc-as-csca.pem", TestCertificateAuthority.pem(certificate))
        let asMasterList = try world.folder.write("trust/dsc-in-masterlist.ml", try world.seal.signedMasterList(cscas: [certificate]))
        let asDSC = try world.folder.write("trust/dsc-in-gdhcn.json", Self.gdhcnTrustList([certificate]))
        let payload = try world.folder.write("hc1-ca.txt", try issuer.hc1(TestCredential()) + "\n")

        let store = try Store()
        for trust in [asCSCA, asMasterList] {
            // Where the file's certificate goes: a loose CA certificate and a master list are ICAO trust.
            let (created, _) = try store.create(["--trust", trust], name: URL(fileURLWithPath: trust).lastPathComponent + ".bundle")
            #expect(created.status == 0, "\(created.standardError)")
            #expect(created.standardOutput.contains(" 0 signers"), "\(created.standardOutput)")
            #expect(created.standardOutput.contains(" 1 icao keys"), "\(created.standardOutput)")

            let result = try Self.verify(["--trust", trust], at: TestCredential.validAt, [payload])
            #expect(result.status == 1, "\(trust): \(result.standardError)")
            let object = try #require(result.jsonObjects.first, "\(result.standardError)")
            #expect(object["format"] as? String == "hc1")
            #expect(object["verdict"] as? String == "fail")
            #expect(object["reason"] as? String == "unknown-signer", "\(object)")
            #expect((object["steps"] as? [String: String])?["signature"] == "failed:unknown-signer", "\(object)")
        }
        // The same certificate as an HCERT signer verifies it: the framework, not the key, made the difference.
        let passed = try Self.verify(["--trust", asDSC], at: TestCredential.validAt, [payload])
        #expect(passed.status == 0, "\(passed.standardError) \(passed.standardOutput)")
        #expect(passed.jsonObjects.first?["verdict"] as? String == "pass", "\(passed.standardOutput)")
    }

    /// A seal's CSCA listed as an HCERT Document Signer (in a GDHCN trust list) anchors nothing.
    @Test func sealWhoseCSCAIsOnlyAnHCERTSignerIsUntrusted() throws {
        let world = try World()
        let asDSC = try world.folder.write("trust/csca-in-gdhcn.json", Self.gdhcnTrustList([world.seal.csca]))
        let store = try Store()
        let (created, _) = try store.create(["--trust", asDSC])
        #expect(created.status == 0, "\(created.standardError)")
        #expect(created.standardOutput.contains(" 1 signers"), "\(created.standardOutput)")
        #expect(!created.standardOutput.contains("icao keys"), "\(created.standardOutput)")

        let seal = try #require(try world.credentials().first { $0.format == "vds-nc" })
        let result = try Self.verify(["--trust", asDSC], at: seal.at, [seal.file])
        #expect(result.status == 1, "\(result.standardError)")
        let object = try #require(result.jsonObjects.first, "\(result.standardError)")
        #expect(object["format"] as? String == "vds-nc")
        #expect(object["verdict"] as? String == "fail")
        #expect(object["reason"] as? String == "untrusted-signer", "\(object)")
        #expect((object["steps"] as? [String: String])?["signature"] == "failed:untrusted-signer", "\(object)")
        // The same CSCA as a loose CA certificate anchors it.
        let passed = try Self.verify(["--trust", world.csca], at: seal.at, [seal.file])
        #expect(passed.status == 0, "\(passed.standardError)")
        if let object = passed.jsonObjects.first { Self.expectPass(object, seal) }
    }

    // MARK: - 4. What the dispatcher refuses

    @Test func payloadsOfNoSupportedShapeAreUnsupportedFormats() throws {
        let world = try World()
        let cases: [(file: String, format: String)] = [
            (try world.folder.write("menu.txt", "https://menu.example.test/table/12\n"), "unknown"),
            (try world.folder.write("not-a-seal.json", #"{"data": {"hdr": {"t": "boarding.pass", "v": 1, "is": "UTO"}}, "sig": {}}"#), "unknown"),
            (try world.folder.write("divoc.txt", Array("PK".utf8) + [0x03, 0x04, 0x14, 0x00, 0x08, 0x08] + Array("certificate.json".utf8)), "divoc"),
            (try world.folder.write("constrained-seal.txt", [0xDC, 0x03, 0x55, 0x54, 0x4F, 0x01, 0x02]), "icao-vds"),
        ]
        for (file, format) in cases {
            // Every framework's trust is there: still nothing can verify these.
            let result = try Self.verify(world.allTrust, at: TestCredential.validAt, [file])
            #expect(result.status == 1, "\(file): \(result.standardError)")
            #expect(result.jsonObjects.count == 1, "\(file): \(result.standardOutput)")
            let object = try #require(result.jsonObjects.first, "\(file): \(result.standardError)")
            #expect(object["format"] as? String == format, "\(object)")
            #expect(object["profile"] is NSNull, "\(object)")
            #expect(object["verdict"] as? String == "fail", "\(object)")
            #expect(object["reason"] as? String == "unsupported-format", "\(object)")
            let steps = object["steps"] as? [String: String] ?? [:]
            #expect(steps["decode"] == "failed:unsupported-format", "\(object)")
            #expect(steps["signature"] != "ok", "\(object)")
        }
    }

    // MARK: - 5. A chunked SMART Health Card

    @Test func chunkedSmartHealthCardInShuffledLinesIsOneReportThatPasses() throws {
        let world = try World()
        let store = try Store()
        try store.install(world.vciSnapshot)
        let shc = try #require(try world.credentials().first { $0.format == "shc" })
        let chunks = try world.shc.chunks(count: 3)
        #expect(chunks.count == 3)
        let file = try world.folder.write("chunked.txt", [chunks[2], chunks[0], chunks[1]].joined(separator: "\n") + "\n")
        let result = try Self.verify(store.arguments, at: shc.at, [file])
        #expect(result.status == 0, "\(result.standardError) \(result.standardOutput)")
        #expect(result.jsonObjects.count == 1, "\(result.standardOutput)")
        if let object = result.jsonObjects.first {
            Self.expectPass(
                object,
                Credential(
                    name: "chunked SMART Health Card", file: file, at: shc.at, format: shc.format, profile: nil, steps: shc.steps,
                    issuer: shc.issuer, kid: shc.kid, type: shc.type, trust: []))
        }

        // Among other codes of the same input: those are reported first, then the card from all its parts.
        let nzcp = try world.nzcp.pass()
        let mixed = try world.folder.write("mixed.txt", [chunks[1], nzcp, chunks[2], chunks[0]].joined(separator: "\n") + "\n")
        let both = try Self.verify(store.arguments, at: shc.at, [mixed])
        #expect(both.jsonObjects.map { $0["format"] as? String } == ["nzcp", "shc"], "\(both.standardOutput)")
        #expect(both.jsonObjects.last?["verdict"] as? String == "pass", "\(both.standardOutput)")
        #expect(both.jsonObjects.allSatisfy { $0["input"] as? String == mixed })

        // A chunk missing: still one report, of that card, and it fails.
        let incomplete = try world.folder.write("incomplete.txt", [chunks[2], chunks[0]].joined(separator: "\n") + "\n")
        let failed = try Self.verify(store.arguments, at: shc.at, [incomplete])
        #expect(failed.status == 1)
        #expect(failed.jsonObjects.count == 1, "\(failed.standardOutput)")
        #expect(failed.jsonObjects.first?["format"] as? String == "shc")
        #expect(failed.jsonObjects.first?["verdict"] as? String == "fail")
    }

    // MARK: - 6. A pretty-printed seal

    @Test func prettyPrintedSealFileIsOnePayload() throws {
        let world = try World()
        let seal = try #require(try world.credentials().first { $0.format == "vds-nc" })
        let compact = try world.seal.seal()
        let pretty = JSONWriter.prettyBytes(try JSONParser.parse(compact))
        let file = try world.folder.write("seal-pretty.json", pretty + Array("\n".utf8))
        #expect(pretty.filter { $0 == UInt8(ascii: "\n") }.count > 10, "\(String(decoding: pretty, as: UTF8.self))")
        let result = try Self.verify(seal.trust, at: seal.at, [file])
        #expect(result.status == 0, "\(result.standardError) \(result.standardOutput)")
        #expect(result.jsonObjects.count == 1, "\(result.standardOutput)")
        if let object = result.jsonObjects.first {
            Self.expectPass(
                object,
                Credential(
                    name: "pretty seal", file: file, at: seal.at, format: seal.format, profile: nil, steps: seal.steps, issuer: seal.issuer,
                    kid: seal.kid, type: seal.type, trust: seal.trust))
        }
    }
}
