import HealthCredentials
import Testing

@Suite struct SmartHealthCardsRecognitionTests {
    @Test func recognisesNothingFromEmptyInput() {
        #expect(CredentialFormat(recognising: [UInt8]()) == .unknown)
    }
}
