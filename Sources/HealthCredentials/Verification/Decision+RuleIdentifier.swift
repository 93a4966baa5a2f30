extension Decision {
    /// An admission rule's identifier as the EU gateway shapes it: `GR`, `VR`, `TR`, `RR` or `IR`, a
    /// dash, two capital letters, a dash and up to eight digits ("VR-DE-0001"). Nothing else fits, so
    /// it cannot carry payload text into the log or the counters.
    public struct RuleIdentifier: Sendable, Hashable, Comparable, CustomStringConvertible {
        public let identifier: String

        /// nil unless `identifier` has exactly that shape.
        public init?(_ identifier: String) {
            let bytes = Array(identifier.utf8)
            guard (9...14).contains(bytes.count), ["GR", "VR", "TR", "RR", "IR"].contains(String(decoding: bytes[0..<2], as: UTF8.self)),
                  bytes[2] == UInt8(ascii: "-"), bytes[5] == UInt8(ascii: "-"),
                  bytes[3...4].allSatisfy({ (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains($0) }),
                  bytes[6...].allSatisfy({ (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) })
            else { return nil }
            self.identifier = identifier
        }

        public var description: String { identifier }

        public static func < (lhs: RuleIdentifier, rhs: RuleIdentifier) -> Bool { lhs.identifier < rhs.identifier }
    }
}
