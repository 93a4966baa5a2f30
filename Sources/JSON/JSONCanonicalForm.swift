/// RFC 8785 JSON Canonicalization Scheme (JCS): the bytes ICAO VDS-NC seals sign.
///
/// Members sorted by UTF-16 code units, no insignificant whitespace, strings with the shortest escapes
/// (``JSONWriter`` already writes both), and numbers as ECMAScript's `Number.prototype.toString` writes the
/// IEEE 754 double nearest to the literal: `1E30` → `1e+30`, `4.50` → `4.5`, `56.0` → `56`, `-0` → `0`.
/// Strings are never normalised. A lone surrogate cannot reach here: ``JSONParser`` refuses it, so
/// ``bytes(parsing:limits:)`` reports it as an error, as RFC 8785 requires.
public enum JSONCanonicalForm {
    /// Nesting beyond this is refused (the parser's own limit is lower for every input GateCheck reads).
    public static let maxDepth = 512

    /// The canonical bytes of `value`.
    /// - Throws: `.invalidNumber` for a number whose nearest double is not finite (`1e400`), `.depthExceeded`
    ///   beyond ``maxDepth``.
    public static func bytes(of value: JSONValue) throws(JSONError) -> [UInt8] {
        JSONWriter.bytes(try canonicalNumbers(value, depth: 0), memberOrder: .sortedByUTF16)
    }

    /// Parses `text` with `limits`, then canonicalises it.
    /// - Throws: whatever ``JSONParser/parse(_:limits:)`` throws (lone surrogates, invalid UTF-8, duplicate
    ///   names, …), then as ``bytes(of:)``.
    public static func bytes(parsing text: some Collection<UInt8>, limits: JSONLimits = .default) throws(JSONError) -> [UInt8] {
        try bytes(of: try JSONParser.parse(text, limits: limits))
    }

    /// The ECMAScript form of the double nearest to `number`'s literal.
    /// - Throws: `.invalidNumber` when that double is infinite.
    public static func ecmaScriptLiteral(_ number: JSONNumber) throws(JSONError) -> String {
        let value = number.double
        guard value.isFinite else {
            throw JSONError(.invalidNumber, at: 0, "number \(number.literal) is out of the IEEE 754 double range")
        }
        return ecmaScriptLiteral(value)
    }

    /// ECMAScript `Number::toString` (ECMA-262 §6.1.6.1.20) of a finite double.
    static func ecmaScriptLiteral(_ value: Double) -> String {
        if value == 0 { return "0" }
        if value < 0 { return "-" + ecmaScriptLiteral(-value) }
        // Swift's description is the shortest round-tripping decimal (closest to the value on ties), which is the
        // digit string ECMAScript asks for; only its layout differs, so take the digits and the exponent from it.
        let (digits, pointPosition) = decimalDigits(of: "\(value)")
        let k = digits.count
        let n = pointPosition  // value = 0.d1d2…dk × 10^n
        if k <= n && n <= 21 {
            return digits + String(repeating: "0", count: n - k)
        }
        if 0 < n && n <= 21 {
            return String(digits.prefix(n)) + "." + String(digits.dropFirst(n))
        }
        if -6 < n && n <= 0 {
            return "0." + String(repeating: "0", count: -n) + digits
        }
        let exponent = n - 1
        let sign = exponent < 0 ? "-" : "+"
        let mantissa = k == 1 ? digits : String(digits.prefix(1)) + "." + String(digits.dropFirst())
        return mantissa + "e" + sign + String(abs(exponent))
    }

    /// The significant digits (no leading or trailing zeros) of a positive decimal text such as `1e+30`,
    /// `333333333.3333333` or `5e-324`, and n such that the value is 0.digits × 10^n.
    private static func decimalDigits(of text: String) -> (digits: String, pointPosition: Int) {
        let parts = text.lowercased().split(separator: "e", maxSplits: 1)
        let mantissa = parts.first.map(String.init) ?? "0"
        let exponent = parts.count > 1 ? Int(parts[1]) ?? 0 : 0
        let pieces = mantissa.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false)
        let integerPart = pieces.first.map(String.init) ?? ""
        let fractionPart = pieces.count > 1 ? String(pieces[1]) : ""
        var all = Array(integerPart + fractionPart)
        var pointPosition = integerPart.count + exponent
        while let first = all.first, first == "0" {
            all.removeFirst()
            pointPosition -= 1
        }
        while let last = all.last, last == "0" { all.removeLast() }
        return (String(all), pointPosition)
    }

    private static func canonicalNumbers(_ value: JSONValue, depth: Int) throws(JSONError) -> JSONValue {
        guard depth <= maxDepth else { throw JSONError(.depthExceeded, at: 0, "nesting deeper than \(maxDepth)") }
        switch value {
        case .null, .bool, .string:
            return value
        case .number(let number):
            return .number(JSONNumber(validatedLiteral: try ecmaScriptLiteral(number)))
        case .array(let elements):
            var result: [JSONValue] = []
            result.reserveCapacity(elements.count)
            for element in elements { result.append(try canonicalNumbers(element, depth: depth + 1)) }
            return .array(result)
        case .object(let object):
            var values: [JSONValue] = []
            values.reserveCapacity(object.count)
            for member in object.values { values.append(try canonicalNumbers(member, depth: depth + 1)) }
            return .object(JSONObject(uniqueNames: object.names, values: values))
        }
    }
}
