/// A parsed configuration file: tables by dotted name, each with its entries and the lines they
/// came from, so every later error can name file, line and key.
struct TOMLDocument: Sendable {
    struct Entry: Sendable {
        let key: String
        let value: TOMLValue
        let line: Int
    }

    struct Table: Sendable {
        /// Dotted name; "" is the root table (keys before any header).
        let name: String
        /// The header's line; 0 for the root and for tables only implied by a dotted header.
        var line: Int
        var entries: [String: Entry] = [:]

        /// `name.key`, or `key` in the root table: the form errors use.
        func path(of key: String) -> String { name.isEmpty ? key : "\(name).\(key)" }
    }

    var tables: [String: Table] = ["": Table(name: "", line: 0)]
}
