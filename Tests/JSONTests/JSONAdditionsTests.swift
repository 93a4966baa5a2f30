import JSON
import Testing

/// The writer's layouts (pretty, escaped slashes), unsigned and Double conversions, a byte order mark.
@Suite struct JSONAdditionsTests {
    /// What Foundation's `JSONEncoder` with `[.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]` wrote
    /// for this value (a trust-bundle manifest's shape, plus empty containers and escapes).
    static let foundationPretty = """
        {
          "empty" : [

          ],
          "files" : [
            {
              "length" : 587,
              "name" : "signers",
              "nested" : {

              }
            },
            [
              true,
              null
            ]
          ],
          "issuedAt" : "2026-11-29T00:00:00Z",
          "producer" : "a/b \\"q\\" é\\u0001\\n",
          "sequence" : 18446744073709551615
        }
        """

    static let value: JSONValue = [
        "sequence": .integer(UInt64.max),
        "producer": "a/b \"q\" é\u{01}\n",
        "issuedAt": "2026-11-29T00:00:00Z",
        "files": [["name": "signers", "length": 587, "nested": [:]], [true, nil]],
        "empty": [],
    ]

    @Test func prettyLayoutIsFoundations() throws {
        #expect(JSONWriter.prettyString(Self.value, memberOrder: .sortedByUTF16) == Self.foundationPretty)
        #expect(try JSONParser.parse(Self.foundationPretty) == Self.value)
        // Held order, a scalar at the top, an empty top-level container.
        #expect(JSONWriter.prettyString(["b": 1, "a": [2]]) == "{\n  \"b\" : 1,\n  \"a\" : [\n    2\n  ]\n}")
        #expect(JSONWriter.prettyString("x/y", escapingSlashes: true) == #""x\/y""#)
        #expect(JSONWriter.prettyString([]) == "[\n\n]")
    }

    @Test func slashesCanBeEscaped() throws {
        let value: JSONValue = ["path": "/dev/video0", "é/😀": ["a/b"]]
        let escaped = JSONWriter.string(value, escapingSlashes: true)
        #expect(escaped == #"{"path":"\/dev\/video0","é\/😀":["a\/b"]}"#)
        #expect(JSONWriter.string(value, escapingSlashes: false) == JSONWriter.string(value))
        #expect(try JSONParser.parse(escaped) == value)
        #expect(JSONWriter.bytes(value, memberOrder: .sortedByUTF16, escapingSlashes: true) == Array(#"{"path":"\/dev\/video0","é\/😀":["a\/b"]}"#.utf8))
    }

    @Test func unsignedIntegersAreExact() throws {
        #expect(JSONNumber(UInt64.max).literal == "18446744073709551615")
        #expect(JSONNumber(UInt64.max).int64 == nil)
        #expect(JSONNumber(UInt64(7)) == JSONNumber(Int64(7)))
        let parsed = try JSONParser.parse("[18446744073709551615, 18446744073709551616, -1, -0, 1.0, 1e2, 0]")
        #expect(parsed.array?.map(\.uint64) == [UInt64.max, nil, nil, 0, nil, nil, 0])
        #expect(JSONValue.string("1").uint64 == nil)
    }

    @Test func doublesCanKeepTheirFraction() {
        #expect(JSONNumber(keepingFraction: 12.0)?.literal == "12.0")
        #expect(JSONNumber(12.0)?.literal == "12")
        for value in [12.5, 0.000_123, 1e-7, 1e300, -0.5, 48.25] {
            #expect(JSONNumber(keepingFraction: value)?.literal == value.description)
            #expect(JSONNumber(keepingFraction: value)?.double == value)
        }
        #expect(JSONNumber(keepingFraction: .infinity) == nil)
        #expect(JSONNumber(keepingFraction: .nan) == nil)
    }

    @Test func aByteOrderMarkCanBeSkipped() throws {
        let text = Array("\u{FEFF}{\"a\":1}".utf8)
        #expect(throws: JSONError(.unexpectedCharacter, at: 0, "")) { try JSONParser.parse(text) }
        #expect(try JSONParser.parse(skippingByteOrderMark: text) == ["a": 1])
        #expect(try JSONParser.parse(skippingByteOrderMark: Array("[1]".utf8)) == [1])
        // Only one mark is skipped, and the limits still apply.
        #expect(throws: JSONError(.unexpectedCharacter, at: 0, "")) { try JSONParser.parse(skippingByteOrderMark: [0xEF, 0xBB, 0xBF] + text) }
        #expect(throws: JSONError(.tooLarge, at: 0, "")) { try JSONParser.parse(skippingByteOrderMark: text, limits: JSONLimits(maxStringLength: 0)) }
    }
}
