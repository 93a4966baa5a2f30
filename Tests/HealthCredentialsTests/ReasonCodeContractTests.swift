import DaemonSupport
import HealthCredentials
import Testing

/// The daemon's verdict lines accept only known reason codes (a closed enum, so nothing personal
/// can ride along). This keeps that list and the verifier's codes from drifting apart.
@Suite("Reason codes reach verdict lines")
struct ReasonCodeContractTests {
    @Test func everyCredentialErrorCodeHasAVerdictLineReason() {
        let missing = CredentialError.Code.all.map(\.description).filter { VerdictLine.Reason(rawValue: $0) == nil }
        #expect(missing.isEmpty, "verdict lines cannot carry: \(missing)")
        #expect(CredentialError.Code.all.count > 30)
    }
}
