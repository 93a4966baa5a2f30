import HealthCredentials
import Testing

@Suite struct NZCovidPassRecognitionTests {
    @Test func recognisesNothingFromEmptyInput() {
        #expect(CredentialFormat(recognising: [UInt8]()) == .unknown)
    }
}
