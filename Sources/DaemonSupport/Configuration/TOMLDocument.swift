/// A parsed configuration file: tables by dotted name, each with its entries and the lines they
/// came from, so every later error can name file, line and key.
public struct TOMLDocument: Sendable {
    public struct Entry: Sendable {
        public let key: String
        let value: TOMLValue
        public let line: Int
    }

    public struct Table: Sendable {
        /// Dotted name; "" is the root table (keys before any header).
        public let name: String
        /// The header's line; 0 for the root and for tables only implied by a dotted header.
        public internal(set) var line: Int
        public internal(set) var entries: [String: Entry] = [:]

        /// `name.key`, or `key` in the root table: the form errors use.
        public func path(of key: String) -> String { name.isEmpty ? key : "\(name).\(key)" }
    }

    var tables: [String: Table] = ["": Table(name: "", line: 0)]
}
