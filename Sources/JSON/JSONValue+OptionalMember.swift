extension JSONValue {
    /// Reads an optional member the way Codable's `decodeIfPresent` does: `.some(nil)` when the member
    /// is absent or `null`, `.some(value)` when `read` accepts it, and nil (a wrong type, for the caller
    /// to refuse) otherwise. Also nil when this value is not an object.
    ///
    /// ```swift
    /// guard let country = entry.optionalMember("country", as: \.string) else { throw … }  // String?
    /// ```
    public func optionalMember<T>(_ name: String, as read: (JSONValue) -> T?) -> T?? {
        guard let object else { return nil }
        guard let member = object[name], !member.isNull else { return .some(nil) }
        return read(member).map { .some($0) }
    }
}
