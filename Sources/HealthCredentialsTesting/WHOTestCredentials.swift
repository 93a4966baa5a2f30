import CBOR
import Foundation
import HealthCredentials

/// WHO HCERT credentials made in code (a DVC, a DDCC:VS, a DDCC:TR), as CWT claims for ``TestIssuer/hc1(claims:kidPlacement:corruptSignature:)``.
/// The holder is fictitious; the codes are ICD-11 (yellow fever `1D47`, its vaccine `XM0N24`).
public enum WHOTestCredentials {
    /// 2024-09-01: inside `dvc()`'s default validity period and after its `iat`.
    public static let validAt = Date(timeIntervalSince1970: 1_725_148_800)
    static let issuedAt = Date(timeIntervalSince1970: 1_722_470_400)  // 2024-08-01

    /// The DVC entry (−260 → −6). `vls`/`vle` are left out when nil.
    public static func dvcEntry(validFrom: String? = "2024-01-01", validUntil: String? = "2034-01-01") -> CBORValue {
        var vaccination: [(CBORValue, CBORValue)] = [
            (.text("dn"), .text("1")), (.text("tg"), .text("1D47")), (.text("vp"), .text("XM0N24")), (.text("mp"), .text("YF-VAX")),
            (.text("ma"), .text("Test Manufacturer")), (.text("dt"), .text("2024-01-01")), (.text("bo"), .text("LOT-0001")),
            (.text("cn"), .text("Test Clinician")), (.text("is"), .text("Test Issuer")),
        ]
        if let validFrom { vaccination.append((.text("vls"), .text(validFrom))) }
        if let validUntil { vaccination.append((.text("vle"), .text(validUntil))) }
        return .map([
            (.text("n"), .text("Test Holder")), (.text("dob"), .text("1990-01-01")), (.text("s"), .text("F")), (.text("ntl"), .text("XX")),
            (.text("v"), .map(vaccination)),
        ])
    }

    /// A DDCC:VS core data set (−260 → 3), its certificate valid from 2024-01-01 to `validUntil`.
    public static func ddccVSEntry(validUntil: String = "2034-01-01") -> CBORValue {
        .map([
            (.text("name"), .text("Test Holder")), (.text("birthDate"), .text("1990-01-01")),
            (.text("vaccination"), .map([(.text("date"), .text("2024-01-01")), (.text("dose"), .integer(1))])),
            (.text("certificate"), .map([(.text("period"), .map([(.text("start"), .text("2024-01-01")), (.text("end"), .text(validUntil))]))])),
        ])
    }

    /// A DDCC:TR core data set (−260 → 4).
    public static func ddccTREntry() -> CBORValue {
        .map([
            (.text("name"), .text("Test Holder")), (.text("birthDate"), .text("1990-01-01")),
            (.text("test"), .map([(.text("date"), .text("2024-08-30T10:00:00Z")), (.text("result"), .text("negative"))])),
        ])
    }

    /// CWT claims holding `entries` under −260 (key → entry), issued 2024-08-01, with `exp` only when given.
    public static func claims(_ entries: [(Int64, CBORValue)], issuer: String = "XX", expiresAt: Date? = nil) -> CBORValue {
        var claims: [(CBORValue, CBORValue)] = [
            (.integer(1), .text(issuer)), (.integer(6), .integer(Int64(issuedAt.timeIntervalSince1970))),
        ]
        if let expiresAt { claims.append((.integer(4), .integer(Int64(expiresAt.timeIntervalSince1970)))) }
        claims.append((.integer(-260), .map(entries.map { (.integer($0.0), $0.1) })))
        return .map(claims)
    }

    /// A DVC's claims.
    public static func dvc(validFrom: String? = "2024-01-01", validUntil: String? = "2034-01-01") -> CBORValue {
        claims([(-6, dvcEntry(validFrom: validFrom, validUntil: validUntil))])
    }
}
