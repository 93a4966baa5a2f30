/// The person a credential names. Personal data: it never reaches a log, a counter or a file.
///
/// `description`, `debugDescription` and its mirror are redacted so that string interpolation,
/// `dump` or a debugger cannot leak it by accident; only `--show-holder` output reads the fields,
/// deliberately.
public struct Holder: Sendable, Hashable, CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    public let familyName: String?
    public let familyNameTransliterated: String
    public let givenName: String?
    public let givenNameTransliterated: String?
    public let dateOfBirth: String

    public var description: String { "Holder(<redacted>)" }
    public var debugDescription: String { description }
    public var customMirror: Mirror { Mirror(self, children: [], displayStyle: .struct) }
}
