import HealthCredentials
import Testing

@Suite struct VisibleDigitalSealsRecognitionTests {
    @Test func recognisesNothingFromEmptyInput() {
        #expect(CredentialFormat(recognising: [UInt8]()) == .unknown)
    }
}
