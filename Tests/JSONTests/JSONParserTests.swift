import JSON
import Testing

@Suite struct JSONParserTests {
    @Test func parsesNestedDocumentInOrder() throws {
        let value = try JSONParser.parse(#"{"b":[1,-2,3.5,"x\u00e9\n"],"a":{"c":null,"d":true},"e":[],"f":{}}"#)
        let object = try #require(value.object)
        #expect(object.names == ["b", "a", "e", "f"])
        #expect(value["b"] == [1, -2, .number(JSONNumber(3.5)!), "xé\n"])
        #expect(value["a"]?["d"] == true)
        #expect(value["e"] == [])
        #expect(value["f"] == .object(JSONObject()))
    }

    @Test func keepsLargeIntegersExact() throws {
        let value = try JSONParser.parse("[9007199254740993, 123456789012345678901234567890]")
        #expect(value.array?[0].int64 == 9_007_199_254_740_993)
        #expect(value.array?[1].number?.literal == "123456789012345678901234567890")
        #expect(value.array?[1].int64 == nil)
        #expect(JSONWriter.string(value) == "[9007199254740993,123456789012345678901234567890]")
    }

    @Test(arguments: [
        ("", JSONError.Code.truncated), ("[1,]", .unexpectedCharacter), ("01", .invalidNumber), ("1.", .invalidNumber),
        ("+1", .unexpectedCharacter), ("{\"a\":1,\"a\":2}", .duplicateName), ("\"\\ud800\"", .invalidString),
        ("\"\\udc00\"", .invalidString), ("[1] x", .trailingData), ("\"a\u{01}\"", .invalidString), ("nul", .truncated),
        ("{\"a\" 1}", .unexpectedCharacter), ("[", .truncated), ("\"\\x\"", .invalidString), ("NaN", .unexpectedCharacter),
    ])
    func refusesMalformedText(text: String, code: JSONError.Code) {
        #expect(throws: JSONError(code, at: 0, "")) { try JSONParser.parse(text) }
    }

    @Test func refusesInvalidUTF8() {
        #expect(throws: JSONError(.invalidUTF8, at: 0, "")) { try JSONParser.parse([0x22, 0xC0, 0xAF, 0x22]) }
        #expect(throws: JSONError(.invalidUTF8, at: 0, "")) { try JSONParser.parse([0x22, 0xED, 0xA0, 0x80, 0x22]) }
    }

    @Test func enforcesLimits() {
        let deep = String(repeating: "[", count: 65) + String(repeating: "]", count: 65)
        #expect(throws: JSONError(.depthExceeded, at: 0, "")) { try JSONParser.parse(deep) }
        let fine = String(repeating: "[", count: 64) + String(repeating: "]", count: 64)
        #expect((try? JSONParser.parse(fine)) != nil)
        let limits = JSONLimits(maxBytes: 100, maxDepth: 4, maxItems: 3, maxStringLength: 5)
        #expect(throws: JSONError(.tooManyItems, at: 0, "")) { try JSONParser.parse("[1,2,3]", limits: limits) }
        #expect(throws: JSONError(.tooLarge, at: 0, "")) { try JSONParser.parse("\"abcdefg\"", limits: limits) }
        #expect(throws: JSONError(.tooLarge, at: 0, "")) { try JSONParser.parse(String(repeating: " ", count: 101) + "1", limits: limits) }
    }

    @Test func writerRoundTripsAndEscapes() throws {
        let text = #"{"z":"q\"\\\b\f\n\r\t\u0001/é😀","a":[true,false,null,0,-0,1e10]}"#
        let value = try JSONParser.parse(text)
        let written = JSONWriter.string(value)
        #expect(written == #"{"z":"q\"\\\b\f\n\r\t\u0001/é😀","a":[true,false,null,0,-0,1e10]}"#)
        #expect(try JSONParser.parse(written) == value)
        #expect(JSONWriter.string(value, memberOrder: .sortedByUTF16).hasPrefix(#"{"a":"#))
    }

    @Test func objectEqualityIgnoresMemberOrder() throws {
        #expect(try JSONParser.parse(#"{"a":1,"b":2}"#) == JSONParser.parse(#"{"b":2,"a":1}"#))
        #expect(try JSONParser.parse(#"{"a":1}"#) != JSONParser.parse(#"{"a":1.0}"#))
    }
}
