/// The outcome of ``PublicKey/verify(signature:for:algorithm:)``.
///
/// Only ``valid`` means the signature verifies. The other cases exist for diagnostics and tests;
/// callers making a pass/fail decision must treat all of them as failure.
public enum SignatureCheck: Sendable, Hashable {
    /// The signature verifies over the message with this key and algorithm.
    case valid
    /// The signature is well-formed but does not verify.
    case invalid
    /// The signature cannot be a signature of this algorithm: wrong length, empty, oversized or undecodable.
    case malformedSignature
    /// The key type does not fit the algorithm (ES256 needs EC P-256; PS256 needs RSA of at least 2048 bits).
    case keyMismatch
}
