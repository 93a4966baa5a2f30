/// A module's one error type: a stable `code` for programs, a `detail` for people.
///
/// Two errors are equal when their codes are equal, so tests and callers never depend on wording.
/// `description` is `<code>: <detail>`; a type whose messages read differently (a byte offset, a file
/// and line) declares its own. Codes are by convention a struct over a private enum, so that a module
/// can add a code without breaking clients that `switch` over them.
public protocol CodedError: Error, Hashable, Sendable, CustomStringConvertible {
    associatedtype Code: Hashable & Sendable & CustomStringConvertible
    /// What went wrong, as a stable category: what programs branch on.
    var code: Code { get }
    /// What went wrong in words, for logs and people; never parsed.
    var detail: String { get }
}

extension CodedError {
    public var description: String { "\(code): \(detail)" }

    public static func == (lhs: Self, rhs: Self) -> Bool { lhs.code == rhs.code }
    public func hash(into hasher: inout Hasher) { hasher.combine(code) }
}
