import Foundation
import GateCheckCrypto
import HealthCredentials
import HealthCredentialsTesting
import JSON
import SmartHealthCards
import Testing
import Zlib

@Suite struct SHCVerifierTests {
    static let context = VerificationContext(now: SHCTestIssuer.validAt)

    static func verify(_ text: String, issuer: SHCTestIssuer, at context: VerificationContext = context) throws -> VerificationReport {
        SHCVerifier(directory: try issuer.directory).verify(payload: Array(text.utf8), in: context)
    }

    @Test func passesAVaccinationCardWithItsHolder() throws {
        let issuer = try SHCTestIssuer()
        let report = try Self.verify(try issuer.qr(), issuer: issuer)
        #expect(report.verdict == .pass, "\(report.steps)")
        #expect(report.format == .shc)
        #expect(report.checkedSteps == [.trust, .decode, .signature, .tokenValidity, .schema, .revocation])
        #expect(report.type == .vaccination)
        #expect(report.issuer == issuer.iss)
        #expect(report.kid == (try Base64URL.decode(issuer.kid)))
        #expect(report.holder?.familyName == "Mustermann")
        #expect(report.holder?.givenName == "Erika")
        #expect(report.holder?.dateOfBirth == "1964-08-12")
    }

    @Test func dispatcherRoutesShcToThisVerifier() throws {
        let issuer = try SHCTestIssuer()
        let dispatcher = CredentialVerifier([SHCVerifier(directory: try issuer.directory)])
        #expect(dispatcher.verify(payload: try issuer.qr(), in: Self.context).verdict == .pass)
    }

    @Test func labTestCardIsATest() throws {
        let issuer = try SHCTestIssuer()
        #expect(try Self.verify(try issuer.qr(.init(kind: .labTest)), issuer: issuer).type == .test)
        // SMART's COVID-19 lab results carry no category: their LOINC code says what they are.
        let uncategorised = String(decoding: issuer.payload(.init(kind: .labTest)), as: UTF8.self)
            .replacingOccurrences(
                of: #""category":[{"coding":[{"system":"http://terminology.hl7.org/CodeSystem/observation-category","code":"laboratory"}]}],"#,
                with: "")
        #expect(!uncategorised.contains("laboratory\"}]}]"))
        let report = SHCVerifier(directory: try issuer.directory).verify(
            jws: try issuer.jws(payloadJSON: Array(uncategorised.utf8)), in: Self.context)
        #expect(report.type == .test)
        let vitals = uncategorised.replacingOccurrences(of: "http://loinc.org", with: "http://example.org/codes")
        #expect(
            SHCVerifier(directory: try issuer.directory).verify(jws: try issuer.jws(payloadJSON: Array(vitals.utf8)), in: Self.context).type == nil)
    }

    @Test func reassemblesChunksInAnyOrderAndIgnoresRescans() throws {
        let issuer = try SHCTestIssuer()
        let verifier = SHCVerifier(directory: try issuer.directory)
        let chunks = try issuer.chunks(count: 3).map { Array($0.utf8) }
        for order in [[0, 1, 2], [2, 0, 1], [1, 2, 0, 1, 2]] {
            #expect(verifier.verify(scans: order.map { chunks[$0] }, in: Self.context).verdict == .pass)
        }
        #expect(verifier.verify(scans: [chunks[0], chunks[2]], in: Self.context).failure?.code == .badQRChunks)
        #expect(verifier.verify(payload: chunks[0], in: Self.context).failure?.code == .badQRChunks)
        var assembler = SHCChunkAssembler()
        try assembler.add(chunks[1])
        #expect(assembler.missingChunks == [1, 3])
        var other = chunks[1]
        other[other.count - 1] = other[other.count - 1] == 0x30 ? 0x31 : 0x30
        #expect(throws: CredentialError.self) { try assembler.add(other) }
        let otherCount = try issuer.chunks(count: 2).map { Array($0.utf8) }
        #expect(throws: CredentialError.self) { try assembler.add(otherCount[0]) }
    }

    @Test func numericEncodingIsStrict() throws {
        func code(_ text: String) -> CredentialError.Code? {
            do {
                _ = try SHCNumericQR(scanned: Array(text.utf8))
                return nil
            } catch { return error.code }
        }
        #expect(code("shc:/5676") == nil)
        #expect(code("SHC:/5676 \t\r\n") == nil)
        #expect(code("shc:/1/1/5676") == nil)
        #expect(code("shc:5676") == .badPrefix)
        #expect(code("shc:/567") == .badNumericEncoding)
        #expect(code("shc:/5678") == .badNumericEncoding)  // 78 > 77
        #expect(code("shc:/56a6") == .badNumericEncoding)
        #expect(code("shc:/") == .badNumericEncoding)
        #expect(code("shc:/3/2/5676") == .badQRChunks)
        #expect(code("shc:/0/2/5676") == .badQRChunks)
        #expect(code("shc:/01/2/5676") == .badQRChunks)
        #expect(code("shc:/1/33/5676") == .badQRChunks)
        #expect(code("shc:/1/2/3/5676") == .badQRChunks)
        #expect(code(" \t\nshc:/5676 ") == nil)
        #expect(code("xshc:/5676") == .badPrefix)
        #expect(try SHCNumericQR(scanned: Array("shc:/0077".utf8)).jwsCharacters == Array("-z".utf8))
    }

    @Test func refusesHeadersWithoutAlgKidOrZip() throws {
        let issuer = try SHCTestIssuer()
        let payload = issuer.payload()
        let headers: [(String, CredentialError.Code)] = [
            (#"{"zip":"DEF","kid":"\#(issuer.kid)"}"#, .badJWS),
            (#"{"zip":"DEF","alg":"ES256"}"#, .badJWS),
            (#"{"alg":"ES256","kid":"\#(issuer.kid)"}"#, .badJWS),
            (#"{"zip":"DEF","alg":"ES384","kid":"\#(issuer.kid)"}"#, .unsupportedAlgorithm),
            (#"{"zip":"GZIP","alg":"ES256","kid":"\#(issuer.kid)"}"#, .badJWS),
            (#"["zip"]"#, .badJWS),
        ]
        let verifier = SHCVerifier(directory: try issuer.directory)
        for (header, code) in headers {
            let jws = try issuer.jws(payloadJSON: payload, header: Array(header.utf8))
            #expect(verifier.verify(jws: jws, in: Self.context).failure?.code == code, "\(header)")
        }
        // Signed, valid, but not compressed although the header says so.
        let raw = try issuer.jws(payloadJSON: payload, compress: false)
        #expect(verifier.verify(jws: raw, in: Self.context).failure?.code == .badCompression)
    }

    @Test func byteOrderMarkBeforeThePayloadIsRefused() throws {
        let issuer = try SHCTestIssuer()
        let jws = try issuer.jws(payloadJSON: [0xEF, 0xBB, 0xBF] + issuer.payload())
        #expect(SHCVerifier(directory: try issuer.directory).verify(jws: jws, in: Self.context).failure?.code == .badJSON)
    }

    @Test func signatureNeedsTheIssuersKeyAndARawSignature() throws {
        let issuer = try SHCTestIssuer()
        let stranger = try SHCTestIssuer(iss: "https://other.gatecheck.test")
        #expect(try Self.verify(try issuer.qr(), issuer: stranger).failure?.code == .unknownIssuer)
        let impostor = try SHCTestIssuer()  // same iss, another key
        #expect(try Self.verify(try issuer.qr(), issuer: impostor).failure?.code == .unknownSigner)

        let jws = try issuer.jws()
        let parts = jws.split(separator: UInt8(ascii: "."))
        let raw = try Base64URL.decode(Array(parts[2]))
        // The same signature in DER: recognised and refused.
        let der = Self.der(raw)
        let derJWS = Array(parts[0]) + [0x2E] + Array(parts[1]) + [0x2E] + Array(Base64URL.encode(der).utf8)
        let report = SHCVerifier(directory: try issuer.directory).verify(jws: derJWS, in: Self.context)
        #expect(report.failure?.code == .malformedSignature)
        #expect(report.failure?.detail.contains("DER") == true)
        var flipped = raw
        flipped[10] ^= 1
        let flippedJWS = Array(parts[0]) + [0x2E] + Array(parts[1]) + [0x2E] + Array(Base64URL.encode(flipped).utf8)
        #expect(SHCVerifier(directory: try issuer.directory).verify(jws: flippedJWS, in: Self.context).failure?.code == .badSignature)
    }

    static func der(_ raw: [UInt8]) -> [UInt8] {
        func integer(_ bytes: ArraySlice<UInt8>) -> [UInt8] {
            var value = Array(bytes.drop { $0 == 0 })
            if value.first.map({ $0 >= 0x80 }) ?? true { value.insert(0, at: 0) }
            return [0x02, UInt8(value.count)] + value
        }
        let body = integer(raw.prefix(32)) + integer(raw.suffix(32))
        return [0x30, UInt8(body.count)] + body
    }

    @Test func validityUsesNbfWithSkewAndExp() throws {
        let issuer = try SHCTestIssuer()
        var card = SHCTestIssuer.Card()
        card.notBefore = SHCTestIssuer.validAt.timeIntervalSince1970 + 200.5  // within the 300 s skew
        #expect(try Self.verify(try issuer.qr(card), issuer: issuer).verdict == .pass)
        card.notBefore += 200
        #expect(try Self.verify(try issuer.qr(card), issuer: issuer).failure?.code == .notYetValid)
        card = SHCTestIssuer.Card()
        card.expiry = SHCTestIssuer.validAt.timeIntervalSince1970 - 1
        #expect(try Self.verify(try issuer.qr(card), issuer: issuer).failure?.code == .expired)
        card.expiry = card.notBefore - 1
        #expect(try Self.verify(try issuer.qr(card), issuer: issuer).failure?.code == .expired)
    }

    @Test func schemaNeedsTheHealthCardTypeAndABundle() throws {
        let issuer = try SHCTestIssuer()
        var card = SHCTestIssuer.Card()
        card.types = ["https://smarthealth.cards#immunization"]
        let report = try Self.verify(try issuer.qr(card), issuer: issuer)
        #expect(report.outcome(of: .schema).error?.code == .schemaViolation)
        #expect(report.outcome(of: .signature) == .ok)
        let notBundle = Array(
            String(decoding: issuer.payload(), as: UTF8.self).replacingOccurrences(
                of: #""resourceType":"Bundle""#, with: #""resourceType":"Patient""#
            ).utf8)
        let jws = try issuer.jws(payloadJSON: notBundle)
        #expect(SHCVerifier(directory: try issuer.directory).verify(jws: jws, in: Self.context).failure?.code == .schemaViolation)
    }

    @Test func revocationByRidWithAndWithoutTimestamp() throws {
        let nbf = SHCTestIssuer.Card().notBefore
        let issuer = try SHCTestIssuer(revokedRIDs: ["AAAAAAAAAAA", "BBBBBBBBBBB.\(Int(nbf) + 10)", "CCCCCCCCCCC.\(Int(nbf) - 10)"])
        func code(rid: String?) throws -> CredentialError.Code? {
            var card = SHCTestIssuer.Card()
            card.rid = rid
            return try Self.verify(try issuer.qr(card), issuer: issuer).failure?.code
        }
        #expect(try code(rid: nil) == nil)
        #expect(try code(rid: "DDDDDDDDDDD") == nil)
        #expect(try code(rid: "AAAAAAAAAAA") == .revoked)
        #expect(try code(rid: "BBBBBBBBBBB") == .revoked)  // issued before the revocation time
        #expect(try code(rid: "CCCCCCCCCCC") == nil)  // issued after it
    }

    @Test func importRefusesBadIssuersKeysAndCRLs() throws {
        let issuer = try SHCTestIssuer(revokedRIDs: ["AAAAAAAAAAA"])
        let crl = try #require(issuer.crl)
        func refuses(iss: String = "https://issuer.gatecheck.test/shc", keys: [JSONValue]? = nil, crls: [JSONValue]? = nil) -> Bool {
            (try? SHCIssuerDirectory.Issuer(iss: iss, keys: keys ?? [issuer.jwk], crls: crls ?? [crl])) == nil
        }
        #expect(!refuses())
        #expect(refuses(iss: "http://issuer.gatecheck.test/shc"))
        #expect(refuses(iss: "https://issuer.gatecheck.test/shc/"))
        #expect(refuses(iss: "https://"))
        #expect(refuses(iss: "https://issuer.gatecheck.test/shc?x=1"))
        #expect(refuses(iss: "https://issuer gatecheck.test"))
        func key(_ change: (inout JSONObject) -> Void) -> JSONValue {
            var object = issuer.jwk.object ?? JSONObject()
            change(&object)
            return .object(object)
        }
        #expect(refuses(keys: [key { $0["kid"] = "AAAA" }]))
        #expect(refuses(keys: [key { $0["use"] = "enc" }]))
        #expect(refuses(keys: [key { $0["use"] = nil }]))
        #expect(refuses(keys: [key { $0["alg"] = "ES384" }]))
        #expect(refuses(keys: [key { $0["d"] = "AAAA" }]))
        #expect(refuses(keys: [issuer.jwk, issuer.jwk]))
        #expect(refuses(crls: []))  // crlVersion without its CRL
        func list(_ change: (inout JSONObject) -> Void) -> JSONValue {
            var object = crl.object ?? JSONObject()
            change(&object)
            return .object(object)
        }
        #expect(refuses(crls: [list { $0["method"] = "other" }]))
        #expect(refuses(crls: [list { $0["ctr"] = 2 }]))
        #expect(!refuses(crls: [list { $0["ctr"] = "1" }]))
        #expect(refuses(crls: [list { $0["rids"] = ["base64=="] }]))
        #expect(refuses(crls: [list { $0["rids"] = ["this-rid-is-longer-than-the-24-char-max"] }]))
        #expect(refuses(crls: [list { $0["rids"] = ["AAAA", "AAAA.123"] }]))
        #expect(refuses(crls: [list { $0["rids"] = ["AAAA.12x"] }]))
        #expect(refuses(crls: [crl, crl]))
    }

    @Test func sectionRoundTripsAndRefusesGarbage() throws {
        let first = try SHCTestIssuer(revokedRIDs: ["AAAAAAAAAAA.1700000000"])
        let second = try SHCTestIssuer(iss: "https://second.gatecheck.test")
        let merged = try first.directory.merging(try second.directory)
        #expect(merged.count == 2)
        let section = merged.sectionBytes
        let reread = try SHCIssuerDirectory(sectionBytes: section)
        #expect(reread.sectionBytes == section)
        #expect(reread.issuers[first.iss]?.revocationLists.count == 1)
        #expect(SHCIssuerDirectory.empty.count == 0)
        #expect(try SHCIssuerDirectory(sectionBytes: SHCIssuerDirectory.empty.sectionBytes).count == 0)
        for garbage in ["", "{}", "[]", #"{"issuers":[],"version":2}"#, #"{"issuers":[{"iss":"https://a.b"}],"version":1}"#] {
            #expect(throws: CredentialError.self) { try SHCIssuerDirectory(sectionBytes: Array(garbage.utf8)) }
        }
        // Merging the same issuer keeps both keys.
        let sameISS = try SHCTestIssuer()
        let other = try SHCTestIssuer()
        #expect(try sameISS.directory.merging(try other.directory).issuers[sameISS.iss]?.keys.count == 2)
    }

    @Test func rawDeflateRoundTripsAndIsBounded() throws {
        let text = Array(String(repeating: "SMART Health Card ", count: 500).utf8)
        let compressed = Deflate.raw(text)
        #expect(try Inflate.raw(compressed, maximumOutput: 1 << 20) == text)
        #expect(throws: InflateError.self) { try Inflate.raw(compressed, maximumOutput: 100) }
        #expect(throws: InflateError.self) { try Inflate.raw(compressed + [0], maximumOutput: 1 << 20) }
        #expect(throws: InflateError.self) { try Inflate.zlib(compressed, maximumOutput: 1 << 20) }
        #expect(try Inflate.zlib(Deflate.zlib(text), maximumOutput: 1 << 20) == text)
    }
}
