extension Decision {
    /// The issuing country as an ISO 3166-1 alpha-2 code ("DE", "EU" for EU-level issuers). Two
    /// letters are all it can hold, so it cannot smuggle text into the log.
    public struct IssuerCountry: Sendable, Hashable, CustomStringConvertible {
        public let code: String

        /// nil unless `code` is exactly two ASCII letters; lower case is upper-cased.
        public init?(_ code: String) {
            let scalars = Array(code.unicodeScalars)
            guard scalars.count == 2, scalars.allSatisfy({ ("A"..."Z").contains($0) || ("a"..."z").contains($0) }) else {
                return nil
            }
            self.code = code.uppercased()
        }

        public var description: String { code }
    }
}
