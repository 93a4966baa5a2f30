import Foundation
import GateCheckCrypto
import GateCheckTestSupport
import HealthCredentials
import HealthCredentialsTesting
import Testing
import TrustSources

/// Where `pattern` first occurs in `bytes`.
func firstIndex(of pattern: [UInt8], in bytes: [UInt8]) -> Int? {
    guard bytes.count >= pattern.count else { return nil }
    return (0...(bytes.count - pattern.count)).first { bytes[$0..<($0 + pattern.count)].elementsEqual(pattern) }
}

/// RFC 7468 PEM armour.
func pem(_ der: [UInt8], label: String) -> String {
    "-----BEGIN \(label)-----\n" + Data(der).base64EncodedString(options: [.lineLength64Characters, .endLineWithLineFeed])
        + "\n-----END \(label)-----\n"
}

/// A German-format DSC list (base64 raw ECDSA r‖s line, then the JSON body) signed in code.
enum GermanListFixture {
    static let signingKey = try! PrivateKey.generateP256()

    static func body(_ signers: [(issuer: TestIssuer, country: String)]) -> [UInt8] {
        let entries = signers.map { signer in
            """
            {"certificateType":"DSC","country":"\(signer.country)","kid":"\(Data(signer.issuer.kid).base64EncodedString())",\
            "rawData":"\(Data(signer.issuer.certificate.derBytes).base64EncodedString())","signature":"","thumbprint":"","timestamp":""}
            """
        }
        return Array(("{\"certificates\":[" + entries.joined(separator: ",") + "]}").utf8)
    }

    static func list(_ body: [UInt8], key: PrivateKey = signingKey) throws -> [UInt8] {
        let signature = try key.sign(body, algorithm: .es256)
        #expect(signature.count == 64, "raw r‖s")
        return Array((Data(signature).base64EncodedString() + "\n").utf8) + body
    }

    static var signers: [(issuer: TestIssuer, country: String)] { [(Issuers.es256, "XX"), (Issuers.ps256, "VN")] }
}

@Suite("GermanDSCList (in code)")
struct GermanDSCListTests {
    @Test("a list signed with the given key loads its signers with their kids and countries")
    func loads() throws {
        let list = try GermanListFixture.list(GermanListFixture.body(GermanListFixture.signers))
        #expect(GermanDSCList.looksLikeList(list))
        let signers = try GermanDSCList.signers(from: list, check: .verify(GermanListFixture.signingKey.publicKey))
        #expect(signers.map(\.kid) == [Issuers.es256.kid, Issuers.ps256.kid])
        #expect(signers.map(\.country) == ["XX", "VN"])
        #expect(signers.map(\.certificate.derBytes) == [Issuers.es256.certificate.derBytes, Issuers.ps256.certificate.derBytes])
    }

    @Test("another key, a changed byte or a missing signature is refused")
    func refused() throws {
        let body = GermanListFixture.body(GermanListFixture.signers)
        let list = try GermanListFixture.list(body)
        let otherKey = try PrivateKey.generateP256().publicKey
        expectCode(.trustListSignatureInvalid) { try GermanDSCList.signers(from: list, check: .verify(otherKey)) }

        // Change one byte of the body (a country code), keeping it valid JSON.
        let index = try #require(firstIndex(of: Array("\"VN\"".utf8), in: list)) + 1
        var tampered = list
        tampered[index] = UInt8(ascii: "D")
        expectCode(.trustListSignatureInvalid) {
            try GermanDSCList.signers(from: tampered, check: .verify(GermanListFixture.signingKey.publicKey))
        }
        // The signature line changed.
        var badSignature = list
        badSignature[10] = badSignature[10] == UInt8(ascii: "A") ? UInt8(ascii: "B") : UInt8(ascii: "A")
        let error = credentialError { try GermanDSCList.signers(from: badSignature, check: .verify(GermanListFixture.signingKey.publicKey)) }
        #expect(error?.code == .trustListSignatureInvalid || error?.code == .badTrustList)
        // Body only.
        expectCode(.badTrustList) { try GermanDSCList.signers(from: Array("!!!!\n".utf8) + body, check: .verify(GermanListFixture.signingKey.publicKey)) }
        expectCode(.trustListSignatureInvalid) { try GermanDSCList.signers(from: Array("\n".utf8) + body, check: .verify(GermanListFixture.signingKey.publicKey)) }
    }

    @Test("an unverified load is possible only when asked for, and still parses strictly")
    func unverified() throws {
        let body = GermanListFixture.body(GermanListFixture.signers)
        let unsigned = Array("AAAA\n".utf8) + body
        #expect(try GermanDSCList.signers(from: unsigned, check: .skipExplicitlyUnverified).count == 2)
        expectCode(.badTrustList) { try GermanDSCList.signers(from: Array("AAAA\n{\"certificates\":".utf8), check: .skipExplicitlyUnverified) }
        expectCode(.badTrustList) { try GermanDSCList.signers(from: Array("AAAA\n".utf8), check: .skipExplicitlyUnverified) }
        let badEntry = Array("AAAA\n{\"certificates\":[{\"kid\":\"AAAAAAAAAAA=\",\"rawData\":\"MAA=\"}]}".utf8)
        expectCode(.badTrustList) { try GermanDSCList.signers(from: badEntry, check: .skipExplicitlyUnverified) }
        let notBase64 = Array("AAAA\n{\"certificates\":[{\"kid\":\"%%%\",\"rawData\":\"%%%\"}]}".utf8)
        expectCode(.badTrustList) { try GermanDSCList.signers(from: notBase64, check: .skipExplicitlyUnverified) }
    }

    @Test("looksLikeList needs a base64 line before the JSON body")
    func detection() {
        #expect(!GermanDSCList.looksLikeList(Array("{\"certificates\":[]}".utf8)))
        #expect(!GermanDSCList.looksLikeList(Array("-----BEGIN CERTIFICATE-----\n{".utf8)))
        #expect(!GermanDSCList.looksLikeList(Array("no json here".utf8)))
        #expect(GermanDSCList.looksLikeList(Array("QUJD\n{}".utf8)))
    }
}

@Suite("TrustLoader (in code)")
struct TrustLoaderTests {
    @Test("a folder with a two-certificate PEM and a README yields 2 signers and skips the README")
    func folder() throws {
        let folder = try TemporaryDirectory()
        let pemFile = try folder.write(
            "signers.pem",
            "Two DSCs\n" + pem(Issuers.es256.certificate.derBytes, label: "CERTIFICATE") + pem(Issuers.ps256.certificate.derBytes, label: "CERTIFICATE")
        )
        let readme = try folder.write("README", "These are test signers.\n")
        let result = try TrustLoader().load(paths: [folder.path])
        #expect(result.trustList.count == 2)
        #expect(result.trustList.signers(forKid: Issuers.es256.kid).count == 1)
        #expect(result.trustList.signers(forKid: Issuers.ps256.kid).count == 1)
        #expect(result.loaded.map(\.path) == [pemFile])
        #expect(result.loaded.map(\.signers) == [2])
        #expect(result.skipped == [readme])
    }

    @Test("DER files, hidden files and subfolders")
    func derAndHidden() throws {
        let folder = try TemporaryDirectory()
        let der = try folder.write("signer.der", Issuers.otherES256.certificate.derBytes)
        try folder.write(".hidden.pem", pem(Issuers.es256.certificate.derBytes, label: "CERTIFICATE"))
        try FileManager.default.createDirectory(at: folder.url.appendingPathComponent("sub"), withIntermediateDirectories: false)
        try Data(pem(Issuers.ps256.certificate.derBytes, label: "CERTIFICATE").utf8).write(to: folder.url.appendingPathComponent("sub/x.pem"))
        let result = try TrustLoader().load(paths: [folder.path])
        #expect(result.trustList.count == 1)
        #expect(result.trustList.signers(forKid: Issuers.otherES256.kid).count == 1)
        #expect(result.loaded.map(\.path) == [der])
        // Named explicitly, the DER file loads alone; two paths merge.
        #expect(try TrustLoader().load(paths: [der]).trustList.count == 1)
        let pemFile = try folder.write("b.pem", pem(Issuers.es256.certificate.derBytes, label: "CERTIFICATE"))
        #expect(try TrustLoader().load(paths: [der, pemFile]).trustList.count == 2)
    }

    @Test("a detached DER signature beside the trust (a VCI snapshot's .sig) is skipped, not read as a certificate")
    func derSignatureInAFolder() throws {
        let folder = try TemporaryDirectory()
        let key = try PrivateKey.generateEC(curve: "P-521")
        let signature = try key.sign(Array("snapshot".utf8), algorithm: .ecdsa(hash: .sha512, encoding: .der))
        #expect(signature.count > 130 && signature[0] == 0x30 && signature[1] == 0x81, "a long-form DER SEQUENCE, like a certificate")
        let sig = try folder.write("snapshot.sig", signature)
        let der = try folder.write("signer.der", Issuers.otherES256.certificate.derBytes)
        let result = try TrustLoader().load(paths: [folder.path])
        #expect(result.loaded.map(\.path) == [der])
        #expect(result.skipped == [sig])
        #expect(throws: TrustSourceError.self) { try TrustLoader().load(paths: [sig]) }
    }

    @Test("a file named explicitly must be trust material")
    func garbageNamedExplicitly() throws {
        let folder = try TemporaryDirectory()
        let garbage = try folder.write("garbage.bin", [0x01, 0x02, 0x03, 0xFF])
        let text = try folder.write("notes.txt", "just some notes\n")
        for path in [garbage, text] {
            #expect(throws: TrustSourceError.self) { try TrustLoader().load(paths: [path]) }
            do {
                _ = try TrustLoader().load(paths: [path])
            } catch {
                #expect(error.code == .unrecognisedFormat)
                #expect(error.path == path)
            }
        }
        // In a folder the same files are skipped.
        let result = try TrustLoader().load(paths: [folder.path])
        #expect(result.trustList.count == 0)
        #expect(Set(result.skipped) == [garbage, text])
    }

    @Test("a file over maximumFileSize is refused as too-large (sparse file)")
    func tooLarge() throws {
        let folder = try TemporaryDirectory()
        let path = try folder.write("huge.der", [0x30])
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        try handle.truncate(atOffset: UInt64(TrustLoader.maximumFileSize + 1))
        try handle.close()
        Self.expectLoadError(.tooLarge, paths: [path])
        Self.expectLoadError(.tooLarge, paths: [folder.path])
    }

    @Test("a missing path is unreadable; a broken certificate is bad-certificate")
    func missingAndBroken() throws {
        let folder = try TemporaryDirectory()
        Self.expectLoadError(.unreadable, paths: [folder.url.appendingPathComponent("absent.pem").path])
        let broken = try folder.write("broken.pem", pem([0x30, 0x03, 0x02, 0x01, 0x00], label: "CERTIFICATE"))
        Self.expectLoadError(.badCertificate, paths: [broken])
        let brokenDER = try folder.write("broken.der", [0x30, 0x82, 0x01])
        Self.expectLoadError(.badCertificate, paths: [brokenDER])
    }

    @Test("a signed list is refused without a key, loads with its key or on explicit request, and is refused with another key")
    func signedListInFolder() throws {
        let folder = try TemporaryDirectory()
        let list = try folder.write("dsc-list.json", try GermanListFixture.list(GermanListFixture.body(GermanListFixture.signers)))
        let keyFile = try folder.write("dsc-list-signing-key.pem", pem(GermanListFixture.signingKey.publicKey.subjectPublicKeyInfoDER, label: "PUBLIC KEY"))
        let key = try TrustLoader.publicKey(fromPEMFile: keyFile)

        Self.expectLoadError(.listRefused, paths: [list])
        Self.expectLoadError(.listRefused, paths: [folder.path])
        Self.expectLoadError(.listRefused, loader: TrustLoader(listKey: try PrivateKey.generateP256().publicKey), paths: [list])
        Self.expectLoadError(.listRefused, loader: TrustLoader(listKey: try PrivateKey.generateP256().publicKey, allowsUnverifiedLists: true), paths: [list])

        let verified = try TrustLoader(listKey: key).load(paths: [folder.path])
        #expect(verified.trustList.count == 2)
        #expect(verified.skipped == [keyFile])
        #expect(verified.trustList.signers(forKid: Issuers.ps256.kid).first?.country == "VN")
        #expect(try TrustLoader(allowsUnverifiedLists: true).load(paths: [list]).trustList.count == 2)
    }

    @Test("publicKey(fromPEMFile:) refuses what is not a PEM public key")
    func badKeyFile() throws {
        let folder = try TemporaryDirectory()
        for (name, content) in [("empty.pem", ""), ("cert.pem", pem(Issuers.es256.certificate.derBytes, label: "CERTIFICATE")), ("junk.pem", "-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n")] {
            let path = try folder.write(name, content)
            do {
                _ = try TrustLoader.publicKey(fromPEMFile: path)
                Issue.record("\(name) accepted as a key")
            } catch {
                #expect(error.code == .badKey)
            }
        }
    }

    static func expectLoadError(
        _ code: TrustSourceError.Code, loader: TrustLoader = TrustLoader(), paths: [String], sourceLocation: SourceLocation = #_sourceLocation
    ) {
        do {
            let result = try loader.load(paths: paths)
            Issue.record("expected \(code), loaded \(result.trustList.count) signers", sourceLocation: sourceLocation)
        } catch {
            #expect(error.code == code, "got \(error.code): \(error)", sourceLocation: sourceLocation)
        }
    }
}
