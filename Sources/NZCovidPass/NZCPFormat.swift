import HealthCredentials

/// NZ COVID Pass (`NZCP:/`). Placeholder until the verifier lands.
enum NZCPFormat {
    static let format = CredentialFormat.nzcp
}
