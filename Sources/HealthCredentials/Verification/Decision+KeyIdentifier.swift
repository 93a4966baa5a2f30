import FoundationEssentials

extension Decision {
    /// The signer's key identifier, written as base64. Only bytes up to 32 long are accepted: a DCC
    /// kid has 8, a SMART Health Card thumbprint 32. It names a public key, not a person.
    public struct KeyIdentifier: Sendable, Hashable, CustomStringConvertible {
        public static let maximumLength = 32
        public let bytes: [UInt8]

        /// nil when empty or longer than ``maximumLength``.
        public init?(_ bytes: [UInt8]) {
            guard !bytes.isEmpty, bytes.count <= Self.maximumLength else { return nil }
            self.bytes = bytes
        }

        /// Standard base64 with padding, as the EU trust lists print kids.
        public var description: String { Data(bytes).base64EncodedString() }
    }
}
