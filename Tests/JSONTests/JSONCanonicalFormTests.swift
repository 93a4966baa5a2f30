import JSON
import Testing

/// RFC 8785 numbers (ECMAScript `Number::toString`), member order and refusals.
@Suite struct JSONCanonicalFormTests {
    static func canonical(_ text: String) throws -> String {
        String(decoding: try JSONCanonicalForm.bytes(parsing: Array(text.utf8)), as: UTF8.self)
    }

    /// Values from RFC 8785 Appendix B and ECMAScript's layout boundaries (21 integer digits, 1e-7).
    @Test(arguments: [
        ("0", "0"), ("-0", "0"), ("0.0", "0"), ("1", "1"), ("-1", "-1"), ("56.0", "56"), ("4.50", "4.5"), ("2e-3", "0.002"),
        ("1E30", "1e+30"), ("333333333.33333329", "333333333.3333333"), ("1e21", "1e+21"), ("1e20", "100000000000000000000"),
        ("123456789012345678901", "123456789012345680000"), ("0.000001", "0.000001"), ("0.0000001", "1e-7"),
        ("1.5e-7", "1.5e-7"), ("-1.5e-7", "-1.5e-7"), ("5e-324", "5e-324"), ("1.7976931348623157e308", "1.7976931348623157e+308"),
        ("9007199254740993", "9007199254740992"), ("295147905179352830000", "295147905179352830000"), ("4.35", "4.35"),
        ("0.1", "0.1"), ("100", "100"), ("1e2", "100"), ("123.456e5", "12345600"),
    ])
    func numbersAreWrittenAsECMAScriptDoes(_ literal: String, _ expected: String) throws {
        #expect(try Self.canonical("[\(literal)]") == "[\(expected)]")
    }

    @Test func outOfRangeNumbersAreRefused() {
        #expect(throws: JSONError.self) { try Self.canonical("[1e400]") }
        #expect(throws: JSONError.self) { try Self.canonical("[-1e400]") }
    }

    @Test func membersSortByUTF16CodeUnitsAndNestingIsKept() throws {
        // U+1F600 (surrogates D83D DE00) sorts before U+FB33 in UTF-16, after it in UTF-8/scalars.
        #expect(try Self.canonical("{\"\\ufb33\":1,\"\\ud83d\\ude00\":2,\"b\":[{\"z\":1,\"a\":2}],\"a\":{}}") == "{\"a\":{},\"b\":[{\"a\":2,\"z\":1}],\"😀\":2,\"דּ\":1}")
    }

    @Test func loneSurrogatesAndBadTextAreRefused() {
        #expect(throws: JSONError.self) { try Self.canonical("{\"a\":\"\\uDEAD\"}") }
        #expect(throws: JSONError.self) { try Self.canonical("{\"a\":\"\\uD800x\"}") }
        #expect(throws: JSONError.self) { try JSONCanonicalForm.bytes(parsing: [0x22, 0xFF, 0x22]) }
    }

    @Test func deepValuesBuiltInCodeAreRefused() {
        var value: JSONValue = 1
        for _ in 0...JSONCanonicalForm.maxDepth { value = [value] }
        #expect(throws: JSONError.self) { try JSONCanonicalForm.bytes(of: value) }
    }
}
