import HealthCredentials

/// SMART Health Cards (`shc:/`). Placeholder until the verifier lands.
enum SHCFormat {
    static let format = CredentialFormat.shc
}
