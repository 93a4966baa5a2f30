import JSON
import Testing

/// Codable over `JSONValue`: typed documents decode from what the bounded parser produced, strictly.
@Suite struct JSONCodableTests {
    struct Entry: Codable, Equatable {
        let kid: String
        let country: String?
        let length: Int
        let sequence: UInt64
        let ratio: Double
        let flags: [Bool]
        let nested: Nested?
    }

    struct Nested: Codable, Equatable {
        let name: String
    }

    let decoder = JSONValueDecoder()

    @Test func decodesMembersAndIgnoresUnknownOnes() throws {
        let value = try JSONParser.parse(
            #"{"kid":"k","country":"DE","length":42,"sequence":18446744073709551615,"ratio":0.5,"flags":[true,false],"nested":{"name":"n"},"extra":[1]}"#
        )
        let entry = try decoder.decode(Entry.self, from: value)
        #expect(entry == Entry(kid: "k", country: "DE", length: 42, sequence: .max, ratio: 0.5, flags: [true, false], nested: Nested(name: "n")))
    }

    @Test func optionalMembersMayBeAbsentOrNullButNotMistyped() throws {
        let base = #""kid":"k","length":1,"sequence":1,"ratio":1,"flags":[]"#
        let absent = try decoder.decode(Entry.self, from: JSONParser.parse("{\(base)}"))
        #expect(absent.country == nil && absent.nested == nil)
        let null = try decoder.decode(Entry.self, from: JSONParser.parse(#"{\#(base),"country":null,"nested":null}"#))
        #expect(null.country == nil && null.nested == nil)
        #expect(throws: DecodingError.self) { try decoder.decode(Entry.self, from: JSONParser.parse(#"{\#(base),"country":5}"#)) }
    }

    @Test(arguments: [
        #"{"kid":"k","length":1.0,"sequence":1,"ratio":1,"flags":[]}"#,  // an integer type takes integer literals only
        #"{"kid":"k","length":1e0,"sequence":1,"ratio":1,"flags":[]}"#,
        #"{"kid":"k","length":1,"sequence":-1,"ratio":1,"flags":[]}"#,  // out of UInt64's range
        #"{"kid":"k","length":1,"sequence":18446744073709551616,"ratio":1,"flags":[]}"#,
        #"{"kid":"k","length":"1","sequence":1,"ratio":1,"flags":[]}"#,
        #"{"kid":"k","length":1,"sequence":1,"ratio":1,"flags":[1]}"#,
        #"{"length":1,"sequence":1,"ratio":1,"flags":[]}"#,  // a required member missing
        #"[{"kid":"k"}]"#,
    ])
    func refusesWrongShapes(text: String) throws {
        let value = try JSONParser.parse(text)
        #expect(throws: DecodingError.self) { try decoder.decode(Entry.self, from: value) }
    }

    @Test func smallIntegersMustFitTheirType() throws {
        #expect(try decoder.decode(UInt8.self, from: 255) == 255)
        #expect(throws: DecodingError.self) { try decoder.decode(UInt8.self, from: 256) }
        #expect(throws: DecodingError.self) { try decoder.decode(Int8.self, from: -129) }
    }

    @Test func encodesInDeclarationOrderAndLeavesOutNilOptionals() throws {
        let entry = Entry(kid: "k/1", country: nil, length: -3, sequence: .max, ratio: 0.25, flags: [false], nested: Nested(name: "é"))
        let value = try JSONValueEncoder().encode(entry)
        #expect(JSONWriter.string(value) == #"{"kid":"k/1","length":-3,"sequence":18446744073709551615,"ratio":0.25,"flags":[false],"nested":{"name":"é"}}"#)
        #expect(try decoder.decode(Entry.self, from: value) == entry)
    }

    @Test func nonFiniteNumbersCannotBeEncoded() {
        #expect(throws: EncodingError.self) { try JSONValueEncoder().encode([Double.nan]) }
        #expect(throws: EncodingError.self) { try JSONValueEncoder().encode(Double.infinity) }
    }
}
