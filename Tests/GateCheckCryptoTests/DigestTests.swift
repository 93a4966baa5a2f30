import GateCheckTestSupport
import Testing
@testable import GateCheckCrypto

@Suite("Digest")
struct DigestTests {
    @Test func sha256KnownAnswers() {
        #expect(Digest.sha256([UInt8]()).hex == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        #expect(
            Digest.sha256(Array("abc".utf8)).hex == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        // A collection without contiguous storage takes the copying path.
        #expect(
            Digest.sha256(repeatElement(UInt8(ascii: "a"), count: 3)).hex
                == "9834876dcfb05cb167a5c24953eba58c4ac89b1adf57f28f2f9d09af107ee8f0")
        #expect(
            Digest.sha256(Array("xabcx".utf8)[1..<4]).hex
                == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
    }
}
