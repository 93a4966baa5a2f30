// Re-exported: this error's description and equality come from CodedError, and callers should not need the import.
@_exported import CodedErrors

/// The one error type of DaemonSupport. `code` is stable (exit reasons, tests); the rest says where
/// and what, on one line: `FILE:LINE: key "KEY": DETAIL` for configuration, the call's name for system calls.
public struct DaemonSupportError: CodedError {
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        fileprivate enum Value: String {
            case syntax = "syntax"
            case unknownTable = "unknown-table"
            case unknownKey = "unknown-key"
            case duplicateKey = "duplicate-key"
            case wrongType = "wrong-type"
            case invalidValue = "invalid-value"
            case missingKey = "missing-key"
            case unreadableFile = "unreadable-file"
            case truncatedFile = "truncated-file"
            case badNotifySocket = "bad-notify-socket"
            case systemCall = "system-call"
            case badSocketPath = "bad-socket-path"
            case badStatus = "bad-status"
        }
        fileprivate let value: Value

        /// The file is not valid in the TOML subset GateCheck reads.
        public static let syntax = Code(value: .syntax)
        /// A `[table]` the configuration does not have (usually a typo).
        public static let unknownTable = Code(value: .unknownTable)
        /// A key the table does not have, or one its lamp backend does not use.
        public static let unknownKey = Code(value: .unknownKey)
        /// A key (or table) given twice.
        public static let duplicateKey = Code(value: .duplicateKey)
        /// A value of the wrong TOML type (a string where an integer belongs, …).
        public static let wrongType = Code(value: .wrongType)
        /// A value of the right type outside its range or set of allowed words.
        public static let invalidValue = Code(value: .invalidValue)
        /// A key that the chosen setting requires is absent (a gpio lamp without a chip, …).
        public static let missingKey = Code(value: .missingKey)
        /// The configuration file could not be read (missing, not a regular file, too large, not UTF-8).
        public static let unreadableFile = Code(value: .unreadableFile)
        /// The configuration file's last line has no newline: most likely caught while being written.
        public static let truncatedFile = Code(value: .truncatedFile)
        /// `$NOTIFY_SOCKET` is not an absolute path or an abstract name, or is too long.
        public static let badNotifySocket = Code(value: .badNotifySocket)
        /// A system call failed; its name is in the detail.
        public static let systemCall = Code(value: .systemCall)
        /// A status socket path that is not absolute, does not fit in `sun_path`, or is taken by
        /// something that is not a stale socket (a regular file, a socket another process listens on).
        public static let badSocketPath = Code(value: .badSocketPath)
        /// A status reply that is not a status snapshot (not JSON, a wrong type, no state) or is larger
        /// than the client accepts.
        public static let badStatus = Code(value: .badStatus)

        public var description: String { value.rawValue }
    }

    public let code: Code
    /// The configuration file, when the error is about one.
    public let file: String?
    /// 1-based line in `file`.
    public let line: Int?
    /// The dotted key (or table) the error is about.
    public let key: String?
    public let detail: String
    /// Whether `key` names a table (`table "lamp": …`) rather than a key.
    let keyIsTable: Bool

    public init(_ code: Code, file: String? = nil, line: Int? = nil, key: String? = nil, _ detail: String) {
        self.code = code
        self.file = file
        self.line = line
        self.key = key
        self.detail = detail
        self.keyIsTable = false
    }

    init(_ code: Code, file: String, line: Int, table: String, _ detail: String) {
        self.code = code
        self.file = file
        self.line = line
        self.key = table
        self.detail = detail
        self.keyIsTable = true
    }

    /// Always one line: journald and a terminal show it whole, and a test can compare it exactly.
    public var description: String {
        var text = ""
        if let file {
            text += file
            if let line { text += ":\(line)" }
            text += ": "
        }
        if let key { text += "\(keyIsTable ? "table" : "key") \(Self.quoted(key)): " }
        text += detail
        return Self.singleLine(text)
    }

    /// Quotes a name or value for a message, escaping what would break the line, and cutting long text.
    public static func quoted(_ text: String) -> String {
        let cut = text.unicodeScalars.count > 60 ? String(String.UnicodeScalarView(text.unicodeScalars.prefix(60))) + "…" : text
        return "\"" + singleLine(cut).replacingQuotes() + "\""
    }

    static func singleLine(_ text: String) -> String {
        var out = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where scalar.value < 0x20 || scalar.value == 0x7F || scalar == "\u{2028}" || scalar == "\u{2029}":
                out += "\\u{\(String(scalar.value, radix: 16))}"
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }
}

extension String {
    fileprivate func replacingQuotes() -> String {
        var out = ""
        for character in self { out += character == "\"" ? "\\\"" : String(character) }
        return out
    }
}
