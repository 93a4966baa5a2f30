/// A strict parser for the TOML subset of `gatecheck.conf`: `[table]` and `[dotted.table]` headers,
/// `key = value` with bare keys, basic strings, integers, floats, booleans, one-level arrays of strings
/// or integers, comments and blank lines. Anything else (literal or multi-line strings, dates, inline
/// tables, `[[arrays]]`, dotted or quoted keys) is an error naming the line, never silently skipped.
struct TOMLParser {
    private let bytes: [UInt8]
    private let file: String
    private var index = 0
    private var line = 1
    private var document = TOMLDocument()
    private var table = ""

    static func parse(_ bytes: [UInt8], file: String) throws(DaemonSupportError) -> TOMLDocument {
        var parser = TOMLParser(bytes: bytes, file: file)
        return try parser.run()
    }

    private init(bytes: [UInt8], file: String) {
        self.bytes = bytes
        self.file = file
    }

    private mutating func run() throws(DaemonSupportError) -> TOMLDocument {
        guard String(validating: bytes, as: UTF8.self) != nil else {
            throw DaemonSupportError(.unreadableFile, file: file, "not valid UTF-8")
        }
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { index = 3 }
        while true {
            skipSpaces()
            guard let byte = peek() else { break }
            switch byte {
            case UInt8(ascii: "\n"), UInt8(ascii: "\r"), UInt8(ascii: "#"):
                try endOfLine()
            case UInt8(ascii: "["):
                try header()
                try endOfLine()
            default:
                try keyValue()
                try endOfLine()
            }
        }
        return document
    }

    // MARK: Lines

    private func peek(_ offset: Int = 0) -> UInt8? {
        index + offset < bytes.count ? bytes[index + offset] : nil
    }

    private mutating func skipSpaces() {
        while let byte = peek(), byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t") { index += 1 }
    }

    /// Optional spaces and comment, then a newline or the end of the file.
    private mutating func endOfLine() throws(DaemonSupportError) {
        skipSpaces()
        if peek() == UInt8(ascii: "#") {
            while let byte = peek(), byte != UInt8(ascii: "\n"), byte != UInt8(ascii: "\r") { index += 1 }
        }
        switch peek() {
        case nil: return
        case UInt8(ascii: "\n"):
            index += 1
            line += 1
        case UInt8(ascii: "\r") where peek(1) == UInt8(ascii: "\n"):
            index += 2
            line += 1
        default:
            throw fail("unexpected \(describe(peek())) after the value; one key = value per line")
        }
    }

    /// Skips spaces, comments and newlines: the space between array elements.
    private mutating func skipBlankSpace() throws(DaemonSupportError) {
        while true {
            skipSpaces()
            guard let byte = peek(), byte == UInt8(ascii: "\n") || byte == UInt8(ascii: "\r") || byte == UInt8(ascii: "#")
            else { return }
            try endOfLine()
        }
    }

    // MARK: Headers and keys

    private mutating func header() throws(DaemonSupportError) {
        index += 1
        if peek() == UInt8(ascii: "[") { throw fail("arrays of tables ([[…]]) are not supported") }
        var names: [String] = []
        while true {
            skipSpaces()
            names.append(try bareKey(what: "table name"))
            skipSpaces()
            if peek() == UInt8(ascii: ".") {
                index += 1
                continue
            }
            guard peek() == UInt8(ascii: "]") else { throw fail("expected \"]\" to close the table header") }
            index += 1
            break
        }
        let name = names.joined(separator: ".")
        // Each prefix is an implied table, unless a key of its parent already took the name.
        for depth in 1...names.count {
            let prefix = names[0..<depth].joined(separator: ".")
            let parent = names[0..<(depth - 1)].joined(separator: ".")
            if let entry = document.tables[parent]?.entries[names[depth - 1]] {
                throw fail(
                    key: prefix,
                    "is already a key (line \(entry.line)) and cannot also be a table"
                )
            }
            if document.tables[prefix] == nil { document.tables[prefix] = TOMLDocument.Table(name: prefix, line: 0) }
        }
        if let existing = document.tables[name], existing.line != 0 {
            throw DaemonSupportError(
                .duplicateKey, file: file, line: line, table: name, "defined twice (first on line \(existing.line))"
            )
        }
        document.tables[name]?.line = line
        table = name
    }

    private mutating func bareKey(what: String) throws(DaemonSupportError) -> String {
        let start = index
        while let byte = peek(), Self.isBareKeyByte(byte) { index += 1 }
        guard index > start else {
            if peek() == UInt8(ascii: "\"") || peek() == UInt8(ascii: "'") {
                throw fail("quoted \(what)s are not supported; use letters, digits, \"_\" and \"-\"")
            }
            throw fail("expected a \(what), found \(describe(peek()))")
        }
        return String(decoding: bytes[start..<index], as: UTF8.self)
    }

    private static func isBareKeyByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
            UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "_"), UInt8(ascii: "-"):
            true
        default: false
        }
    }

    private mutating func keyValue() throws(DaemonSupportError) {
        let key = try bareKey(what: "key")
        let path = document.tables[table]!.path(of: key)
        skipSpaces()
        if peek() == UInt8(ascii: ".") {
            throw fail(key: path, "dotted keys are not supported; put the key under a [table] header")
        }
        guard peek() == UInt8(ascii: "=") else { throw fail(key: path, "expected \"=\" after the key") }
        index += 1
        skipSpaces()
        let keyLine = line
        let value = try value(key: path)
        if let first = document.tables[table]!.entries[key] {
            throw DaemonSupportError(
                .duplicateKey, file: file, line: keyLine, key: path, "defined twice (first on line \(first.line))"
            )
        }
        if document.tables[path] != nil {
            throw fail(key: path, "is already a table and cannot also be a key")
        }
        document.tables[table]!.entries[key] = TOMLDocument.Entry(key: key, value: value, line: keyLine)
    }

    // MARK: Values

    private mutating func value(key: String) throws(DaemonSupportError) -> TOMLValue {
        switch peek() {
        case UInt8(ascii: "\""):
            if peek(1) == UInt8(ascii: "\""), peek(2) == UInt8(ascii: "\"") {
                throw fail(key: key, "multi-line strings (\"\"\") are not supported")
            }
            return .string(try basicString(key: key))
        case UInt8(ascii: "'"):
            throw fail(key: key, "literal strings ('…') are not supported; use \"…\"")
        case UInt8(ascii: "["):
            return try array(key: key)
        case UInt8(ascii: "{"):
            throw fail(key: key, "inline tables are not supported; use a [table] header")
        case nil, UInt8(ascii: "\n"), UInt8(ascii: "\r"), UInt8(ascii: "#"):
            throw fail(key: key, "missing value after \"=\"")
        default:
            return try scalarWord(key: key)
        }
    }

    private mutating func basicString(key: String) throws(DaemonSupportError) -> String {
        index += 1
        var scalars = String.UnicodeScalarView()
        var pending: [UInt8] = []
        func flush() {
            scalars.append(contentsOf: String(decoding: pending, as: UTF8.self).unicodeScalars)
            pending.removeAll()
        }
        while true {
            guard let byte = peek() else { throw fail(key: key, "unterminated string") }
            switch byte {
            case UInt8(ascii: "\""):
                index += 1
                flush()
                return String(scalars)
            case UInt8(ascii: "\\"):
                flush()
                scalars.append(try escape(key: key))
            case UInt8(ascii: "\n"), UInt8(ascii: "\r"):
                throw fail(key: key, "unterminated string (strings end on the line they start)")
            case 0x00..<0x20 where byte != UInt8(ascii: "\t"), 0x7F:
                throw fail(key: key, "control character in a string; write it as an escape")
            default:
                pending.append(byte)
                index += 1
            }
        }
    }

    private mutating func escape(key: String) throws(DaemonSupportError) -> Unicode.Scalar {
        index += 1
        guard let byte = peek() else { throw fail(key: key, "unterminated string") }
        index += 1
        switch byte {
        case UInt8(ascii: "\""): return "\""
        case UInt8(ascii: "\\"): return "\\"
        case UInt8(ascii: "n"): return "\n"
        case UInt8(ascii: "t"): return "\t"
        case UInt8(ascii: "r"): return "\r"
        case UInt8(ascii: "b"): return "\u{08}"
        case UInt8(ascii: "f"): return "\u{0C}"
        case UInt8(ascii: "u"), UInt8(ascii: "U"):
            let digits = byte == UInt8(ascii: "u") ? 4 : 8
            guard index + digits <= bytes.count,
                let value = UInt32(String(decoding: bytes[index..<(index + digits)], as: UTF8.self), radix: 16),
                bytes[index..<(index + digits)].allSatisfy({ Self.isHexDigit($0) })
            else { throw fail(key: key, "\\\(Character(Unicode.Scalar(byte))) needs \(digits) hex digits") }
            guard let scalar = Unicode.Scalar(value) else {
                throw fail(key: key, "\\\(Character(Unicode.Scalar(byte))) escape is not a Unicode scalar value")
            }
            index += digits
            return scalar
        default:
            throw fail(key: key, "unknown escape \"\\\(Character(Unicode.Scalar(byte)))\" in a string")
        }
    }

    private static func isHexDigit(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "a")...UInt8(ascii: "f"),
            UInt8(ascii: "A")...UInt8(ascii: "F"):
            true
        default: false
        }
    }

    private mutating func array(key: String) throws(DaemonSupportError) -> TOMLValue {
        index += 1
        var elements: [TOMLValue] = []
        while true {
            try skipBlankSpace()
            if peek() == UInt8(ascii: "]") {
                index += 1
                return .array(elements)
            }
            if peek() == UInt8(ascii: "[") { throw fail(key: key, "nested arrays are not supported") }
            let element = try value(key: key)
            switch element {
            case .string, .integer: break
            default: throw fail(key: key, "arrays hold only strings or integers, not \(element.typeName)")
            }
            if let first = elements.first, first.typeName != element.typeName {
                throw fail(key: key, "array mixes \(first.typeName) and \(element.typeName)")
            }
            elements.append(element)
            try skipBlankSpace()
            switch peek() {
            case UInt8(ascii: ","): index += 1
            case UInt8(ascii: "]"): continue
            case nil: throw fail(key: key, "unterminated array")
            default: throw fail(key: key, "expected \",\" or \"]\" in the array, found \(describe(peek()))")
            }
        }
    }

    /// Booleans and numbers: read a word up to a delimiter, then match it against the grammar whole.
    private mutating func scalarWord(key: String) throws(DaemonSupportError) -> TOMLValue {
        let start = index
        while let byte = peek(), !Self.endsWord(byte) { index += 1 }
        let word = String(decoding: bytes[start..<index], as: UTF8.self)
        if word == "true" { return .boolean(true) }
        if word == "false" { return .boolean(false) }
        if let integer = try Self.integer(word, fail: { fail(key: key, $0) }) { return .integer(integer) }
        if let float = Self.float(word) { return .float(float) }
        if word.isEmpty { throw fail(key: key, "expected a value, found \(describe(peek()))") }
        if word.contains(":") || (word.first?.isNumber == true && word.dropFirst().contains("-")) {
            throw fail(key: key, "dates and times are not supported")
        }
        throw fail(key: key, "\(DaemonSupportError.quoted(word)) is not a value; strings need double quotes")
    }

    private static func endsWord(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: " "), UInt8(ascii: "\t"), UInt8(ascii: "\n"), UInt8(ascii: "\r"), UInt8(ascii: "#"),
            UInt8(ascii: ","), UInt8(ascii: "]"):
            true
        default: false
        }
    }

    /// `[+-]?(0|[1-9](_?[0-9])*)`: decimal only, underscores between digits, no leading zeros.
    private static func integer(
        _ word: String, fail: (String) -> DaemonSupportError
    ) throws(DaemonSupportError) -> Int64? {
        var digits = Substring(word)
        var negative = false
        if let sign = digits.first, sign == "+" || sign == "-" {
            negative = sign == "-"
            digits = digits.dropFirst()
        }
        guard isDigitGroup(digits) else { return nil }
        if digits.count > 1, digits.first == "0" { throw fail("leading zeros are not allowed in an integer") }
        let plain = digits.filter { $0 != "_" }
        guard let value = Int64((negative ? "-" : "") + plain) else {
            throw fail("integer \(word) does not fit in 64 bits")
        }
        return value
    }

    /// TOML decimal floats: an integer part, then a fraction, an exponent or both.
    private static func float(_ word: String) -> Double? {
        var rest = Substring(word)
        if let sign = rest.first, sign == "+" || sign == "-" { rest = rest.dropFirst() }
        let exponentStart = rest.firstIndex { $0 == "e" || $0 == "E" }
        let mantissa = rest[..<(exponentStart ?? rest.endIndex)]
        let parts = mantissa.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count <= 2, isDigitGroup(parts[0]), parts.count == 1 || isDigitGroup(parts[1]) else { return nil }
        if parts[0].count > 1, parts[0].first == "0" { return nil }
        if let exponentStart {
            var exponent = rest[rest.index(after: exponentStart)...]
            if let sign = exponent.first, sign == "+" || sign == "-" { exponent = exponent.dropFirst() }
            guard isDigitGroup(exponent) else { return nil }
        } else if parts.count == 1 {
            return nil
        }
        return Double(word.filter { $0 != "_" })
    }

    /// Digits with single underscores between them.
    private static func isDigitGroup(_ text: Substring) -> Bool {
        guard let first = text.first, let last = text.last, first.isASCII, first.isNumber, last.isASCII, last.isNumber
        else { return false }
        var previousUnderscore = false
        for character in text {
            if character == "_" {
                if previousUnderscore { return false }
                previousUnderscore = true
            } else if character.isASCII, character.isNumber {
                previousUnderscore = false
            } else {
                return false
            }
        }
        return true
    }

    // MARK: Errors

    private func describe(_ byte: UInt8?) -> String {
        guard let byte else { return "the end of the file" }
        if byte == UInt8(ascii: "\n") || byte == UInt8(ascii: "\r") { return "the end of the line" }
        if byte < 0x80 { return DaemonSupportError.quoted(String(Character(Unicode.Scalar(byte)))) }
        return "a non-ASCII character"
    }

    private func fail(key: String? = nil, _ detail: String) -> DaemonSupportError {
        DaemonSupportError(.syntax, file: file, line: line, key: key, detail)
    }
}
