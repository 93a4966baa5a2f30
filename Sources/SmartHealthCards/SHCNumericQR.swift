import HealthCredentials

/// One scanned `shc:/` QR text: the whole JWS in numeric form, or one chunk `shc:/<index>/<count>/<digits>` of a
/// card split over several codes (deprecated, still printed).
///
/// Strict: the prefix is `shc:/` (any letter case), chunk numbers are decimal without leading zeros with
/// 1 ≤ index ≤ count ≤ ``maximumChunks``, and the digits are an even, non-empty run of pairs 00–77. Trailing
/// whitespace around the text (a scanner's or a file's line end) is trimmed; nothing else is.
public struct SHCNumericQR: Sendable, Hashable {
    /// 1-based position of this chunk; 1 for an unchunked card.
    public let index: Int
    /// Number of chunks of the card; 1 for an unchunked card (`shc:/1/1/` is accepted as the same).
    public let count: Int
    /// The JWS characters the digits stand for: each pair `n` is the character `n + 45`, so 00–77 cover `-` to `z`.
    public let jwsCharacters: [UInt8]

    /// More chunks than any printed card has had (the validator's own tests use 17).
    public static let maximumChunks = 32
    /// A version 40 QR code holds at most 7089 digits; a little more allows the header.
    public static let maximumLength = 7_200

    public init(scanned payload: [UInt8]) throws(CredentialError) {
        var text = payload[...]
        text = SHCNumericQR.trimmingWhitespace(text)
        guard text.count <= Self.maximumLength else {
            throw CredentialError(.payloadTooLarge, "\(text.count) bytes (at most \(Self.maximumLength))")
        }
        let prefix = Array("shc:/".utf8)
        guard text.count >= prefix.count, zip(text, prefix).allSatisfy({ Self.lowercased($0) == $1 }) else {
            throw CredentialError(.badPrefix, "a SMART Health Card QR starts with shc:/")
        }
        let fields = Array(text.dropFirst(prefix.count)).split(separator: UInt8(ascii: "/"), omittingEmptySubsequences: false)
        switch fields.count {
        case 1:
            index = 1
            count = 1
        case 3:
            guard let index = Self.chunkNumber(fields[0]), let count = Self.chunkNumber(fields[1]) else {
                throw CredentialError(.badQRChunks, "the chunk header is not shc:/<index>/<count>/")
            }
            guard count <= Self.maximumChunks else { throw CredentialError(.badQRChunks, "\(count) chunks (at most \(Self.maximumChunks))") }
            guard index <= count else { throw CredentialError(.badQRChunks, "chunk \(index) of \(count)") }
            self.index = index
            self.count = count
        default:
            throw CredentialError(.badQRChunks, "the chunk header is not shc:/<index>/<count>/")
        }
        jwsCharacters = try Self.characters(of: Array(fields[fields.count - 1]))
    }

    static func characters(of digits: [UInt8]) throws(CredentialError) -> [UInt8] {
        guard !digits.isEmpty else { throw CredentialError(.badNumericEncoding, "no digits") }
        guard digits.allSatisfy({ (0x30...0x39).contains($0) }) else { throw CredentialError(.badNumericEncoding, "a character that is not a digit") }
        guard digits.count % 2 == 0 else { throw CredentialError(.badNumericEncoding, "an odd number of digits") }
        var characters: [UInt8] = []
        characters.reserveCapacity(digits.count / 2)
        var position = 0
        while position + 1 < digits.count {
            let value = (digits[position] - 0x30) * 10 + (digits[position + 1] - 0x30)
            guard value <= 77 else { throw CredentialError(.badNumericEncoding, "a digit pair above 77") }
            characters.append(value + 45)
            position += 2
        }
        return characters
    }

    /// The numeric form of JWS characters, for issuers: `shc:/` and two digits per character.
    public static func encode(jws: [UInt8]) -> [UInt8] {
        var text = Array("shc:/".utf8)
        for character in jws {
            let value = Int(character) - 45
            text.append(UInt8(0x30 + max(0, value) / 10 % 10))
            text.append(UInt8(0x30 + max(0, value) % 10))
        }
        return text
    }

    /// Without the spaces, tabs and line ends around it: files and some scanners add them.
    static func trimmingWhitespace(_ bytes: ArraySlice<UInt8>) -> ArraySlice<UInt8> {
        func isWhitespace(_ byte: UInt8) -> Bool { byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D }
        var trimmed = bytes
        while let first = trimmed.first, isWhitespace(first) { trimmed = trimmed.dropFirst() }
        while let last = trimmed.last, isWhitespace(last) { trimmed = trimmed.dropLast() }
        return trimmed
    }

    /// 1…99 in decimal without leading zeros.
    private static func chunkNumber(_ field: ArraySlice<UInt8>) -> Int? {
        guard (1...2).contains(field.count), field.allSatisfy({ (0x30...0x39).contains($0) }), field.first != 0x30 else { return nil }
        return field.reduce(0) { $0 * 10 + Int($1 - 0x30) }
    }

    private static func lowercased(_ byte: UInt8) -> UInt8 {
        (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte) ? byte | 0x20 : byte
    }
}

/// Reassembles a chunked card from its scans in any order.
///
/// Rescans of a chunk already held are ignored when identical and refused when they differ; every chunk must
/// say the same count. The JWS is available once every chunk is there.
public struct SHCChunkAssembler: Sendable {
    private var chunks: [Int: SHCNumericQR] = [:]
    private var count: Int?

    public init() {}

    /// Assembles `scans` at once: `.badQRChunks` unless they make exactly one complete card.
    public static func jws(fromScans scans: [[UInt8]]) throws(CredentialError) -> [UInt8] {
        var assembler = SHCChunkAssembler()
        for scan in scans { try assembler.add(scan) }
        return try assembler.jws()
    }

    /// Adds one scanned text. Throws for a text that is not an `shc:/` QR, or that contradicts the chunks held.
    public mutating func add(_ scanned: [UInt8]) throws(CredentialError) {
        try add(SHCNumericQR(scanned: scanned))
    }

    public mutating func add(_ chunk: SHCNumericQR) throws(CredentialError) {
        if let count, count != chunk.count {
            throw CredentialError(.badQRChunks, "a chunk of a \(chunk.count)-chunk card among chunks of a \(count)-chunk card")
        }
        if let held = chunks[chunk.index] {
            guard held == chunk else { throw CredentialError(.badQRChunks, "two different chunks \(chunk.index) of \(chunk.count)") }
            return
        }
        count = chunk.count
        chunks[chunk.index] = chunk
    }

    /// Indexes (1-based) still to scan; empty when complete.
    public var missingChunks: [Int] {
        guard let count else { return [1] }
        return (1...count).filter { chunks[$0] == nil }
    }

    public var isComplete: Bool { missingChunks.isEmpty }

    /// The JWS, once complete.
    public func jws() throws(CredentialError) -> [UInt8] {
        guard let count, isComplete else {
            let missing = missingChunks.map(String.init).joined(separator: ", ")
            throw CredentialError(.badQRChunks, "chunk \(missing) of \(count.map(String.init) ?? "?") not scanned")
        }
        return (1...count).flatMap { chunks[$0]?.jwsCharacters ?? [] }
    }
}
