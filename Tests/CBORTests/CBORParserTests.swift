import CBOR
import Testing

private func hex(_ string: String) -> [UInt8] {
    var bytes: [UInt8] = []
    var iterator = string.filter { !$0.isWhitespace }.makeIterator()
    while let high = iterator.next(), let low = iterator.next() {
        bytes.append(UInt8(String([high, low]), radix: 16)!)
    }
    return bytes
}

private func decodeError(_ bytes: [UInt8], limits: CBORLimits = .default, rules: CBORRules = .lenient) -> CBORError? {
    do {
        _ = try CBORParser.decode(bytes, limits: limits, rules: rules)
        return nil
    } catch {
        return error
    }
}

@Suite struct CBORDecodingTests {
    // Examples from RFC 8949 Appendix A.
    @Test(arguments: [
        ("00", CBORValue.Content.unsigned(0)),
        ("17", .unsigned(23)),
        ("1818", .unsigned(24)),
        ("1903e8", .unsigned(1000)),
        ("1bffffffffffffffff", .unsigned(UInt64.max)),
        ("20", .negative(0)),
        ("3903e7", .negative(999)),
        ("f4", .bool(false)),
        ("f5", .bool(true)),
        ("f6", .null),
        ("f7", .undefined),
        ("f0", .simple(16)),
        ("f8ff", .simple(255)),
        ("f93c00", .float(1.0)),
        ("f97bff", .float(65504.0)),
        ("fa47c35000", .float(100000.0)),
        ("fb3ff199999999999a", .float(1.1)),
        ("4401020304", .byteString([1, 2, 3, 4])),
        ("6449455446", .textString("IETF")),
        ("62c3bc", .textString("ü")),
    ])
    func decodesScalars(encoded: String, expected: CBORValue.Content) throws {
        let value = try CBORParser.decode(hex(encoded))
        #expect(value.content == expected)
        #expect(Array(value.encodedBytes) == hex(encoded))
    }

    @Test func decodesNestedContainersAndKeepsRawBytes() throws {
        // {"a": 1, "b": [2, 3]} with a non-minimal encoding of 1 (0x1801) that must survive as received.
        let bytes = hex("a2 6161 1801 6162 820203")
        let value = try CBORParser.decode(bytes)
        #expect(value["a"]?.int64 == 1)
        #expect(Array(value["a"]!.encodedBytes) == [0x18, 0x01])
        #expect(value["b"]?.arrayItems?.map(\.int64) == [2, 3])
        #expect(Array(value["b"]!.encodedBytes) == hex("820203"))
    }

    @Test func decodesTags() throws {
        let value = try CBORParser.decode(hex("d83dd28401a0f640"))
        guard case .tagged(61, let inner) = value.content, case .tagged(18, let array) = inner.content else {
            Issue.record("expected tag 61 around tag 18, got \(value.content)")
            return
        }
        #expect(array.arrayItems?.count == 4)
    }

    @Test func indefiniteLengthsAreDecodedWhenAllowed() throws {
        // [_ 1, [2, 3], [_ 4, 5]] and (_ h'0102', h'03')
        let array = try CBORParser.decode(hex("9f018202039f0405ffff"))
        #expect(array.arrayItems?.count == 3)
        #expect(array.arrayItems?[2].arrayItems?.map(\.int64) == [4, 5])
        let chunked = try CBORParser.decode(hex("5f42010241 03ff"))
        #expect(chunked.byteString == [1, 2, 3])
        let map = try CBORParser.decode(hex("bf6161 01 6162 02ff"))
        #expect(map["b"]?.int64 == 2)
    }

    @Test func indefiniteLengthsAreRefusedWhenStrict() {
        #expect(decodeError(hex("9f01ff"), rules: .strict)?.code == .indefiniteLengthRefused)
        #expect(decodeError(hex("5f4101ff"), rules: .strict)?.code == .indefiniteLengthRefused)
    }

    @Test func integerAccessorsRejectOverflow() throws {
        #expect(try CBORParser.decode(hex("3b7fffffffffffffff")).int64 == Int64.min)
        #expect(try CBORParser.decode(hex("3b8000000000000000")).int64 == nil)
        #expect(try CBORParser.decode(hex("1b8000000000000000")).int64 == nil)
    }
}

@Suite struct CBORRejectionTests {
    @Test(arguments: [
        ("", CBORError.Code.truncated),
        ("18", .truncated),
        ("1a0000", .truncated),
        ("8301", .lengthExceedsInput),
        ("a16161", .truncated),
        ("0000", .trailingData),
        ("1c", .reservedHeader),
        ("1f", .reservedHeader),
        ("df", .reservedHeader),
        ("ff", .unexpectedBreak),
        ("8201ff", .unexpectedBreak),
        ("f801", .invalidSimpleValue),
        ("62c328", .invalidUTF8),
        ("a2616101616102", .duplicateMapKey),
        ("a201010101", .duplicateMapKey),
        ("5f6161ff", .malformedIndefiniteLength),
        ("5f5f4101ffff", .malformedIndefiniteLength),
        ("bf6161ff", .malformedIndefiniteLength),
        ("9f01", .truncated),
    ])
    func rejectsMalformedInput(encoded: String, expected: CBORError.Code) {
        #expect(decodeError(hex(encoded))?.code == expected)
    }

    @Test func duplicateKeysAreFoundThroughNonMinimalEncodings() {
        // Keys 1 and 1 (the second as 0x1801): the same key, however it is written.
        #expect(decodeError(hex("a2 01 00 1801 00"))?.code == .duplicateMapKey)
    }

    @Test func hugeDeclaredLengthsFailBeforeAllocating() {
        #expect(decodeError(hex("5bffffffffffffffff00"))?.code == .lengthExceedsInput)
        #expect(decodeError(hex("7a7fffffff41"))?.code == .lengthExceedsInput)
        #expect(decodeError(hex("9bffffffffffffffff00"))?.code == .lengthExceedsInput)
        #expect(decodeError(hex("bb4000000000000000 0000"))?.code == .lengthExceedsInput)
        #expect(decodeError(hex("a2 0000"))?.code == .lengthExceedsInput)
    }

    @Test func stringLengthLimitApplies() {
        let bytes: [UInt8] = [0x59, 0x01, 0x00] + Array(repeating: 0, count: 256)
        #expect(decodeError(bytes, limits: CBORLimits(maxStringLength: 255))?.code == .lengthExceedsInput)
        #expect(decodeError(bytes, limits: CBORLimits(maxStringLength: 256)) == nil)
    }

    @Test func tenThousandDeepNestingIsRefused() {
        let arrays = Array(repeating: UInt8(0x81), count: 10_000) + [0x00]
        #expect(decodeError(arrays)?.code == .depthExceeded)
        let tags: [UInt8] = Array([[UInt8]](repeating: [0xD8, 0x3D], count: 10_000).joined()) + [0x00]
        #expect(decodeError(tags)?.code == .depthExceeded)
        let indefinite = Array(repeating: UInt8(0x9F), count: 10_000)
        #expect(decodeError(indefinite)?.code == .depthExceeded)
    }

    @Test func depthLimitIsExact() {
        let limits = CBORLimits(maxDepth: 3)
        #expect(decodeError(hex("81818100"), limits: limits) == nil)
        #expect(decodeError(hex("8181818100"), limits: limits)?.code == .depthExceeded)
    }

    @Test func itemLimitApplies() {
        let array = [UInt8(0x98), 20] + Array(repeating: UInt8(0), count: 20)
        #expect(decodeError(array, limits: CBORLimits(maxItems: 20))?.code == .tooManyItems)
        #expect(decodeError(array, limits: CBORLimits(maxItems: 21)) == nil)
    }
}

@Suite struct CBORWriterTests {
    @Test func builtValuesEncodeCanonicallyAndRoundTrip() throws {
        let value = CBORValue.map([
            (.integer(1), .text("VN")),
            (.integer(-260), .map([(.integer(1), .array([.bytes([0xDE, 0xAD]), .integer(-1), .integer(65536)]))])),
            (.text("f"), CBORValue(.float(1.5))),
            (.text("n"), CBORValue(.null)),
        ])
        let decoded = try CBORParser.decode(Array(value.encodedBytes), rules: .strict)
        #expect(decoded == value)
        #expect(decoded[-260]?[1]?.arrayItems?[2].int64 == 65536)
        #expect(Array(CBORValue.integer(24).encodedBytes) == [0x18, 0x18])
        #expect(Array(CBORValue.integer(-500).encodedBytes) == [0x39, 0x01, 0xF3])
    }

    @Test func decodedChildrenAreReEmittedByteForByte() throws {
        let nonCanonical = try CBORParser.decode(hex("1801"))
        let wrapper = CBORValue.array([nonCanonical])
        #expect(Array(wrapper.encodedBytes) == hex("81 1801"))
    }
}
