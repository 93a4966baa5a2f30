import CBOR
import FoundationEssentials
import GateCheckCrypto
import HealthCredentials

/// Verifies NZ COVID Passes (`NZCP:/1/<base32>`) offline against pinned issuer DID documents.
///
/// Decoding: the prefix `NZCP:/`, version `1`, unpadded RFC 4648 base32, a COSE_Sign1 tagged 18 whose protected
/// header names ES256 and the kid, CWT claims. Then, every step whose inputs exist: `signature` (the issuer must be a
/// trusted DID, `<iss>#<kid>` one of its assertion keys, the ES256 signature valid), `tokenValidity` (`nbf` and `exp`
/// both required) and `schema` (`cti`, `vc`). A Sendable value over immutable trust.
public struct NZCPVerifier: FormatVerifier {
    public var format: CredentialFormat { .nzcp }
    public static let checkedSteps: [VerificationStep] = [.trust, .decode, .signature, .tokenValidity, .schema]
    public var checkedSteps: [VerificationStep] { Self.checkedSteps }

    public static let prefix = "NZCP:/"
    public static let version = "1"
    /// A pass is about 600 characters; QR codes hold at most 4296 alphanumeric ones.
    public static let maximumPayloadLength = 4296
    /// Kids are DID key fragments such as `key-1` or `z12Kf7UQ`.
    static let kidLengths = 1...64
    static let cborLimits = CBORLimits(maxDepth: 8, maxItems: 256, maxStringLength: 4096)

    public let issuers: DIDIssuerKeys

    public init(issuers: DIDIssuerKeys) {
        self.issuers = issuers
    }

    /// What decoding yields: the message and its claims.
    public struct DecodedPass: Sendable {
        public let message: COSESign1
        public let claims: NZCPClaims
        /// The kid as text (the DID key fragment).
        public let kid: String
    }

    public func verify(payload: [UInt8], in context: VerificationContext) -> VerificationReport {
        let pass: DecodedPass
        do {
            pass = try Self.decode(payload)
        } catch {
            return decodeFailure(error, in: context)
        }
        var steps: [VerificationStep: StepOutcome] = [.trust: TrustFitnessPolicy.outcome(in: context), .decode: .ok]
        steps[.signature] = signatureOutcome(pass)
        steps[.tokenValidity] = Self.tokenValidity(pass.claims, in: context)
        var holder: Holder?
        do {
            holder = try NZCPSchema.holder(of: pass.claims)
            steps[.schema] = .ok
        } catch {
            steps[.schema] = .failed(error)
        }
        return VerificationReport(
            format: .nzcp, checkedSteps: checkedSteps, steps: steps, kid: pass.message.kid, issuer: pass.claims.issuer, holder: holder
        )
    }

    /// Prefix, version, base32, COSE and CWT: everything before a step can run.
    public static func decode(_ payload: [UInt8]) throws(CredentialError) -> DecodedPass {
        guard payload.count <= maximumPayloadLength else {
            throw CredentialError(.payloadTooLarge, "\(payload.count) bytes exceed \(maximumPayloadLength)")
        }
        let prefix = Array(Self.prefix.utf8)
        guard payload.starts(with: prefix) else { throw CredentialError(.badPrefix, "an NZCP payload starts with \(Self.prefix)") }
        let rest = payload.dropFirst(prefix.count)
        guard let slash = rest.firstIndex(of: UInt8(ascii: "/")) else { throw CredentialError(.badPrefix, "no /<version>/ after the prefix") }
        guard rest[..<slash].elementsEqual(Self.version.utf8) else {
            throw CredentialError(.unsupportedVersion, "only NZCP version \(Self.version) is supported")
        }
        let cose = try Base32.decode(rest[rest.index(after: slash)...])
        let message = try COSESign1(decoding: cose, kidLengths: kidLengths)
        try requireNZCPEnvelope(cose, message: message)
        guard message.algorithm == .es256 else { throw CredentialError(.unsupportedAlgorithm, "NZCP passes are signed with ES256 only") }
        let kid = String(decoding: message.kid, as: UTF8.self)
        guard Array(kid.utf8) == message.kid else { throw CredentialError(.badKid, "the kid is not UTF-8 text") }
        return DecodedPass(message: message, claims: try NZCPClaims(decoding: message.payload), kid: kid)
    }

    /// What NZCP adds to COSE_Sign1: the message is tagged 18 (nothing else), and the kid is in the protected header.
    private static func requireNZCPEnvelope(_ cose: [UInt8], message: COSESign1) throws(CredentialError) {
        guard cose.first == 0xD2 else { throw CredentialError(.badCOSE, "an NZCP pass is a COSE_Sign1 tagged 18") }
        let protected = try? CBORParser.decode(message.protectedHeaderBytes, limits: cborLimits)
        guard protected?[4]?.byteString != nil else { throw CredentialError(.badKid, "the kid must be in the protected header") }
    }

    private func signatureOutcome(_ pass: DecodedPass) -> StepOutcome {
        let issuer = pass.claims.issuer
        guard issuer.hasPrefix("did:web:"), issuers.trusts(issuer: issuer) else {
            return .failed(CredentialError(.unknownIssuer, "the issuer is not a trusted did:web"))
        }
        let keys = issuers.keys(issuer: issuer, kid: pass.kid)
        guard !keys.isEmpty else { return .failed(CredentialError(.unknownSigner, "the issuer lists no assertion key with this kid")) }
        let signedBytes = pass.message.signedBytes
        var failure = CredentialError(.badSignature, "signature does not verify")
        for key in keys {
            switch key.verify(signature: pass.message.signature, for: signedBytes, algorithm: .es256) {
            case .valid: return .ok
            case .invalid: break
            case .malformedSignature: failure = CredentialError(.malformedSignature, "the signature is not a 64-byte ES256 signature")
            case .keyMismatch: failure = CredentialError(.keyAlgorithmMismatch, "the issuer key is not a P-256 key")
            }
        }
        return .failed(failure)
    }

    /// nbf ≤ now + skew and now ≤ exp; both are required.
    static func tokenValidity(_ claims: NZCPClaims, in context: VerificationContext) -> StepOutcome {
        guard let notBefore = claims.notBefore else { return .failed(CredentialError(.notYetValid, "no nbf claim")) }
        guard let expiresAt = claims.expiresAt else { return .failed(CredentialError(.missingExpiry, "no exp claim")) }
        if notBefore > context.now.addingTimeInterval(context.clockSkew) {
            return .failed(CredentialError(.notYetValid, "the pass is not valid before \(notBefore)"))
        }
        if context.now > expiresAt {
            return .failed(CredentialError(.expired, "the pass expired at \(expiresAt)"))
        }
        return .ok
    }
}
