extension VerdictLine {
    /// Why a verdict is what it is: `none` for a pass, otherwise one of HealthCredentials'
    /// `CredentialError.Code` values, spelled the same. A closed set rather than a string, so a log
    /// line cannot carry anything a caller chose to put there; the daemon maps a code with
    /// `Reason(rawValue: error.code.description)` and a test there checks every code maps.
    public enum Reason: String, Sendable, Hashable, CaseIterable {
        case none = "none"
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
        case unknownSigner = "unknown-signer"
        case badSignature = "bad-signature"
        case malformedSignature = "malformed-signature"
        case keyAlgorithmMismatch = "key-algorithm-mismatch"
        case signerNotYetValid = "signer-not-yet-valid"
        case signerExpired = "signer-expired"
        case missingIssuedAt = "missing-issued-at"
        case missingExpiry = "missing-expiry"
        case issuedInFuture = "issued-in-future"
        case expired = "expired"
        case keyUsageMismatch = "key-usage-mismatch"
        case unsupportedVersion = "unsupported-version"
        case schemaViolation = "schema-violation"
        case multipleEntries = "multiple-entries"
        case testDetected = "test-detected"
        case sampleTimeInFuture = "sample-time-in-future"
        case revoked = "revoked"
        case trustStale = "trust-stale"
        case clockUntrusted = "clock-untrusted"
        case badTrustList = "bad-trust-list"
        case trustListSignatureInvalid = "trust-list-signature-invalid"
        case trustListUnverified = "trust-list-unverified"
        /// A code this build does not know (a newer HealthCredentials): logged as such, never as text.
        case other = "other"
    }
}
