/// Two-phase JSON parser (RFC 8259) in the manner of swift-asn1 and our CBOR parser.
///
/// Phase 1 walks the bytes once, without recursion, into a flat pre-order list of tokens; every
/// limit is enforced there (size, depth, item count, string length) along with the grammar. Phase 2
/// turns the tokens into `JSONValue`s; its recursion is bounded by `maxDepth` because phase 1 already
/// refused anything deeper. Strict: no comments, no trailing commas, no NaN, no duplicate names, no
/// invalid UTF-8 or lone surrogates. A leading byte-order mark is refused too.
public enum JSONParser {
    /// Parses exactly one value that spans all of `bytes` (whitespace aside).
    public static func parse(_ bytes: some Collection<UInt8>, limits: JSONLimits = .default) throws(JSONError) -> JSONValue {
        guard bytes.count <= limits.maxBytes else {
            throw JSONError(.tooLarge, at: 0, "\(bytes.count) bytes (at most \(limits.maxBytes))")
        }
        let input = Array(bytes)
        var scanner = Scanner(input: input, limits: limits)
        try scanner.scanDocument()
        var builder = Builder(input: input, tokens: scanner.tokens)
        return try builder.value()
    }

    public static func parse(_ text: String, limits: JSONLimits = .default) throws(JSONError) -> JSONValue {
        try parse(Array(text.utf8), limits: limits)
    }
}

/// One value (or member name) found in phase 1.
private struct Token {
    enum Kind { case null, `true`, `false`, number, string, array, object }
    var kind: Kind
    /// For strings and numbers: the literal's bytes (strings without their quotes).
    var start: Int
    var end: Int
    /// Arrays: element count; objects: member count; strings: whether it holds escapes (0/1).
    var count: Int = 0
}

private struct Scanner {
    let input: [UInt8]
    let limits: JSONLimits
    var position = 0
    var tokens: [Token] = []

    /// Open containers: the token index and whether it is an object.
    var open: [(token: Int, isObject: Bool)] = []

    init(input: [UInt8], limits: JSONLimits) {
        self.input = input
        self.limits = limits
    }

    mutating func scanDocument() throws(JSONError) {
        skipWhitespace()
        try scanValue()
        while !open.isEmpty {
            let container = open[open.count - 1]
            skipWhitespace()
            guard let byte = peek() else { throw JSONError(.truncated, at: position, "unclosed \(container.isObject ? "object" : "array")") }
            let closer: UInt8 = container.isObject ? UInt8(ascii: "}") : UInt8(ascii: "]")
            if byte == closer {
                position += 1
                open.removeLast()
                continue
            }
            guard byte == UInt8(ascii: ",") else {
                throw JSONError(.unexpectedCharacter, at: position, "expected ',' or '\(Character(Unicode.Scalar(closer)))'")
            }
            position += 1
            skipWhitespace()
            if container.isObject { try scanMemberName() }
            tokens[container.token].count += 1
            try scanValue()
        }
        skipWhitespace()
        guard position == input.count else { throw JSONError(.trailingData, at: position, "\(input.count - position) bytes after the value") }
    }

    /// Scans one value; an array or object is only opened here (its first element too), the loop
    /// in `scanDocument` scans the rest.
    private mutating func scanValue() throws(JSONError) {
        while true {
            guard tokens.count < limits.maxItems else { throw JSONError(.tooManyItems, at: position, "more than \(limits.maxItems) values") }
            guard let byte = peek() else { throw JSONError(.truncated, at: position, "a value was expected") }
            switch byte {
            case UInt8(ascii: "{"), UInt8(ascii: "["):
                let isObject = byte == UInt8(ascii: "{")
                guard open.count < limits.maxDepth else {
                    throw JSONError(.depthExceeded, at: position, "nesting deeper than \(limits.maxDepth)")
                }
                tokens.append(Token(kind: isObject ? .object : .array, start: position, end: position))
                open.append((tokens.count - 1, isObject))
                position += 1
                skipWhitespace()
                if peek() == (isObject ? UInt8(ascii: "}") : UInt8(ascii: "]")) {
                    position += 1
                    open.removeLast()
                    return
                }
                if isObject { try scanMemberName() }
                tokens[open[open.count - 1].token].count = 1
                continue  // the first element
            case UInt8(ascii: "\""):
                try scanString()
            case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
                try scanNumber()
            case UInt8(ascii: "t"): try scanLiteral("true", .true)
            case UInt8(ascii: "f"): try scanLiteral("false", .false)
            case UInt8(ascii: "n"): try scanLiteral("null", .null)
            default:
                throw JSONError(.unexpectedCharacter, at: position, "byte 0x\(String(byte, radix: 16)) cannot start a value")
            }
            return
        }
    }

    private mutating func scanMemberName() throws(JSONError) {
        guard peek() == UInt8(ascii: "\"") else { throw JSONError(.unexpectedCharacter, at: position, "a member name was expected") }
        try scanString()
        skipWhitespace()
        guard peek() == UInt8(ascii: ":") else { throw JSONError(.unexpectedCharacter, at: position, "expected ':' after a member name") }
        position += 1
        skipWhitespace()
    }

    private mutating func scanLiteral(_ word: StaticString, _ kind: Token.Kind) throws(JSONError) {
        let count = word.utf8CodeUnitCount
        guard position + count <= input.count else { throw JSONError(.truncated, at: position, "input ends inside a literal") }
        let matches = word.withUTF8Buffer { expected in input[position..<position + count].elementsEqual(expected) }
        guard matches else { throw JSONError(.unexpectedCharacter, at: position, "not a JSON literal") }
        tokens.append(Token(kind: kind, start: position, end: position + count))
        position += count
    }

    private mutating func scanNumber() throws(JSONError) {
        let start = position
        func digits(_ scanner: inout Scanner) -> Int {
            let first = scanner.position
            while let byte = scanner.peek(), (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) { scanner.position += 1 }
            return scanner.position - first
        }
        if peek() == UInt8(ascii: "-") { position += 1 }
        if peek() == UInt8(ascii: "0") {
            position += 1
            if let byte = peek(), (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) {
                throw JSONError(.invalidNumber, at: start, "leading zero")
            }
        } else if digits(&self) == 0 {
            throw JSONError(.invalidNumber, at: start, "a digit was expected")
        }
        if peek() == UInt8(ascii: ".") {
            position += 1
            guard digits(&self) > 0 else { throw JSONError(.invalidNumber, at: start, "a digit must follow '.'") }
        }
        if peek() == UInt8(ascii: "e") || peek() == UInt8(ascii: "E") {
            position += 1
            if peek() == UInt8(ascii: "+") || peek() == UInt8(ascii: "-") { position += 1 }
            guard digits(&self) > 0 else { throw JSONError(.invalidNumber, at: start, "a digit must follow the exponent") }
        }
        guard position - start <= min(limits.maxStringLength, 512) else {
            throw JSONError(.invalidNumber, at: start, "number literal longer than \(min(limits.maxStringLength, 512)) bytes")
        }
        tokens.append(Token(kind: .number, start: start, end: position))
    }

    /// Checks the string's grammar and UTF-8; decoding escapes is left to phase 2.
    private mutating func scanString() throws(JSONError) {
        position += 1  // opening quote
        let start = position
        var hasEscapes = false
        while true {
            guard let byte = peek() else { throw JSONError(.truncated, at: position, "unterminated string") }
            if byte == UInt8(ascii: "\"") { break }
            if byte < 0x20 { throw JSONError(.invalidString, at: position, "control character in a string") }
            if byte == UInt8(ascii: "\\") {
                hasEscapes = true
                position += 1
                guard let escaped = peek() else { throw JSONError(.truncated, at: position, "unterminated escape") }
                switch escaped {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"), UInt8(ascii: "b"), UInt8(ascii: "f"),
                    UInt8(ascii: "n"), UInt8(ascii: "r"), UInt8(ascii: "t"):
                    position += 1
                case UInt8(ascii: "u"):
                    position += 1
                    let unit = try hexQuad()
                    if (0xD800...0xDBFF).contains(unit) {
                        guard peek() == UInt8(ascii: "\\"), position + 1 < input.count, input[position + 1] == UInt8(ascii: "u") else {
                            throw JSONError(.invalidString, at: position, "lone high surrogate")
                        }
                        position += 2
                        guard (0xDC00...0xDFFF).contains(try hexQuad()) else {
                            throw JSONError(.invalidString, at: position, "high surrogate without a low one")
                        }
                    } else if (0xDC00...0xDFFF).contains(unit) {
                        throw JSONError(.invalidString, at: position, "lone low surrogate")
                    }
                default:
                    throw JSONError(.invalidString, at: position, "unknown escape")
                }
            } else if byte < 0x80 {
                position += 1
            } else {
                try skipUTF8Sequence()
            }
            guard position - start <= limits.maxStringLength else {
                throw JSONError(.tooLarge, at: start, "string longer than \(limits.maxStringLength) bytes")
            }
        }
        tokens.append(Token(kind: .string, start: start, end: position, count: hasEscapes ? 1 : 0))
        position += 1  // closing quote
    }

    private mutating func hexQuad() throws(JSONError) -> UInt32 {
        guard position + 4 <= input.count else { throw JSONError(.truncated, at: position, "truncated \\u escape") }
        var value: UInt32 = 0
        for _ in 0..<4 {
            guard let digit = hexValue(input[position]) else { throw JSONError(.invalidString, at: position, "bad hex digit in \\u escape") }
            value = value << 4 | UInt32(digit)
            position += 1
        }
        return value
    }

    /// Validates one multi-byte UTF-8 sequence (RFC 3629: no overlongs, no surrogates, ≤ U+10FFFF).
    private mutating func skipUTF8Sequence() throws(JSONError) {
        let lead = input[position]
        let length: Int
        var lower: UInt8 = 0x80
        var upper: UInt8 = 0xBF
        switch lead {
        case 0xC2...0xDF: length = 2
        case 0xE0: length = 3; lower = 0xA0
        case 0xE1...0xEC, 0xEE...0xEF: length = 3
        case 0xED: length = 3; upper = 0x9F
        case 0xF0: length = 4; lower = 0x90
        case 0xF1...0xF3: length = 4
        case 0xF4: length = 4; upper = 0x8F
        default: throw JSONError(.invalidUTF8, at: position, "invalid UTF-8 lead byte")
        }
        guard position + length <= input.count else { throw JSONError(.invalidUTF8, at: position, "truncated UTF-8 sequence") }
        for index in 1..<length {
            let byte = input[position + index]
            let (low, high) = index == 1 ? (lower, upper) : (UInt8(0x80), UInt8(0xBF))
            guard byte >= low, byte <= high else { throw JSONError(.invalidUTF8, at: position, "invalid UTF-8 sequence") }
        }
        position += length
    }

    private mutating func skipWhitespace() {
        while let byte = peek(), byte == 0x20 || byte == 0x0A || byte == 0x0D || byte == 0x09 { position += 1 }
    }

    private func peek() -> UInt8? { position < input.count ? input[position] : nil }
}

private func hexValue(_ byte: UInt8) -> UInt8? {
    switch byte {
    case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
    case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
    case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
    default: nil
    }
}

/// Phase 2: values from validated tokens.
private struct Builder {
    let input: [UInt8]
    let tokens: [Token]
    var next = 0

    init(input: [UInt8], tokens: [Token]) {
        self.input = input
        self.tokens = tokens
    }

    mutating func value() throws(JSONError) -> JSONValue {
        let token = tokens[next]
        next += 1
        switch token.kind {
        case .null: return .null
        case .true: return .bool(true)
        case .false: return .bool(false)
        case .number: return .number(JSONNumber(validatedLiteral: String(decoding: input[token.start..<token.end], as: UTF8.self)))
        case .string: return .string(string(token))
        case .array:
            var elements: [JSONValue] = []
            elements.reserveCapacity(token.count)
            for _ in 0..<token.count { elements.append(try value()) }
            return .array(elements)
        case .object:
            var names: [String] = []
            var values: [JSONValue] = []
            names.reserveCapacity(token.count)
            values.reserveCapacity(token.count)
            var seen = Set<String>()
            for _ in 0..<token.count {
                let nameToken = tokens[next]
                next += 1
                let name = string(nameToken)
                guard seen.insert(name).inserted else {
                    throw JSONError(.duplicateName, at: nameToken.start, "member \"\(name.prefix(40))\" appears twice")
                }
                names.append(name)
                values.append(try value())
            }
            return .object(JSONObject(uniqueNames: names, values: values))
        }
    }

    /// Decodes a string token; its grammar, escapes and UTF-8 were checked in phase 1.
    private func string(_ token: Token) -> String {
        let bytes = input[token.start..<token.end]
        guard token.count == 1 else { return String(decoding: bytes, as: UTF8.self) }
        var scalars = String.UnicodeScalarView()
        var utf8: [UInt8] = []
        func flush() {
            if !utf8.isEmpty {
                scalars.append(contentsOf: String(decoding: utf8, as: UTF8.self).unicodeScalars)
                utf8.removeAll(keepingCapacity: true)
            }
        }
        var index = bytes.startIndex
        func quad(_ at: Int) -> UInt32 {
            input[at..<at + 4].reduce(UInt32(0)) { $0 << 4 | UInt32(hexValue($1)!) }
        }
        while index < bytes.endIndex {
            let byte = input[index]
            guard byte == UInt8(ascii: "\\") else {
                utf8.append(byte)
                index += 1
                continue
            }
            flush()
            let escaped = input[index + 1]
            index += 2
            switch escaped {
            case UInt8(ascii: "b"): scalars.append("\u{08}")
            case UInt8(ascii: "f"): scalars.append("\u{0C}")
            case UInt8(ascii: "n"): scalars.append("\n")
            case UInt8(ascii: "r"): scalars.append("\r")
            case UInt8(ascii: "t"): scalars.append("\t")
            case UInt8(ascii: "u"):
                var unit = quad(index)
                index += 4
                if (0xD800...0xDBFF).contains(unit) {
                    let low = quad(index + 2)
                    index += 6
                    unit = 0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00)
                }
                scalars.append(Unicode.Scalar(unit)!)
            default: scalars.append(Unicode.Scalar(escaped))  // " \ /
            }
        }
        flush()
        return String(scalars)
    }
}
