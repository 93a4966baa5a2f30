extension String {
    /// Foundation's `trimmingCharacters(in: .whitespacesAndNewlines)`, or with `newlines: false` its
    /// `.whitespaces` (tab and the space separators), without full Foundation: it needs CharacterSet.
    public func trimmingWhitespace(newlines: Bool = true) -> String {
        func trimmed(_ scalar: Unicode.Scalar) -> Bool {
            guard scalar.properties.isWhitespace else { return false }
            return newlines || scalar == "\t" || scalar.properties.generalCategory == .spaceSeparator
        }
        guard let start = unicodeScalars.firstIndex(where: { !trimmed($0) }),
            let end = unicodeScalars.lastIndex(where: { !trimmed($0) })
        else { return "" }
        return String(unicodeScalars[start...end])
    }
}
