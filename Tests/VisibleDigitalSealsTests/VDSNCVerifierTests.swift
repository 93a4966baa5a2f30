import Foundation
import GateCheckCrypto
import HealthCredentials
import HealthCredentialsTesting
import JSON
import Testing
import VisibleDigitalSeals

/// Each step of the VDS-NC verifier, on seals made in code.
@Suite struct VDSNCVerifierTests {
    static let context = VerificationContext(now: VDSNCTestIssuer.validTime)

    static func report(_ payload: [UInt8], trust: ICAOTrust, at context: VerificationContext = context) -> VerificationReport {
        CredentialVerifier([VDSNCVerifier(trust: trust)]).verify(payload: payload, in: context)
    }

    /// `seal` with `sig` member `name` replaced by `value` (nothing else re-encoded).
    static func replacingSignatureMember(_ name: String, in seal: [UInt8], with value: JSONValue) throws -> [UInt8] {
        let parsed = try JSONParser.parse(seal)
        var signature = try #require(parsed["sig"]?.object)
        signature[name] = value
        return JSONWriter.bytes(.object([("data", try #require(parsed["data"])), ("sig", .object(signature))]))
    }

    @Test(arguments: VDSNCSeal.SealType.allCases)
    func validSealPasses(_ type: VDSNCSeal.SealType) throws {
        let issuer = try VDSNCTestIssuer()
        let report = Self.report(try issuer.seal(type: type), trust: try issuer.trust())
        #expect(report.verdict == .pass, "\(report.steps)")
        #expect(report.format == .vdsNC)
        #expect(report.checkedSteps == [.trust, .decode, .signature, .keyUsage, .signerValidity, .schema, .revocation])
        #expect(report.type == type.certificateType)
        #expect(report.issuer == "UTO")
        #expect(report.signerCountry == "UT")
        #expect(report.holder?.familyName == "SPECIMEN")
        #expect(report.holder?.givenName == "ERIKA")
    }

    @Test func otherIssuersCSCAIsUntrusted() throws {
        let issuer = try VDSNCTestIssuer()
        let stranger = try VDSNCTestIssuer()
        let report = Self.report(try issuer.seal(), trust: try stranger.trust())
        #expect(report.outcome(of: .signature).error?.code == CredentialError.Code.untrustedSigner)
        #expect(report.outcome(of: .revocation) == .skipped)
        #expect(Self.report(try issuer.seal(), trust: .empty).failure?.code == CredentialError.Code.untrustedSigner)
    }

    @Test func documentTypeMustMatchTheSealType() throws {
        let vaccinationOnly = try VDSNCTestIssuer(documentTypes: ["NV"])
        let trust = try vaccinationOnly.trust()
        #expect(Self.report(try vaccinationOnly.seal(type: .vaccination), trust: trust).verdict == .pass)
        let report = Self.report(try vaccinationOnly.seal(type: .test), trust: trust)
        #expect(report.outcome(of: .keyUsage).error?.code == CredentialError.Code.documentTypeMismatch)
        #expect(report.outcome(of: .signature) == .ok)
        let none = try VDSNCTestIssuer(documentTypes: [])
        #expect(Self.report(try none.seal(), trust: try none.trust()).failure?.code == CredentialError.Code.documentTypeMismatch)
    }

    @Test func issuingStateMustBeTheSignersCountry() throws {
        let issuer = try VDSNCTestIssuer()
        let trust = try issuer.trust()
        let report = Self.report(try issuer.seal(issuingState: "AUS"), trust: trust)
        #expect(report.outcome(of: .keyUsage).error?.code == CredentialError.Code.countryMismatch)
        // Germany's ICAO code D<< maps to DE.
        let german = try VDSNCTestIssuer(issuingState: "D<<", country: "DE")
        #expect(Self.report(try german.seal(), trust: try german.trust()).verdict == .pass)
        let alpha3 = try VDSNCTestIssuer(issuingState: "DEU", country: "DE")
        #expect(Self.report(try alpha3.seal(), trust: try alpha3.trust()).verdict == .pass)
    }

    @Test func extendedKeyUsageWhenPresentMustAllowSeals() throws {
        let wrong = try VDSNCTestIssuer(signerExtendedKeyUsage: "1.3.6.1.5.5.7.3.4")
        #expect(Self.report(try wrong.seal(), trust: try wrong.trust()).failure?.code == CredentialError.Code.keyUsageMismatch)
        let absent = try VDSNCTestIssuer(signerExtendedKeyUsage: nil)
        #expect(Self.report(try absent.seal(), trust: try absent.trust()).verdict == .pass)
    }

    @Test func signerValidityIsCheckedAtTheClock() throws {
        let issuer = try VDSNCTestIssuer()
        let trust = try issuer.trust()
        let seal = try issuer.seal()
        let before = Self.report(seal, trust: trust, at: VerificationContext(now: Date(timeIntervalSince1970: 1_600_000_000)))
        #expect(before.outcome(of: .signerValidity).error?.code == CredentialError.Code.signerNotYetValid)
        #expect(before.outcome(of: .signature) == .ok)
        let after = Self.report(seal, trust: trust, at: VerificationContext(now: Date(timeIntervalSince1970: 2_000_000_000)))
        #expect(after.outcome(of: .signerValidity).error?.code == CredentialError.Code.signerExpired)
        // Past the CSCA too (2040): still the signer-expired code, for the CSCA.
        let late = Self.report(seal, trust: trust, at: VerificationContext(now: Date(timeIntervalSince1970: 2_300_000_000)))
        #expect(late.outcome(of: .signerValidity).error?.code == CredentialError.Code.signerExpired)
        #expect(late.verdict == .fail)
    }

    @Test func revokedSignerFailsAndStaleCRLIsStillUsed() throws {
        let issuer = try VDSNCTestIssuer()
        let seal = try issuer.seal()
        let revoking = try issuer.revocationList(revokingSigner: true)
        let report = Self.report(seal, trust: try issuer.trust(crls: [revoking]))
        #expect(report.outcome(of: .revocation).error?.code == CredentialError.Code.revoked)
        #expect(report.verdict == .fail)
        // Past nextUpdate (2021-12-01): the CRL is still used, for both outcomes.
        let later = VerificationContext(now: Date(timeIntervalSince1970: 1_700_000_000))
        #expect(Self.report(seal, trust: try issuer.trust(crls: [revoking]), at: later).failure?.code == CredentialError.Code.revoked)
        let clean = try issuer.revocationList(revokingSigner: false)
        #expect(Self.report(seal, trust: try issuer.trust(crls: [clean]), at: later).verdict == .pass)
        // No nextUpdate at all: used as well.
        let open = try issuer.revocationList(revokingSigner: true, nextUpdate: nil)
        #expect(Self.report(seal, trust: try issuer.trust(crls: [open])).failure?.code == CredentialError.Code.revoked)
    }

    @Test func crlNotSignedByTheCSCAIsIgnored() throws {
        let issuer = try VDSNCTestIssuer()
        // Same issuer name (the test issuers share a CSCA name), other key: the CRL cannot speak for this CSCA.
        let impostor = try VDSNCTestIssuer()
        let forged = try impostor.revocationList(revokingSigner: true)
        let trust = try issuer.trust(crls: [forged])
        #expect(trust.crls.count == 1)
        #expect(Self.report(try issuer.seal(), trust: trust).verdict == .pass)
    }

    @Test func sigvlPaddedOrUnpaddedDERRefused() throws {
        let issuer = try VDSNCTestIssuer()
        let trust = try issuer.trust()
        let seal = try issuer.seal()
        let padded = try #require(try JSONParser.parse(seal)["sig"]?["sigvl"]?.string)
        #expect(padded.hasSuffix("="))
        let unpadded = try Self.replacingSignatureMember("sigvl", in: seal, with: .string(String(padded.prefix { $0 != "=" })))
        #expect(Self.report(unpadded, trust: trust).verdict == .pass)

        // The same signature as a DER ECDSA-Sig-Value: named, and refused.
        let raw = try Base64URL.decode(padded, allowingPadding: true)
        let der = Self.derSignature(fromRaw: raw)
        let derSeal = try Self.replacingSignatureMember("sigvl", in: seal, with: .string(Base64URL.encode(der)))
        let report = Self.report(derSeal, trust: trust)
        #expect(report.outcome(of: .signature).error?.code == CredentialError.Code.malformedSignature)
        #expect(report.outcome(of: .signature).error?.detail.contains("DER") == true)

        let tampered = try Self.replacingSignatureMember("sigvl", in: seal, with: .string(Base64URL.encode(raw.map { $0 ^ 0x5A })))
        #expect(Self.report(tampered, trust: trust).failure?.code == CredentialError.Code.badSignature)
        let notBase64 = try Self.replacingSignatureMember("sigvl", in: seal, with: "not base64url!")
        #expect(Self.report(notBase64, trust: trust).failure?.code == CredentialError.Code.badBase64URL)
    }

    @Test func headerAndAlgorithmAreChecked() throws {
        let issuer = try VDSNCTestIssuer()
        let trust = try issuer.trust()
        let seal = try JSONParser.parse(try issuer.seal())
        func withHeader(_ name: String, _ value: JSONValue) throws -> [UInt8] {
            var data = try #require(seal["data"]?.object)
            var header = try #require(data["hdr"]?.object)
            header[name] = value
            data["hdr"] = .object(header)
            return JSONWriter.bytes(.object([("data", .object(data)), ("sig", try #require(seal["sig"]))]))
        }
        #expect(Self.report(try withHeader("t", "icao.other"), trust: trust).failure?.code == CredentialError.Code.unsupportedFormat)
        #expect(Self.report(try withHeader("v", 2), trust: trust).failure?.code == CredentialError.Code.unsupportedVersion)
        #expect(Self.report(try withHeader("v", "1"), trust: trust).failure?.code == CredentialError.Code.badSeal)
        #expect(Self.report(try withHeader("is", "AU"), trust: trust).failure?.code == CredentialError.Code.badSeal)
        #expect(Self.report(try withHeader("extra", 1), trust: trust).failure?.code == CredentialError.Code.badSeal)
        // A seal type the dispatcher does not recognise as a seal at all.
        #expect(CredentialFormat(recognising: try withHeader("t", "vacc")) == .unknown)

        let bytes = try issuer.seal()
        #expect(Self.report(try Self.replacingSignatureMember("alg", in: bytes, with: "RS256"), trust: trust).failure?.code == CredentialError.Code.unsupportedAlgorithm)
        // ES384 names SHA-384: the SHA-256 signature no longer verifies.
        #expect(Self.report(try Self.replacingSignatureMember("alg", in: bytes, with: "ES384"), trust: trust).failure?.code == CredentialError.Code.badSignature)
        #expect(Self.report(try Self.replacingSignatureMember("cer", in: bytes, with: "AAAA"), trust: trust).failure?.code == CredentialError.Code.badSeal)
        #expect(Self.report(Array("{\"data\":".utf8), trust: trust).failure?.code == CredentialError.Code.unsupportedFormat)
        let verifier = VDSNCVerifier(trust: trust)
        #expect(verifier.verify(payload: Array("{\"data\":".utf8), in: Self.context).failure?.code == CredentialError.Code.badJSON)
        #expect(verifier.verify(payload: Array(repeating: 0x20, count: 9000), in: Self.context).failure?.code == CredentialError.Code.payloadTooLarge)
    }

    @Test func schemaIsCheckedPerType() throws {
        let issuer = try VDSNCTestIssuer()
        let trust = try issuer.trust()
        var message = try #require(VDSNCTestIssuer.sampleMessage(.vaccination).object)
        message["uvci"] = nil
        let missing = Self.report(try issuer.seal(type: .vaccination, message: .object(message)), trust: trust)
        #expect(missing.outcome(of: .schema).error?.code == CredentialError.Code.schemaViolation)
        #expect(missing.outcome(of: .signature) == .ok)
        // A vaccination message under the test type.
        let mismatched = Self.report(try issuer.seal(type: .test, message: VDSNCTestIssuer.sampleMessage(.vaccination)), trust: trust)
        #expect(mismatched.failure?.code == CredentialError.Code.schemaViolation)
        var wrongType = try #require(VDSNCTestIssuer.sampleMessage(.test).object)
        wrongType["tr"] = "negative"
        #expect(Self.report(try issuer.seal(type: .test, message: .object(wrongType)), trust: trust).failure?.code == CredentialError.Code.schemaViolation)
        // No detail names the holder.
        for report in [missing, mismatched] {
            #expect(report.failure.map { !$0.detail.contains("SPECIMEN") && !$0.detail.contains("1990") } == true)
        }
    }

    @Test func signedBytesAreTheCanonicalData() throws {
        let issuer = try VDSNCTestIssuer()
        let bytes = try issuer.seal()
        let seal = try VDSNCSeal(payload: bytes)
        #expect(seal.signedBytes == (try JSONCanonicalForm.bytes(of: try #require(try JSONParser.parse(bytes)["data"]))))
        // Re-ordering and re-spacing `data` keeps the canonical form, so the seal still verifies.
        let reordered = String(decoding: bytes, as: UTF8.self).replacingOccurrences(of: "{\"t\":\"icao.vacc\",\"v\":1,\"is\":\"UTO\"}", with: "{ \"is\" : \"UTO\", \"v\" : 1.0, \"t\" : \"icao.vacc\" }")
        #expect(reordered != String(decoding: bytes, as: UTF8.self))
        // v written as 1.0 is not the integer 1.
        #expect(Self.report(Array(reordered.utf8), trust: try issuer.trust()).failure?.code == CredentialError.Code.badSeal)
        let respaced = String(decoding: bytes, as: UTF8.self).replacingOccurrences(of: "{\"t\":\"icao.vacc\",\"v\":1,\"is\":\"UTO\"}", with: "{ \"is\" : \"UTO\", \"v\" : 1, \"t\" : \"icao.vacc\" }")
        #expect(Self.report(Array(respaced.utf8), trust: try issuer.trust()).verdict == .pass)
    }

    @Test func trustSectionRoundTripsAndIsStrict() throws {
        let issuer = try VDSNCTestIssuer()
        let other = try VDSNCTestIssuer()
        let trust = try issuer.trust(crls: [try issuer.revocationList(revokingSigner: false)]).merging(try other.trust())
        #expect(trust.count == 2)
        #expect(trust.crls.count == 1)
        let section = trust.sectionBytes
        let read = try ICAOTrust(sectionBytes: section)
        #expect(read.sectionBytes == section)
        #expect(try trust.merging(read).count == 2)
        #expect(try ICAOTrust(sectionBytes: ICAOTrust.empty.sectionBytes).count == 0)
        #expect(String(decoding: ICAOTrust.empty.sectionBytes, as: UTF8.self) == "{\"crls\":[],\"cscas\":[]}")

        let text = String(decoding: section, as: UTF8.self)
        for hostile in [
            "", "[]", "{\"cscas\":[]}", "{\"crls\":[],\"cscas\":[],\"x\":1}", "{\"crls\":[],\"cscas\":[\"AAAA\"]}",
            "{\"crls\":[],\"cscas\":[1]}", "{\"crls\":[\"!!\"],\"cscas\":[]}",
            text.replacingOccurrences(of: "\"cscas\":[", with: "\"cscas\":[" + (text.split(separator: "[")[2].split(separator: ",").first.map(String.init) ?? "") + ","),
        ] {
            #expect(throws: CredentialError.self, "\(hostile.prefix(40))") { try ICAOTrust(sectionBytes: Array(hostile.utf8)) }
        }
        // A signer placed among the CSCAs does not make its own seals trusted: a path ends at a self-signed CA.
        let misplaced = try ICAOTrust(cscas: [issuer.signer])
        #expect(VDSNCVerifier(trust: misplaced).verify(payload: try issuer.seal(), in: Self.context).failure?.code == CredentialError.Code.untrustedSigner)
    }

    /// DER `ECDSA-Sig-Value` of a raw r‖s (for the test above only).
    static func derSignature(fromRaw raw: [UInt8]) -> [UInt8] {
        func integer(_ bytes: ArraySlice<UInt8>) -> [UInt8] {
            var value = Array(bytes.drop { $0 == 0 })
            if value.isEmpty || value[0] & 0x80 != 0 { value.insert(0, at: 0) }
            return [0x02, UInt8(value.count)] + value
        }
        let body = integer(raw.prefix(raw.count / 2)) + integer(raw.suffix(raw.count / 2))
        return [0x30, UInt8(body.count)] + body
    }

    /// A verifier remembers the signer certificates it parsed and the paths it found for them; a path is reused
    /// only inside the validity of every certificate in it, so the verdicts are those of a fresh verifier.
    @Test func rememberedSignersGiveTheVerdictsOfAFreshVerifier() throws {
        let issuer = try VDSNCTestIssuer()
        let seal = try issuer.seal()
        let verifier = VDSNCVerifier(trust: try issuer.trust())
        let times = [
            VDSNCTestIssuer.validTime, VDSNCTestIssuer.defaultSignerNotAfter.addingTimeInterval(86_400),
            VDSNCTestIssuer.validTime, VDSNCTestIssuer.defaultSignerNotBefore.addingTimeInterval(-86_400), VDSNCTestIssuer.validTime,
        ]
        for time in times {
            let remembered = verifier.verify(payload: seal, in: VerificationContext(now: time))
            let fresh = VDSNCVerifier(trust: try issuer.trust()).verify(payload: seal, in: VerificationContext(now: time))
            #expect(remembered.verdict == fresh.verdict, "at \(time)")
            #expect(remembered.failure?.code == fresh.failure?.code, "at \(time)")
        }
        #expect(verifier.verify(payload: seal, in: VerificationContext(now: VDSNCTestIssuer.validTime)).verdict == .pass)
        let late = verifier.verify(payload: seal, in: VerificationContext(now: VDSNCTestIssuer.defaultSignerNotAfter.addingTimeInterval(86_400)))
        #expect(late.failure?.code == .signerExpired)
        // Another verifier's CSCAs do not inherit this one's paths.
        let stranger = try VDSNCTestIssuer()
        #expect(VDSNCVerifier(trust: try stranger.trust()).verify(payload: seal, in: VerificationContext(now: VDSNCTestIssuer.validTime)).failure?.code
            == .untrustedSigner)
    }
}
