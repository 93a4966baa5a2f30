extension JSONParser {
    /// `parse(_:limits:)` after skipping one leading UTF-8 byte-order mark (EF BB BF), which RFC 8259 §8.1
    /// lets a parser ignore. For files that Foundation's `JSONDecoder` used to read, since it skips one
    /// too; `parse` itself refuses the mark, and nothing GateCheck writes has one. Error offsets count
    /// from after the mark.
    public static func parse(skippingByteOrderMark bytes: [UInt8], limits: JSONLimits = .default) throws(JSONError) -> JSONValue {
        let mark: [UInt8] = [0xEF, 0xBB, 0xBF]
        return try parse(bytes.starts(with: mark) ? bytes.dropFirst(mark.count) : bytes[...], limits: limits)
    }
}
