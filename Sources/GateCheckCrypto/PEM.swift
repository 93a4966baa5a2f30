import FoundationEssentials

/// Extraction of DER payloads from PEM text (RFC 7468).
///
/// Pure Swift on purpose: PEM is only an armour around base64, and keeping it out of OpenSSL means the
/// DER parsers see exactly the bytes whose size caps and trailing-data checks they enforce.
public enum PEM {
    /// DER payloads of every `-----BEGIN <label>-----` … `-----END <label>-----` block in `text`, in order.
    ///
    /// Text outside blocks (explanatory headers, junk) is ignored, as is whitespace inside a block.
    /// Blocks with another label, an unterminated block, or a payload that is not base64 are skipped.
    /// - Parameter label: e.g. `"CERTIFICATE"` or `"PUBLIC KEY"`; matched exactly.
    public static func derBlocks(in text: String, label: String) -> [[UInt8]] {
        let begin = "-----BEGIN \(label)-----"
        let end = "-----END \(label)-----"
        var blocks: [[UInt8]] = []
        var searchStart = text.startIndex
        while let beginRange = text[searchStart...].firstRange(of: begin) {
            guard let endRange = text[beginRange.upperBound...].firstRange(of: end) else { break }
            let body = text[beginRange.upperBound..<endRange.lowerBound]
            // A nested BEGIN means the first block was never closed: resume at the inner BEGIN.
            if let nested = body.firstRange(of: begin) {
                searchStart = nested.lowerBound
                continue
            }
            if let data = Data(base64Encoded: String(body), options: .ignoreUnknownCharacters), !data.isEmpty {
                blocks.append([UInt8](data))
            }
            searchStart = endRange.upperBound
        }
        return blocks
    }

    /// `der` as one PEM block with 64-character lines (RFC 7468), e.g. label "CERTIFICATE".
    public static func encode(_ der: [UInt8], label: String) -> String {
        "-----BEGIN \(label)-----\n"
            + Data(der).base64EncodedString(options: [.lineLength64Characters, .endLineWithLineFeed])
            + "\n-----END \(label)-----\n"
    }
}
