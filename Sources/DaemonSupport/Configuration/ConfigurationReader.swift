/// Typed reads from a parsed configuration file in the TOML subset, checked against a schema of allowed
/// tables and keys. Every failure is a one-line error naming file, line and the key's dotted path. The
/// schema and what the values mean belong to the caller (the gate's `DaemonConfiguration`).
public struct ConfigurationReader: Sendable {
    let document: TOMLDocument
    public let file: String
    /// Every table and key the configuration may have, by dotted table name ("" is the root table).
    /// Anything else is a typo and fails ``checkNames()``.
    public let schema: [String: Set<String>]

    /// Parses `bytes`; `file` is only used in error messages.
    public init(parsing bytes: [UInt8], file: String, schema: [String: Set<String>]) throws(ConfigurationError) {
        self.document = try TOMLParser.parse(bytes, file: file)
        self.file = file
        self.schema = schema
    }

    /// Reads a whole configuration file of at most `limit` bytes. Symbolic links, devices, FIFOs and directories
    /// are refused before reading, so a wrong path cannot block the daemon's start. A file whose last line has no
    /// newline is refused as half-written: an editor or a copy caught mid-write must not become the configuration.
    public static func readFile(_ path: String, limit: Int) throws(ConfigurationError) -> [UInt8] {
        let bytes: [UInt8]
        do {
            bytes = try SystemCallMapping.readRegularFile(path, limit: limit, noFollow: true)
        } catch {
            guard error.code == .systemCall else { throw error }
            throw ConfigurationError(.unreadableFile, file: path, "cannot read: \(error.detail)")
        }
        if let last = bytes.last, last != UInt8(ascii: "\n") {
            let lines = bytes.reduce(1) { $1 == UInt8(ascii: "\n") ? $0 + 1 : $0 }
            throw ConfigurationError(
                .truncatedFile, file: path, line: lines, "the last line ends without a newline: the file looks half-written")
        }
        return bytes
    }

    /// Unknown tables first, then unknown keys, each in file order, so the first typo is reported.
    public func checkNames() throws(ConfigurationError) {
        let unknownTables = document.tables.values
            .filter { schema[$0.name] == nil && $0.line > 0 }
            .sorted { $0.line < $1.line }
        if let table = unknownTables.first {
            let known = schema.keys.filter { !$0.isEmpty }.sorted().joined(separator: ", ")
            throw ConfigurationError(.unknownTable, file: file, line: table.line, table: table.name, "unknown table (known: \(known))")
        }
        let unknownKeys = document.tables.values.flatMap { table in
            table.entries.values.filter { !(schema[table.name]?.contains($0.key) ?? false) }.map { (table, $0) }
        }.sorted { $0.1.line < $1.1.line }
        if let (table, entry) = unknownKeys.first {
            let known = (schema[table.name] ?? []).sorted().joined(separator: ", ")
            let place = table.name.isEmpty ? "before the first table" : "in [\(table.name)]"
            throw error(.unknownKey, table.path(of: entry.key), entry.line, "unknown key \(place) (known: \(known))")
        }
    }

    public func table(_ name: String) -> TOMLDocument.Table? { document.tables[name] }

    public func entry(_ table: String, _ key: String) -> TOMLDocument.Entry? { document.tables[table]?.entries[key] }

    public func error(_ code: ConfigurationError.Code, _ key: String, _ line: Int, _ detail: String) -> ConfigurationError {
        ConfigurationError(code, file: file, line: line, key: key, detail)
    }

    private func path(_ table: String, _ key: String) -> String { table.isEmpty ? key : "\(table).\(key)" }

    private func wrongType(_ table: String, _ entry: TOMLDocument.Entry, expected: String) -> ConfigurationError {
        error(.wrongType, path(table, entry.key), entry.line, "expected \(expected), got \(entry.value.typeName)")
    }

    // MARK: Typed values; nil when the key is absent.

    public func integer(_ table: String, _ key: String, in range: ClosedRange<Int>) throws(ConfigurationError) -> Int? {
        guard let entry = entry(table, key) else { return nil }
        guard case .integer(let value) = entry.value else { throw wrongType(table, entry, expected: "an integer") }
        guard let int = Int(exactly: value), range.contains(int) else {
            throw error(
                .invalidValue, path(table, key), entry.line,
                "\(value) is out of range (\(range.lowerBound)...\(range.upperBound))"
            )
        }
        return int
    }

    public func boolean(_ table: String, _ key: String) throws(ConfigurationError) -> Bool? {
        guard let entry = entry(table, key) else { return nil }
        guard case .boolean(let value) = entry.value else { throw wrongType(table, entry, expected: "a boolean") }
        return value
    }

    /// A string without control characters (it ends up in paths and log lines).
    public func string(_ table: String, _ key: String) throws(ConfigurationError) -> String? {
        guard let entry = entry(table, key) else { return nil }
        guard case .string(let value) = entry.value else { throw wrongType(table, entry, expected: "a string") }
        guard !value.isEmpty else { throw error(.invalidValue, path(table, key), entry.line, "must not be empty") }
        guard !value.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F }) else {
            throw error(.invalidValue, path(table, key), entry.line, "must not contain control characters")
        }
        return value
    }

    /// An absolute path, at most `maximumLength` bytes.
    public func absolutePath(
        _ table: String, _ key: String, maximumLength: Int = 4095
    ) throws(ConfigurationError) -> String? {
        guard let value = try string(table, key), let entry = entry(table, key) else { return nil }
        guard value.hasPrefix("/") else {
            throw error(.invalidValue, path(table, key), entry.line, "must be an absolute path, got \(ConfigurationError.quoted(value))")
        }
        guard value.utf8.count <= maximumLength else {
            throw error(.invalidValue, path(table, key), entry.line, "path is longer than \(maximumLength) bytes")
        }
        return value
    }

    /// One of a fixed set of words.
    public func word<Word: RawRepresentable & CaseIterable>(
        _ table: String, _ key: String, as: Word.Type
    ) throws(ConfigurationError) -> Word? where Word.RawValue == String {
        guard let value = try string(table, key), let entry = entry(table, key) else { return nil }
        guard let word = Word(rawValue: value) else {
            let allowed = Word.allCases.map { "\"\($0.rawValue)\"" }.joined(separator: ", ")
            throw error(.invalidValue, path(table, key), entry.line, "\(ConfigurationError.quoted(value)) is not one of \(allowed)")
        }
        return word
    }

    /// A non-empty array of words from a fixed set, each at most once, in the file's order.
    public func words<Word: RawRepresentable & CaseIterable>(
        _ table: String, _ key: String, as: Word.Type, allowed: [Word] = Array(Word.allCases)
    ) throws(ConfigurationError) -> [Word]? where Word.RawValue == String {
        guard let entry = entry(table, key) else { return nil }
        guard case .array(let elements) = entry.value else { throw wrongType(table, entry, expected: "an array of strings") }
        guard !elements.isEmpty else { throw error(.invalidValue, path(table, key), entry.line, "must not be empty") }
        var words: [Word] = []
        for element in elements {
            guard case .string(let value) = element else { throw wrongType(table, entry, expected: "an array of strings") }
            guard let word = Word(rawValue: value), allowed.contains(where: { $0.rawValue == value }) else {
                let names = allowed.map { "\"\($0.rawValue)\"" }.joined(separator: ", ")
                throw error(.invalidValue, path(table, key), entry.line, "\(ConfigurationError.quoted(value)) is not one of \(names)")
            }
            guard !words.contains(where: { $0.rawValue == value }) else {
                throw error(.invalidValue, path(table, key), entry.line, "\(ConfigurationError.quoted(value)) is listed twice")
            }
            words.append(word)
        }
        return words
    }

    /// An array of exactly `count` integers, each in `range`.
    public func integers(
        _ table: String, _ key: String, count: Int, in range: ClosedRange<Int>
    ) throws(ConfigurationError) -> [Int]? {
        guard let entry = entry(table, key) else { return nil }
        guard case .array(let elements) = entry.value else { throw wrongType(table, entry, expected: "an array of \(count) integers") }
        guard elements.count == count else {
            throw error(.invalidValue, path(table, key), entry.line, "must hold \(count) integers, got \(elements.count)")
        }
        var values: [Int] = []
        for element in elements {
            guard case .integer(let value) = element else { throw wrongType(table, entry, expected: "an array of \(count) integers") }
            guard let int = Int(exactly: value), range.contains(int) else {
                throw error(
                    .invalidValue, path(table, key), entry.line,
                    "\(value) is out of range (\(range.lowerBound)...\(range.upperBound))"
                )
            }
            values.append(int)
        }
        return values
    }

    public func milliseconds(_ table: String, _ key: String, in range: ClosedRange<Int>) throws(ConfigurationError) -> Duration? {
        try integer(table, key, in: range).map { .milliseconds($0) }
    }
}
