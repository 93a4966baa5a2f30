import HealthCredentialsTesting
import HealthCredentials
import Testing

/// Base45 against RFC 9285: its examples, its alphabet and its error cases.
@Suite("Base45 (RFC 9285)")
struct Base45Tests {
    /// RFC 9285 §4.1/§4.3 examples, written out from the RFC text.
    static let rfcExamples: [(plain: String, encoded: String)] = [
        ("AB", "BB8"),
        ("Hello!!", "%69 VD92EX0"),
        ("base-45", "UJCLQE7W581"),
        ("ietf!", "QED8WEX0"),
    ]

    /// The RFC 9285 §4 table: value i is the i-th character.
    static let alphabet = Array("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:")

    /// Characters for `value` written as `count` base-45 digits, least significant first (RFC 9285 §4).
    static func digits(_ value: Int, count: Int) -> String {
        var value = value
        var characters: [Character] = []
        for _ in 0..<count {
            characters.append(alphabet[value % 45])
            value /= 45
        }
        return String(characters)
    }

    @Test("RFC examples encode", arguments: rfcExamples)
    func encodesRFCExamples(plain: String, encoded: String) {
        #expect(Base45.encode(Array(plain.utf8)) == encoded)
    }

    @Test("RFC examples decode", arguments: rfcExamples)
    func decodesRFCExamples(plain: String, encoded: String) throws {
        #expect(try Base45.decode(Array(encoded.utf8)) == Array(plain.utf8))
    }

    @Test("the alphabet maps character i to value i")
    func alphabetValues() throws {
        // A pair c0 c1 decodes to c0 + 45·c1; with c1 = '0' the byte is the character's own value.
        for (value, character) in Self.alphabet.enumerated() {
            let pair = String(character) + "0"
            #expect(try Base45.decode(Array(pair.utf8)) == [UInt8(value)], "character \(character)")
        }
    }

    @Test("empty input decodes to nothing and encodes to nothing")
    func empty() throws {
        #expect(try Base45.decode([UInt8]()) == [])
        #expect(Base45.encode([UInt8]()) == "")
    }

    @Test(
        "characters outside the alphabet are refused",
        arguments: ["bb8", "BB8bb8", "BB#", "B#8", "A\u{C4}", "BB8\u{00E9}", "BB\n", "BB=", "BB,", "\u{0}BB", "BB_"]
    )
    func illegalCharacters(text: String) {
        // All chosen so that the UTF-8 length is not ≡ 1 (mod 3): the character itself must be the reason.
        #expect(Array(text.utf8).count % 3 != 1)
        expectCode(.badBase45) { try Base45.decode(Array(text.utf8)) }
    }

    @Test("a length that leaves one character over is refused", arguments: ["A", "BB8A", "BB8BB8C", "BB8BB8BB8BB8A"])
    func lengthModThreeIsOne(text: String) {
        expectCode(.badBase45) { try Base45.decode(Array(text.utf8)) }
    }

    @Test("triplets decode up to 65535 and no further")
    func tripletBoundary() throws {
        let largest = Self.digits(65535, count: 3)
        #expect(try Base45.decode(Array(largest.utf8)) == [0xFF, 0xFF])
        for value in [65536, 65537, 70000, 91124] {
            let text = Self.digits(value, count: 3)
            expectCode(.badBase45) { try Base45.decode(Array(text.utf8)) }
            // The same triplet after a valid one is refused too.
            expectCode(.badBase45) { try Base45.decode(Array(("BB8" + text).utf8)) }
        }
    }

    @Test("\":::\" (44 + 44·45 + 44·45² = 91124) is refused")
    func maximalTriplet() {
        #expect(Self.digits(91124, count: 3) == ":::")
        expectCode(.badBase45) { try Base45.decode(Array(":::".utf8)) }
    }

    @Test("final pairs decode up to 255 and no further")
    func pairBoundary() throws {
        #expect(try Base45.decode(Array(Self.digits(255, count: 2).utf8)) == [0xFF])
        for value in [256, 1000, 44 + 44 * 45] {
            let pair = Self.digits(value, count: 2)
            expectCode(.badBase45) { try Base45.decode(Array(pair.utf8)) }
            expectCode(.badBase45) { try Base45.decode(Array(("BB8" + pair).utf8)) }
        }
    }

    @Test("every two-byte value round-trips through its RFC triplet", arguments: [0, 1, 44, 45, 2024, 2025, 0x4142, 0xFFFE, 0xFFFF])
    func tripletValues(value: Int) throws {
        let bytes = [UInt8(value >> 8), UInt8(value & 0xFF)]
        let expected = Self.digits(value, count: 3)
        #expect(Base45.encode(bytes) == expected)
        #expect(try Base45.decode(Array(expected.utf8)) == bytes)
    }

    @Test("random bytes round-trip", arguments: 0..<12)
    func roundTrip(length: Int) throws {
        var generator = SplitMix64(seed: UInt64(length) &* 7919)
        for _ in 0..<20 {
            let bytes = (0..<length).map { _ in UInt8.random(in: 0...255, using: &generator) }
            let encoded = Base45.encode(bytes)
            #expect(encoded.utf8.count == length / 2 * 3 + length % 2 * 2)
            #expect(try Base45.decode(Array(encoded.utf8)) == bytes)
        }
    }
}

