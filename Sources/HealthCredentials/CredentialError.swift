// Re-exported: this error's description and equality come from CodedError, and callers should not need the import.
@_exported import CodedErrors

/// The one error type of HealthCredentials. Its `code` is the stable reason code that appears in
/// verdicts (`failed:<code>`), logs and counters; `detail` is a short explanation for people and
/// never contains personal data from the credential.
public struct CredentialError: CodedError {
    public struct Code: Hashable, Sendable, LosslessStringConvertible {
        fileprivate enum Value: String, CaseIterable {
            // decode
            case badPrefix = "bad-prefix"
            case payloadTooLarge = "payload-too-large"
            case badBase45 = "bad-base45"
            case notCompressed = "not-compressed"
            case badCompression = "bad-compression"
            case decompressedTooLarge = "decompressed-too-large"
            case badCBOR = "bad-cbor"
            case badCOSE = "bad-cose"
            case unsupportedAlgorithm = "unsupported-algorithm"
            case badKid = "bad-kid"
            case badCWT = "bad-cwt"
            case noCodeFound = "no-code-found"
            case unreadableInput = "unreadable-input"
            // decode: which format, and the layers of the non-HC1 formats
            case unsupportedFormat = "unsupported-format"
            case formatNotAccepted = "format-not-accepted"
            case badQRChunks = "bad-qr-chunks"
            case badNumericEncoding = "bad-numeric-encoding"
            case badBase32 = "bad-base32"
            case badBase64URL = "bad-base64url"
            case badJWS = "bad-jws"
            case badJSON = "bad-json"
            case badSeal = "bad-seal"
            // signature
            case unknownSigner = "unknown-signer"
            case unknownIssuer = "unknown-issuer"
            case untrustedSigner = "untrusted-signer"
            case badSignature = "bad-signature"
            case malformedSignature = "malformed-signature"
            case keyAlgorithmMismatch = "key-algorithm-mismatch"
            // signer validity
            case signerNotYetValid = "signer-not-yet-valid"
            case signerExpired = "signer-expired"
            // token validity
            case missingIssuedAt = "missing-issued-at"
            case missingExpiry = "missing-expiry"
            case issuedInFuture = "issued-in-future"
            case expired = "expired"
            case notYetValid = "not-yet-valid"
            case vaccinationNotYetValid = "vaccination-not-yet-valid"
            case vaccinationExpired = "vaccination-expired"
            // key usage
            case keyUsageMismatch = "key-usage-mismatch"
            case documentTypeMismatch = "document-type-mismatch"
            case countryMismatch = "country-mismatch"
            // schema
            case unsupportedVersion = "unsupported-version"
            case schemaViolation = "schema-violation"
            case multipleEntries = "multiple-entries"
            // content
            case testDetected = "test-detected"
            case sampleTimeInFuture = "sample-time-in-future"
            case recoveryNotYetValid = "recovery-not-yet-valid"
            case recoveryExpired = "recovery-expired"
            // admission rules
            case ruleFailed = "rule-failed"
            case ruleError = "rule-error"
            case rulesMissing = "rules-missing"
            case rulesStale = "rules-stale"
            // revocation
            case revoked = "revoked"
            // fitness to decide
            case trustStale = "trust-stale"
            case clockUntrusted = "clock-untrusted"
            // trust material
            case badTrustList = "bad-trust-list"
            case trustListSignatureInvalid = "trust-list-signature-invalid"
            case trustListUnverified = "trust-list-unverified"
            // not a verification outcome
            case other = "other"
        }
        fileprivate let value: Value

        public static let badPrefix = Code(value: .badPrefix)
        public static let payloadTooLarge = Code(value: .payloadTooLarge)
        public static let badBase45 = Code(value: .badBase45)
        public static let notCompressed = Code(value: .notCompressed)
        public static let badCompression = Code(value: .badCompression)
        public static let decompressedTooLarge = Code(value: .decompressedTooLarge)
        public static let badCBOR = Code(value: .badCBOR)
        public static let badCOSE = Code(value: .badCOSE)
        public static let unsupportedAlgorithm = Code(value: .unsupportedAlgorithm)
        public static let badKid = Code(value: .badKid)
        public static let badCWT = Code(value: .badCWT)
        /// An image held no readable QR code.
        public static let noCodeFound = Code(value: .noCodeFound)
        /// An input file could not be read or decoded as an image.
        public static let unreadableInput = Code(value: .unreadableInput)
        /// Recognised by shape but not verifiable here (DIVOC, ICAO constrained seals), or no known shape at all.
        public static let unsupportedFormat = Code(value: .unsupportedFormat)
        /// A format this gate's policy does not accept (`[policy] formats`).
        public static let formatNotAccepted = Code(value: .formatNotAccepted)
        /// SMART Health Card chunks (`shc:/i/n/`) that are malformed, inconsistent or incomplete.
        public static let badQRChunks = Code(value: .badQRChunks)
        /// SMART Health Card digits: odd count, or a pair above 77.
        public static let badNumericEncoding = Code(value: .badNumericEncoding)
        public static let badBase32 = Code(value: .badBase32)
        public static let badBase64URL = Code(value: .badBase64URL)
        /// Not a compact JWS of the required shape (three parts, a protected header with `alg`, `kid`, `zip`).
        public static let badJWS = Code(value: .badJWS)
        /// A JSON layer that does not parse within its limits, or lacks a required member.
        public static let badJSON = Code(value: .badJSON)
        /// An ICAO VDS-NC seal whose structure is wrong (`data`, `sig`, header, canonical form).
        public static let badSeal = Code(value: .badSeal)
        public static let unknownSigner = Code(value: .unknownSigner)
        /// The credential's issuer (a SMART Health Card `iss`, an NZCP `did:web`) is not in the trust.
        public static let unknownIssuer = Code(value: .unknownIssuer)
        /// The embedded signer certificate (an ICAO Barcode Signer) does not chain to a trusted anchor (a CSCA).
        public static let untrustedSigner = Code(value: .untrustedSigner)
        public static let badSignature = Code(value: .badSignature)
        public static let malformedSignature = Code(value: .malformedSignature)
        public static let keyAlgorithmMismatch = Code(value: .keyAlgorithmMismatch)
        public static let signerNotYetValid = Code(value: .signerNotYetValid)
        public static let signerExpired = Code(value: .signerExpired)
        public static let missingIssuedAt = Code(value: .missingIssuedAt)
        public static let missingExpiry = Code(value: .missingExpiry)
        public static let issuedInFuture = Code(value: .issuedInFuture)
        public static let expired = Code(value: .expired)
        /// A credential before its own `nbf`.
        public static let notYetValid = Code(value: .notYetValid)
        /// A WHO DVC before its vaccination's validity starts (`vls`).
        public static let vaccinationNotYetValid = Code(value: .vaccinationNotYetValid)
        /// A WHO DVC after its vaccination's validity ends (`vle`).
        public static let vaccinationExpired = Code(value: .vaccinationExpired)
        public static let keyUsageMismatch = Code(value: .keyUsageMismatch)
        /// An ICAO seal whose `hdr.t` is not a document type its signer certificate may sign.
        public static let documentTypeMismatch = Code(value: .documentTypeMismatch)
        /// An issuing country that differs from its signer certificate's country.
        public static let countryMismatch = Code(value: .countryMismatch)
        public static let unsupportedVersion = Code(value: .unsupportedVersion)
        public static let schemaViolation = Code(value: .schemaViolation)
        public static let multipleEntries = Code(value: .multipleEntries)
        public static let testDetected = Code(value: .testDetected)
        public static let sampleTimeInFuture = Code(value: .sampleTimeInFuture)
        /// A recovery certificate before its own `df` ("valid from").
        public static let recoveryNotYetValid = Code(value: .recoveryNotYetValid)
        /// A recovery certificate after its own `du` ("valid until").
        public static let recoveryExpired = Code(value: .recoveryExpired)
        /// An admission rule of the place evaluated to false (the report names every failing rule).
        public static let ruleFailed = Code(value: .ruleFailed)
        /// An admission rule could not be evaluated (type error, limit): fails closed.
        public static let ruleError = Code(value: .ruleError)
        /// A country of arrival is configured, but no acceptance rule of it applies to this credential.
        public static let rulesMissing = Code(value: .rulesMissing)
        /// The place has rules for this certificate type, but none is valid now: no verdict can pass.
        public static let rulesStale = Code(value: .rulesStale)
        /// The credential is on a revocation list the trust store carries.
        public static let revoked = Code(value: .revoked)
        /// The installed trust is past its notAfter or older than the allowed age: no verdict can pass.
        public static let trustStale = Code(value: .trustStale)
        /// The system clock is behind a time already seen: no verdict can pass.
        public static let clockUntrusted = Code(value: .clockUntrusted)
        public static let badTrustList = Code(value: .badTrustList)
        public static let trustListSignatureInvalid = Code(value: .trustListSignatureInvalid)
        /// A signed trust list was offered without a key to check it, and unchecked lists were not allowed.
        public static let trustListUnverified = Code(value: .trustListUnverified)

        /// Every code, for documentation and tests.
        /// Never thrown: stands for a code this build does not know when counters are read back (a status
        /// reply from a newer daemon), so nothing but a code can be counted.
        public static let other = Code(value: .other)

        /// Every code verification can fail with (not ``other``).
        public static var all: [Code] { Value.allCases.filter { $0 != .other }.map { Code(value: $0) } }

        public var description: String { value.rawValue }
    }

    public let code: Code
    public let detail: String

    public init(_ code: Code, _ detail: String) {
        self.code = code
        self.detail = detail
    }
}

extension CredentialError.Code {
    /// A code read back from its text (a status reply, a log line): nil for a word this build does not know.
    public init?(_ description: String) {
        guard let value = Value(rawValue: description) else { return nil }
        self.init(value: value)
    }
}
