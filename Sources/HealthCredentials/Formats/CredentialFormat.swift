import JSON

/// The credential formats a traveller may hold up, recognised by the shape of the scanned bytes alone.
///
/// Raw values are the `format` of `gatecheck verify --json` and of the verdict line.
public enum CredentialFormat: String, Sendable, Hashable, CaseIterable, Codable {
    /// `HC1:`: the HCERT family (EU DCC, WHO DDCC and DVC, LAC PASS); ``CredentialProfile`` tells them apart.
    case hc1
    /// `shc:/`: a SMART Health Card.
    case shc
    /// A JSON ICAO Visible Digital Seal for Non-Constrained environments, `data.hdr.t` starting `icao.`.
    case vdsNC = "vds-nc"
    /// `NZCP:/`: the New Zealand COVID Pass.
    case nzcp
    /// A binary ZIP (`PK\u{3}\u{4}`): India's and others' DIVOC certificates. Recognised, not supported.
    case divoc
    /// A constrained ICAO seal (`0xDC` magic) or ICAO IDB (`RDB1`). Recognised, not supported (zbar cannot read
    /// the DataMatrix codes they usually come in).
    case icaoVDS = "icao-vds"
    /// Nothing GateCheck knows.
    case unknown

    /// The formats GateCheck can verify.
    public static let supported: [CredentialFormat] = [.hc1, .shc, .vdsNC, .nzcp]

    public var isSupported: Bool { Self.supported.contains(self) }

    /// Seals are JSON of 1–2 KB in a QR code of at most 2953 bytes; anything much larger is not one.
    public static let sealLimits = JSONLimits(maxBytes: 8 << 10, maxDepth: 16, maxItems: 512, maxStringLength: 4 << 10)

    /// The format `payload` has the shape of. Only prefixes (after any leading whitespace, which scanners and
    /// text files add) and, for JSON, the seal header are looked at: nothing is verified here, and a payload of the
    /// right shape may still fail to decode.
    public init(recognising payload: some Collection<UInt8>) {
        let bytes = Array(payload.drop(while: Self.isJSONWhitespace).prefix(8))
        func hasPrefix(_ text: String, ignoringCase: Bool = false) -> Bool {
            let prefix = Array(text.utf8)
            guard bytes.count >= prefix.count else { return false }
            return zip(bytes, prefix).allSatisfy { ignoringCase ? Self.lowercased($0) == Self.lowercased($1) : $0 == $1 }
        }
        if hasPrefix("HC1:") {
            self = .hc1
        } else if hasPrefix("shc:", ignoringCase: true) {
            self = .shc
        } else if hasPrefix("NZCP:", ignoringCase: true) {
            self = .nzcp
        } else if hasPrefix("PK\u{3}\u{4}") {
            self = .divoc
        } else if payload.first == 0xDC || hasPrefix("RDB1") {
            self = .icaoVDS
        } else if bytes.first == UInt8(ascii: "{") {
            self = Self.isICAOSeal(payload) ? .vdsNC : .unknown
        } else {
            self = .unknown
        }
    }

    /// Whether `payload` is a JSON object whose `data.hdr.t` is a string starting `icao.`.
    private static func isICAOSeal(_ payload: some Collection<UInt8>) -> Bool {
        guard payload.count <= sealLimits.maxBytes, let seal = try? JSONParser.parse(payload, limits: sealLimits),
            let type = seal["data"]?["hdr"]?["t"]?.string
        else { return false }
        return type.hasPrefix("icao.")
    }

    private static func isJSONWhitespace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D
    }

    private static func lowercased(_ byte: UInt8) -> UInt8 {
        (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte) ? byte | 0x20 : byte
    }
}

/// Which credential an `HC1:` payload carries, from its `hcert` claim (−260).
///
/// Raw values are the `profile` of `gatecheck verify --json`.
public enum CredentialProfile: String, Sendable, Hashable, CaseIterable, Codable {
    /// −260/1: an EU Digital COVID Certificate.
    case euDCC = "eu-dcc"
    /// −260/−6: a WHO Digital Vaccination Certificate (the digital ICVP).
    case whoDVC = "who-dvc"
    /// −260/3: a WHO DDCC:VS core data set (vaccination status).
    case whoDDCCVS = "who-ddcc-vs"
    /// −260/4: a WHO DDCC:TR core data set (test result).
    case whoDDCCTR = "who-ddcc-tr"
}
