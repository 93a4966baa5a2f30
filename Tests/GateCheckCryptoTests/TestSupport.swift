import Foundation
import HealthCredentialsTesting
@testable import GateCheckCrypto

/// Keys shared across tests: generated once per test process (RSA generation is the slow part).
enum TestKeys {
    static let p256 = try! PrivateKey.generateP256()
    static let otherP256 = try! PrivateKey.generateP256()
    static let p384 = try! PrivateKey.generateP384()
    static let rsa2048 = try! PrivateKey.generateRSA(bits: 2048)
    static let rsa3072 = try! PrivateKey.generateRSA(bits: 3072)
    static let rsa1024 = try! PrivateKey.generateRSA(bits: 1024)
}

/// The EU DCC extended key usage OIDs (both spellings used in the wild).
enum DCCKeyUsage {
    static let test = "1.3.6.1.4.1.1847.2021.1.1"
    static let vaccination = "1.3.6.1.4.1.1847.2021.1.2"
    static let recovery = "1.3.6.1.4.1.1847.2021.1.3"
    static let vaccinationAlt = "1.3.6.1.4.1.0.1847.2021.1.2"
}


extension Array where Element == UInt8 {
    static func random(count: Int, using generator: inout SplitMix64) -> [UInt8] {
        (0..<count).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
    }
}
