import CertLogic
import JSON
import Testing

/// `extractFromUVCI`: fragments split on `/`, `#` and `:`, the `URN:UVCI:` prefix dropped once.
@Suite struct ExtractFromUVCITests {
    static func extract(_ uci: JSONValue, _ index: Int64) throws -> JSONValue {
        try CertLogicExpression(validating: ["extractFromUVCI": [["var": "u"], .integer(index)]]).evaluate(["u": uci])
    }

    @Test func splitsOnAllThreeSeparators() throws {
        let uci: JSONValue = "URN:UVCI:01:NL:187/37512422923#C"
        #expect(try Self.extract(uci, 0) == "01")
        #expect(try Self.extract(uci, 1) == "NL")
        #expect(try Self.extract(uci, 2) == "187")
        #expect(try Self.extract(uci, 3) == "37512422923")
        #expect(try Self.extract(uci, 4) == "C")
        #expect(try Self.extract(uci, 5) == nil)
    }

    @Test func keepsEmptyFragments() throws {
        let fragments = try (0..<7).map { try Self.extract("a::c/#/f", $0) }
        #expect(fragments == ["a", "", "c", "", "", "f", nil])
        #expect(try Self.extract("", 0) == "")
        #expect(try Self.extract("", 1) == nil)
        #expect(try Self.extract("/", 1) == "")
    }

    @Test func prefixIsOptionalExactAndDroppedOnce() throws {
        #expect(try Self.extract("URN:UVCI:", 0) == "")
        #expect(try Self.extract("URN:UVCI:", 1) == nil)
        #expect(try Self.extract("urn:uvci:01", 0) == "urn")
        #expect(try Self.extract("URN:UVCI:URN:UVCI:x", 0) == "URN")
        #expect(try Self.extract("URN:UVCI:URN:UVCI:x", 2) == "x")
        #expect(try Self.extract("URN:UVCIx", 1) == "UVCIx")
    }

    @Test func keepsNonASCIIFragmentsWhole() throws {
        #expect(try Self.extract("01:ÄÖ:😀#x", 1) == "ÄÖ")
        #expect(try Self.extract("01:ÄÖ:😀#x", 2) == "😀")
        #expect(try Self.extract("01:ÄÖ:😀#x", 3) == "x")
    }

    @Test func outOfRangeIndexesAndNullGiveNull() throws {
        #expect(try Self.extract("01:NL", -1) == nil)
        #expect(try Self.extract("01:NL", .min) == nil)
        #expect(try Self.extract("01:NL", .max) == nil)
        #expect(try Self.extract(nil, 0) == nil)
        #expect(try CertLogicExpression(validating: ["extractFromUVCI": [["var": "missing"], 0]]).evaluate([:]) == nil)
    }
}
