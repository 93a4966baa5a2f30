import CertLogic
import FoundationEssentials

/// Timestamps in rules and rule tests, read and written through CertLogic's one date-time parser
/// (no locale-dependent formatters): exact, and the same on every machine.
enum Timestamp {
    /// The gateway schema's `ValidFrom`/`ValidTo` form, exactly `YYYY-MM-DDThh:mm:ss(Z|±hh:mm)`,
    /// naming a real instant.
    static func parseGateway(_ text: String) -> Date? {
        let bytes = Array(text.utf8)
        let zulu = bytes.count == 20 && bytes[19] == UInt8(ascii: "Z")
        let offset = bytes.count == 25 && (bytes[19] == UInt8(ascii: "+") || bytes[19] == UInt8(ascii: "-")) && bytes[22] == UInt8(ascii: ":")
        guard zulu || offset, bytes[10] == UInt8(ascii: "T"), !bytes[11..<19].contains(UInt8(ascii: ".")) else { return nil }
        return parseLenient(text)
    }

    /// What certlogic-js's `dateFromString` accepts (the rule-test tooling reads `validationClock`
    /// with it): a date, or a date-time with an optional fraction and offset, UTC when absent.
    static func parseLenient(_ text: String) -> Date? {
        guard text.utf8.count >= 10, let milliseconds = CertLogic.millisecondsSinceEpoch(of: text) else { return nil }
        return Date(timeIntervalSince1970: Double(milliseconds) / 1000)
    }

    /// `YYYY-MM-DDThh:mm:ssZ`, whole seconds in UTC: what DGCA writes for `validationClock`.
    static func dateTimeString(_ date: Date) -> String {
        String(iso8601(date).prefix(19)) + "Z"
    }

    /// `YYYY-MM-DD` of the UTC day: what DGCA writes for `exp` and `iat`.
    static func dateString(_ date: Date) -> String {
        String(iso8601(date).prefix(10))
    }

    /// Clamped to years 0…9999 so the fixed-width prefixes above always hold.
    private static func iso8601(_ date: Date) -> String {
        let milliseconds = Int64(min(max(date.timeIntervalSince1970, -62_167_219_200), 253_402_300_799) * 1000)
        return CertLogic.iso8601(millisecondsSinceEpoch: milliseconds) ?? "1970-01-01T00:00:00.000Z"
    }
}
