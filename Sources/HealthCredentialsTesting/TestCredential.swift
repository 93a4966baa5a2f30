import CBOR
import Foundation
import HealthCredentials

/// The claims of a test credential, with realistic defaults for each certificate type.
/// Names and dates of birth here are invented.
public struct TestCredential: Sendable {
    public var issuer: String? = "XX"
    public var issuedAt: Date? = Date(timeIntervalSince1970: 1_650_000_000)  // 2022-04-15
    public var expiresAt: Date? = Date(timeIntervalSince1970: 1_700_000_000)  // 2023-11-14
    /// The `hcert` → 1 payload.
    public var payload: CBORValue

    public init(type: CertificateType = .vaccination) {
        payload = Self.payload(type: type)
    }

    public init(payload: CBORValue) {
        self.payload = payload
    }

    /// A moment when the defaults are valid (between iat and exp).
    public static let validAt = Date(timeIntervalSince1970: 1_660_000_000)  // 2022-08-08

    public var claims: CBORValue {
        var entries: [(CBORValue, CBORValue)] = []
        if let issuer { entries.append((.integer(1), .text(issuer))) }
        if let expiresAt { entries.append((.integer(4), .integer(Int64(expiresAt.timeIntervalSince1970)))) }
        if let issuedAt { entries.append((.integer(6), .integer(Int64(issuedAt.timeIntervalSince1970)))) }
        entries.append((.integer(-260), .map([(.integer(1), payload)])))
        return .map(entries)
    }

    public static func payload(type: CertificateType, entry: [(String, CBORValue)]? = nil, version: String = "1.3.0") -> CBORValue {
        .map([
            (.text("ver"), .text(version)),
            (.text("nam"), .map([
                (.text("fn"), .text("Testperson")), (.text("fnt"), .text("TESTPERSON")),
                (.text("gn"), .text("Anna")), (.text("gnt"), .text("ANNA")),
            ])),
            (.text("dob"), .text("1980-01-01")),
            (.text(type.rawValue), .array([.map((entry ?? defaultEntry(type)).map { (.text($0.0), $0.1) })])),
        ])
    }

    public static func defaultEntry(_ type: CertificateType) -> [(String, CBORValue)] {
        let common: [(String, CBORValue)] = [
            ("tg", .text("840539006")), ("co", .text("VN")), ("is", .text("GateCheck Test Issuer")),
            ("ci", .text("URN:UVCI:01:XX:GATECHECKTEST0001")),
        ]
        switch type {
        case .vaccination:
            return common + [
                ("vp", .text("1119349007")), ("mp", .text("EU/1/20/1528")), ("ma", .text("ORG-100030215")),
                ("dn", .integer(2)), ("sd", .integer(2)), ("dt", .text("2022-03-01")),
            ]
        case .test:
            return common + [
                ("tt", .text("LP6464-4")), ("sc", .text("2022-04-14T08:00:00Z")), ("tr", .text("260415000")),
                ("tc", .text("Test Centre")),
            ]
        case .recovery:
            return common + [
                ("fr", .text("2022-01-01")), ("df", .text("2022-01-15")), ("du", .text("2022-12-31")),
            ]
        }
    }
}
