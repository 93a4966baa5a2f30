import Foundation

/// One case of the EU dgc-testdata corpus: its payload at every layer, its DSC, clock and expected flags.
struct DCCTestCase {
    let path: String
    let fields: [String: Any]
    let expected: [String: Bool]

    /// The flags a verifier can check; the rest (VALIDOBJECT, ENCODE, VALIDJSON) concern generation.
    static let checkableFlags = [
        "UNPREFIX", "B45DECODE", "COMPRESSION", "DECODE", "VERIFY", "EXPIRATIONCHECK", "KEYUSAGE", "SCHEMAVALIDATION",
        "PICTUREDECODE",
    ]

    static func loadAll(under root: URL) throws -> [DCCTestCase] {
        var cases: [DCCTestCase] = []
        let enumerator = FileManager.default.enumerator(at: root, includingPropertiesForKeys: nil)!
        for case let url as URL in enumerator {
            guard url.pathExtension == "json" || url.lastPathComponent == "QR" else { continue }
            let data = try Data(contentsOf: url)
            guard let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
                  let results = object["EXPECTEDRESULTS"] as? [String: Any]
            else { continue }
            var expected: [String: Bool] = [:]
            for (key, value) in results where key.hasPrefix("EXPECTED") {
                if let flag = value as? Bool { expected[String(key.dropFirst("EXPECTED".count))] = flag }
            }
            let relative = String(url.path.dropFirst(root.path.count + 1))
            cases.append(DCCTestCase(path: relative, fields: object, expected: expected))
        }
        return cases.sorted { $0.path < $1.path }
    }

    func string(_ key: String) -> String? { fields[key] as? String }

    var context: [String: Any] { fields["TESTCTX"] as? [String: Any] ?? [:] }

    func bytes(hex key: String) -> [UInt8]? {
        guard let text = string(key) else { return nil }
        return Self.hexBytes(text)
    }

    static func hexBytes(_ text: String) -> [UInt8]? {
        let digits = Array(text.utf8).filter { !($0 == 0x20 || $0 == 0x0A || $0 == 0x0D) }
        guard digits.count % 2 == 0 else { return nil }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(digits.count / 2)
        var index = 0
        while index < digits.count {
            guard let value = UInt8(String(decoding: digits[index..<index + 2], as: UTF8.self), radix: 16) else { return nil }
            bytes.append(value)
            index += 2
        }
        return bytes
    }

    /// TESTCTX.CERTIFICATE: base64 DER, sometimes wrapped in PEM armour.
    var certificateDER: [UInt8]? {
        guard let text = context["CERTIFICATE"] as? String else { return nil }
        let body = text.split(separator: "\n").filter { !$0.hasPrefix("-----") }.joined()
        return Data(base64Encoded: body, options: .ignoreUnknownCharacters).map(Array.init)
    }

    var validationClock: Date? {
        guard let text = context["VALIDATIONCLOCK"] as? String else { return nil }
        let formatter = ISO8601DateFormatter()
        if let date = formatter.date(from: text) { return date }
        formatter.formatOptions.insert(.withFractionalSeconds)
        if let date = formatter.date(from: text) { return date }
        // Some cases omit the offset; read those as UTC.
        formatter.formatOptions = [.withFullDate, .withTime, .withColonSeparatorInTime, .withDashSeparatorInDate]
        return formatter.date(from: text)
    }

    /// The QR image (base64 PNG) as `2DCODE`, or `_2DCODE` in three LV cases.
    var qrImage: [UInt8]? {
        guard let text = string("2DCODE") ?? string("_2DCODE") else { return nil }
        return Data(base64Encoded: text, options: .ignoreUnknownCharacters).map(Array.init)
    }
}
