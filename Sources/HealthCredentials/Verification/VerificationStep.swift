/// The steps of a verification, in the order they are evaluated and reported.
/// Their raw values are the keys of `steps` in `gatecheck verify --json`.
public enum VerificationStep: String, Sendable, Hashable, CaseIterable, Codable {
    /// Whether the device may decide at all: trust material current, clock trustworthy.
    case trust
    case decode
    case signature
    case keyUsage
    case signerValidity
    case tokenValidity
    case schema
    case content
    /// The admission rules of the configured country of arrival (skipped when none is configured).
    case rules
    case revocation
}

/// What one step concluded.
public enum StepOutcome: Sendable, Hashable, CustomStringConvertible {
    case ok
    case failed(CredentialError)
    /// The step could not run because an earlier one failed (e.g. no signer, so no key usage).
    case skipped

    /// `"ok"`, `"failed:<code>"` or `"skipped"`: the form used in JSON output and logs.
    public var description: String {
        switch self {
        case .ok: "ok"
        case .failed(let error): "failed:\(error.code)"
        case .skipped: "skipped"
        }
    }

    public var error: CredentialError? {
        if case .failed(let error) = self { return error }
        return nil
    }
}
