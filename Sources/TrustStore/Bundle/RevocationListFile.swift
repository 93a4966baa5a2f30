import AdmissionRules
import FoundationEssentials

/// Back-office revocation inputs for `gatecheck trust bundle create`.
public enum RevocationListFile {
    /// A text file of UCIs, one per line (blank lines and `#` comments skipped); returns their hashes.
    public static func uciHashes(path: String) throws(TrustStoreError) -> [[UInt8]] {
        try lines(path).map { RevocationHash.uci($0) }
    }

    /// A text file of 16-byte hashes, one per line, in base64 (as the EU gateway publishes them) or hex.
    public static func hashes(path: String) throws(TrustStoreError) -> [[UInt8]] {
        var hashes: [[UInt8]] = []
        for (index, line) in try lines(path).enumerated() {
            if let bytes = Data(base64Encoded: line).map(Array.init), bytes.count == RevocationHash.length {
                hashes.append(bytes)
            } else if line.count == RevocationHash.length * 2, let bytes = hex(line) {
                hashes.append(bytes)
            } else {
                throw TrustStoreError(.badInput, "\(path): line \(index + 1) is not a 16-byte hash in base64 or hex")
            }
        }
        return hashes
    }

    private static func lines(_ path: String) throws(TrustStoreError) -> [String] {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
            throw TrustStoreError(.badInput, "cannot read \(path)")
        }
        return text.split(whereSeparator: \.isNewline)
            .map { String($0).trimmingWhitespace(newlines: false) }
            .filter { !$0.isEmpty && !$0.hasPrefix("#") }
    }

    private static func hex(_ text: String) -> [UInt8]? {
        var bytes: [UInt8] = []
        var index = text.startIndex
        while index < text.endIndex {
            let next = text.index(index, offsetBy: 2)
            guard let byte = UInt8(text[index..<next], radix: 16) else { return nil }
            bytes.append(byte)
            index = next
        }
        return bytes
    }
}
