/// The status socket's wire form: one JSON object on one line, keys sorted, each key a field name.
///
/// Written and read here rather than with Foundation so that integers are exact (a counter is never
/// a Double on the way through) and `1`, `1.0` and `true` stay three different things.
extension StatusSnapshot {
    /// One line, no trailing newline. Optionals without a value are `null`.
    public func json() -> String {
        let reasons = failsByReason.map { (key: $0.key.rawValue, value: String($0.value)) }
        let fields: [(key: String, value: String)] = [
            ("state", JSONText.string(state.rawValue)),
            ("faults", "[" + faults.map { JSONText.string($0.rawValue) }.joined(separator: ",") + "]"),
            ("uptimeSeconds", String(uptimeSeconds)),
            ("camera", JSONText.string(camera)),
            ("frames", String(frames)),
            ("framesDropped", String(framesDropped)),
            ("scans", String(scans)),
            ("codesRead", String(codesRead)),
            ("duplicatesSuppressed", String(duplicatesSuppressed)),
            ("passes", String(passes)),
            ("fails", String(fails)),
            ("failsByReason", JSONText.object(reasons)),
            ("decodeErrors", String(decodeErrors)),
            ("cameraFaults", String(cameraFaults)),
            ("cameraReconnects", String(cameraReconnects)),
            ("trustSequence", trustSequence.map { String($0) } ?? "null"),
            ("trustAgeSeconds", trustAgeSeconds.map { String($0) } ?? "null"),
            ("trustExpiresInSeconds", trustExpiresInSeconds.map { String($0) } ?? "null"),
            ("trustReloads", String(trustReloads)),
            ("lastLatencyMilliseconds", JSONText.number(lastLatencyMilliseconds)),
            ("maxLatencyMilliseconds", JSONText.number(maxLatencyMilliseconds)),
        ]
        return JSONText.object(fields)
    }

    /// Reads what `json()` wrote, from this or another version of the daemon. Unknown keys are ignored
    /// (a newer daemon may add some), absent ones keep their defaults, but `state` must be there: without
    /// it the reply is not a status. A value of the wrong type is refused, not guessed at. Unknown reason
    /// words count as `.other`; unknown fault words are dropped.
    public init(json: [UInt8]) throws(DaemonSupportError) {
        var reader = JSONReader(bytes: json)
        let fields = try reader.document()
        self.init()
        guard let stateWord = try fields.string("state") else { throw JSONReader.failure("no \"state\"") }
        guard let state = State(rawValue: stateWord) else {
            throw JSONReader.failure("unknown state \(DaemonSupportError.quoted(stateWord))")
        }
        self.state = state
        if let words = try fields.strings("faults") {
            faults = Array(Set(words.compactMap(Fault.init(rawValue:)))).sorted()
        }
        if let value = try fields.int("uptimeSeconds") { uptimeSeconds = value }
        if let value = try fields.string("camera") { camera = value }
        if let value = try fields.uint("frames") { frames = value }
        if let value = try fields.uint("framesDropped") { framesDropped = value }
        if let value = try fields.uint("scans") { scans = value }
        if let value = try fields.uint("codesRead") { codesRead = value }
        if let value = try fields.uint("duplicatesSuppressed") { duplicatesSuppressed = value }
        if let value = try fields.uint("passes") { passes = value }
        if let value = try fields.uint("fails") { fails = value }
        if let counts = try fields.counts("failsByReason") {
            for (word, count) in counts {
                let reason = VerdictLine.Reason(rawValue: word) ?? .other
                let (sum, overflow) = failsByReason[reason, default: 0].addingReportingOverflow(count)
                failsByReason[reason] = overflow ? .max : sum
            }
        }
        if let value = try fields.uint("decodeErrors") { decodeErrors = value }
        if let value = try fields.uint("cameraFaults") { cameraFaults = value }
        if let value = try fields.uint("cameraReconnects") { cameraReconnects = value }
        trustSequence = try fields.uint("trustSequence", nullable: true)
        trustAgeSeconds = try fields.int("trustAgeSeconds", nullable: true)
        trustExpiresInSeconds = try fields.int("trustExpiresInSeconds", nullable: true)
        if let value = try fields.uint("trustReloads") { trustReloads = value }
        lastLatencyMilliseconds = try fields.double("lastLatencyMilliseconds", nullable: true)
        maxLatencyMilliseconds = try fields.double("maxLatencyMilliseconds", nullable: true)
    }
}

/// JSON text for the writer.
private enum JSONText {
    /// Keys sorted by their UTF-8 bytes, so the same snapshot always gives the same line.
    static func object(_ fields: [(key: String, value: String)]) -> String {
        let sorted = fields.sorted { $0.key.utf8.lexicographicallyPrecedes($1.key.utf8) }
        return "{" + sorted.map { string($0.key) + ":" + $0.value }.joined(separator: ",") + "}"
    }

    /// Swift's shortest round-trip spelling is valid JSON for finite values; JSON has no infinities.
    static func number(_ value: Double?) -> String {
        guard let value, value.isFinite else { return "null" }
        return "\(value)"
    }

    static func string(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where scalar.value < 0x20 || scalar == "\u{2028}" || scalar == "\u{2029}":
                let hex = String(scalar.value, radix: 16)
                out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }
}

/// A strict RFC 8259 reader for the one shape a status reply has: an object whose values are numbers,
/// strings, null, arrays of strings or objects of counts. Numbers keep their text so that an integer
/// field can insist on an integer.
private struct JSONReader {
    enum Value {
        case object([String: Value])
        case array([Value])
        case string(String)
        /// The literal as written.
        case number(String)
        case bool(Bool)
        case null
    }

    struct Object {
        let members: [String: Value]

        func string(_ key: String) throws(DaemonSupportError) -> String? {
            switch members[key] {
            case nil: return nil
            case .string(let text)?: return text
            default: throw wrongType(key, "a string")
            }
        }

        func strings(_ key: String) throws(DaemonSupportError) -> [String]? {
            switch members[key] {
            case nil: return nil
            case .array(let items)?:
                var words: [String] = []
                for item in items {
                    guard case .string(let word) = item else { throw wrongType(key, "an array of strings") }
                    words.append(word)
                }
                return words
            default: throw wrongType(key, "an array of strings")
            }
        }

        func counts(_ key: String) throws(DaemonSupportError) -> [String: UInt64]? {
            switch members[key] {
            case nil: return nil
            case .object(let entries)?:
                var counts: [String: UInt64] = [:]
                for (word, value) in entries {
                    guard case .number(let text) = value, let count = UInt64(text) else {
                        throw wrongType("\(key).\(word)", "a non-negative integer")
                    }
                    counts[word] = count
                }
                return counts
            default: throw wrongType(key, "an object of counts")
            }
        }

        /// nil when absent (the caller keeps its default), or `null` where the field is optional.
        func uint(_ key: String, nullable: Bool = false) throws(DaemonSupportError) -> UInt64? {
            switch members[key] {
            case nil: return nil
            case .null? where nullable: return nil
            case .number(let text)?:
                guard let value = UInt64(text) else { throw wrongType(key, "a non-negative integer") }
                return value
            default: throw wrongType(key, "a non-negative integer")
            }
        }

        func int(_ key: String, nullable: Bool = false) throws(DaemonSupportError) -> Int64? {
            switch members[key] {
            case nil: return nil
            case .null? where nullable: return nil
            case .number(let text)?:
                guard let value = Int64(text) else { throw wrongType(key, "an integer") }
                return value
            default: throw wrongType(key, "an integer")
            }
        }

        func double(_ key: String, nullable: Bool = false) throws(DaemonSupportError) -> Double? {
            switch members[key] {
            case nil: return nil
            case .null? where nullable: return nil
            case .number(let text)?:
                guard let value = Double(text), value.isFinite else { throw wrongType(key, "a number") }
                return value
            default: throw wrongType(key, "a number")
            }
        }

        private func wrongType(_ key: String, _ expected: String) -> DaemonSupportError {
            JSONReader.failure("\(DaemonSupportError.quoted(key)) is not \(expected)")
        }
    }

    /// Deep enough for the status object; a hostile reply cannot recurse the stack away.
    static let maximumDepth = 8

    let bytes: [UInt8]
    var index = 0

    init(bytes: [UInt8]) {
        self.bytes = bytes
    }

    static func failure(_ detail: String) -> DaemonSupportError {
        DaemonSupportError(.badStatus, "status reply: \(detail)")
    }

    /// The whole input: one object, nothing after it but whitespace.
    mutating func document() throws(DaemonSupportError) -> Object {
        skipWhitespace()
        guard peek() == UInt8(ascii: "{") else { throw Self.failure("not a JSON object") }
        guard case .object(let members) = try value(depth: 0) else { throw Self.failure("not a JSON object") }
        skipWhitespace()
        guard index == bytes.count else { throw error("text after the object") }
        return Object(members: members)
    }

    private mutating func value(depth: Int) throws(DaemonSupportError) -> Value {
        guard depth < Self.maximumDepth else { throw error("nested too deeply") }
        skipWhitespace()
        guard let byte = peek() else { throw error("unexpected end") }
        switch byte {
        case UInt8(ascii: "{"): return .object(try object(depth: depth))
        case UInt8(ascii: "["): return .array(try array(depth: depth))
        case UInt8(ascii: "\""): return .string(try string())
        case UInt8(ascii: "t"): try literal("true"); return .bool(true)
        case UInt8(ascii: "f"): try literal("false"); return .bool(false)
        case UInt8(ascii: "n"): try literal("null"); return .null
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return .number(try number())
        default: throw error("unexpected character")
        }
    }

    private mutating func object(depth: Int) throws(DaemonSupportError) -> [String: Value] {
        index += 1
        var members: [String: Value] = [:]
        skipWhitespace()
        if peek() == UInt8(ascii: "}") {
            index += 1
            return members
        }
        while true {
            skipWhitespace()
            guard peek() == UInt8(ascii: "\"") else { throw error("expected a key") }
            let key = try string()
            skipWhitespace()
            try expect(UInt8(ascii: ":"))
            let member = try value(depth: depth + 1)
            // A repeated key has no single meaning; refuse rather than pick one.
            guard members.updateValue(member, forKey: key) == nil else {
                throw Self.failure("key \(DaemonSupportError.quoted(key)) given twice")
            }
            skipWhitespace()
            if peek() == UInt8(ascii: ",") {
                index += 1
                continue
            }
            try expect(UInt8(ascii: "}"))
            return members
        }
    }

    private mutating func array(depth: Int) throws(DaemonSupportError) -> [Value] {
        index += 1
        var items: [Value] = []
        skipWhitespace()
        if peek() == UInt8(ascii: "]") {
            index += 1
            return items
        }
        while true {
            items.append(try value(depth: depth + 1))
            skipWhitespace()
            if peek() == UInt8(ascii: ",") {
                index += 1
                continue
            }
            try expect(UInt8(ascii: "]"))
            return items
        }
    }

    private mutating func string() throws(DaemonSupportError) -> String {
        index += 1
        var scalars = String.UnicodeScalarView()
        var run: [UInt8] = []  // unescaped bytes, decoded together so multi-byte UTF-8 stays whole
        func flush() {
            scalars.append(contentsOf: String(decoding: run, as: UTF8.self).unicodeScalars)
            run.removeAll(keepingCapacity: true)
        }
        while let byte = peek() {
            index += 1
            switch byte {
            case UInt8(ascii: "\""):
                flush()
                return String(scalars)
            case UInt8(ascii: "\\"):
                flush()
                scalars.append(try escape())
            case 0..<0x20:
                throw error("control character in a string")
            default:
                run.append(byte)
            }
        }
        throw error("unterminated string")
    }

    private mutating func escape() throws(DaemonSupportError) -> Unicode.Scalar {
        guard let byte = peek() else { throw error("unterminated string") }
        index += 1
        switch byte {
        case UInt8(ascii: "\""): return "\""
        case UInt8(ascii: "\\"): return "\\"
        case UInt8(ascii: "/"): return "/"
        case UInt8(ascii: "b"): return "\u{08}"
        case UInt8(ascii: "f"): return "\u{0C}"
        case UInt8(ascii: "n"): return "\n"
        case UInt8(ascii: "r"): return "\r"
        case UInt8(ascii: "t"): return "\t"
        case UInt8(ascii: "u"):
            let first = try hexQuad()
            if (0xD800..<0xDC00).contains(first) {
                // A high surrogate must be followed by an escaped low one.
                guard peek() == UInt8(ascii: "\\") else { throw error("lone surrogate") }
                index += 1
                guard peek() == UInt8(ascii: "u") else { throw error("lone surrogate") }
                index += 1
                let second = try hexQuad()
                guard (0xDC00..<0xE000).contains(second) else { throw error("lone surrogate") }
                return Unicode.Scalar(0x10000 + ((first - 0xD800) << 10) + (second - 0xDC00))!
            }
            guard let scalar = Unicode.Scalar(first) else { throw error("lone surrogate") }
            return scalar
        default:
            throw error("bad escape")
        }
    }

    private mutating func hexQuad() throws(DaemonSupportError) -> UInt32 {
        guard index + 4 <= bytes.count,
            let value = UInt32(String(decoding: bytes[index..<index + 4], as: UTF8.self), radix: 16)
        else { throw error("bad \\u escape") }
        index += 4
        return value
    }

    /// `-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?`
    private mutating func number() throws(DaemonSupportError) -> String {
        let start = index
        if peek() == UInt8(ascii: "-") { index += 1 }
        if peek() == UInt8(ascii: "0") {
            index += 1
        } else {
            guard digits() > 0 else { throw error("bad number") }
        }
        if peek() == UInt8(ascii: ".") {
            index += 1
            guard digits() > 0 else { throw error("bad number") }
        }
        if peek() == UInt8(ascii: "e") || peek() == UInt8(ascii: "E") {
            index += 1
            if peek() == UInt8(ascii: "+") || peek() == UInt8(ascii: "-") { index += 1 }
            guard digits() > 0 else { throw error("bad number") }
        }
        return String(decoding: bytes[start..<index], as: UTF8.self)
    }

    private mutating func digits() -> Int {
        var count = 0
        while let byte = peek(), (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) {
            index += 1
            count += 1
        }
        return count
    }

    private mutating func literal(_ word: String) throws(DaemonSupportError) {
        let expected = Array(word.utf8)
        guard index + expected.count <= bytes.count, Array(bytes[index..<index + expected.count]) == expected else {
            throw error("unexpected word")
        }
        index += expected.count
    }

    private mutating func expect(_ byte: UInt8) throws(DaemonSupportError) {
        guard peek() == byte else { throw error("expected \"\(Character(Unicode.Scalar(byte)))\"") }
        index += 1
    }

    private mutating func skipWhitespace() {
        while let byte = peek(), byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D { index += 1 }
    }

    private func peek() -> UInt8? {
        index < bytes.count ? bytes[index] : nil
    }

    private func error(_ detail: String) -> DaemonSupportError {
        Self.failure("not valid JSON at byte \(index): \(detail)")
    }
}
