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

    /// A holder as a format gives it. Formats without a transliterated name (SMART Health Cards, NZCP) pass the
    /// family name as it is written.
    public init(familyName: String?, familyNameTransliterated: String, givenName: String?, givenNameTransliterated: String?, dateOfBirth: String) {
        self.familyName = familyName
        self.familyNameTransliterated = familyNameTransliterated
        self.givenName = givenName
        self.givenNameTransliterated = givenNameTransliterated
        self.dateOfBirth = dateOfBirth
    }

    public var description: String { "Holder(<redacted>)" }
    public var debugDescription: String { description }
    public var customMirror: Mirror { Mirror(self, children: [], displayStyle: .struct) }
}
