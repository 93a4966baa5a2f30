import HealthCredentials

/// ICAO VDS-NC seals. Placeholder until the verifier lands.
enum VDSNCFormat {
    static let format = CredentialFormat.vdsNC
}
