import AdmissionRules
import CBOR
import DaemonSupport
import Foundation
import GateCheckCrypto
import GateCheckTestSupport
import HealthCredentials
import HealthCredentialsTesting
import Imaging
import Lamps
import QREncoding
import TrustStore

import Glibc

/// The parts of /sys the gate drives, as plain files: three LED class lamps and a GPIO chip whose lines 17
/// (relay) and 18 (buzzer) are already exported (a plain file cannot create `gpioN` on `export`).
struct FakeGateSysfs {
    static let chipLabel = "pinctrl-gatetest"
    static let chipBase = 512
    static let relayOffset = 17
    static let buzzerOffset = 18
    let root: TemporaryDirectory
    var sysfs: String { root.path + "/sys" }

    init(in root: TemporaryDirectory) throws {
        self.root = root
        for led in ["gatecheck-green", "gatecheck-red", "gatecheck-amber"] {
            try root.write("sys/class/leds/\(led)/brightness", "0\n")
            try root.write("sys/class/leds/\(led)/max_brightness", "1\n")
            try root.write("sys/class/leds/\(led)/trigger", "[default-on] none timer\n")
        }
        try root.write("sys/class/gpio/export", "")
        let chip = "sys/class/gpio/gpiochip\(Self.chipBase)"
        try root.write(chip + "/label", Self.chipLabel + "\n")
        try root.write(chip + "/base", "\(Self.chipBase)\n")
        try root.write(chip + "/ngpio", "54\n")
        for offset in [Self.relayOffset, Self.buzzerOffset] {
            let line = "sys/class/gpio/gpio\(Self.chipBase + offset)"
            try root.write(line + "/direction", "in\n")
            try root.write(line + "/value", "1\n")  // as if left energised: start-up must lock it
            try root.write(line + "/active_low", "0\n")
        }
    }

    /// The `[lamps]` part of a configuration file for this tree.
    var configurationText: String {
        """
        [lamps]
        sysfs_root = "\(sysfs)"
        [lamps.pass]
        backend = "led"
        name = "gatecheck-green"
        [lamps.fail]
        backend = "led"
        name = "gatecheck-red"
        [lamps.fault]
        backend = "led"
        name = "gatecheck-amber"
        [lamps.relay]
        backend = "gpio"
        chip = "\(Self.chipLabel)"
        offset = \(Self.relayOffset)
        [lamps.buzzer]
        backend = "gpio"
        chip = "\(Self.chipLabel)"
        offset = \(Self.buzzerOffset)

        """
    }

    func brightness(_ led: String) throws -> String { try root.read("sys/class/leds/\(led)/brightness") }
    func trigger(_ led: String) throws -> String { try root.read("sys/class/leds/\(led)/trigger") }
    func gpioValue(offset: Int) throws -> String { try root.read("sys/class/gpio/gpio\(Self.chipBase + offset)/value") }
}

/// A PKI made in code for trust bundles: anchor CA, bundle signer, document signers.
struct GateTestPKI {
    let anchor: TestCertificateAuthority
    let bundleSigner: (key: PrivateKey, certificate: Certificate)

    init() throws {
        anchor = try TestCertificateAuthority(commonName: "GateDaemonTests anchor")
        bundleSigner = try anchor.issueSigner(commonName: "GateDaemonTests bundle signer")
    }

    /// Writes the anchor into `directory` (the daemon's anchors_dir).
    func writeAnchor(into root: TemporaryDirectory, folder: String) throws -> String {
        try root.write(folder + "/anchor.pem", TestCertificateAuthority.pem(anchor.certificate))
        return root.path + "/" + folder
    }

    /// A signed bundle with these signers (and rules), valid from a day before `now` for ten years.
    func bundle(
        sequence: UInt64, signers: [TestIssuer], revokedUCIs: [String] = [], rules: RuleSet? = nil, valueSets: ValueSets? = nil,
        now: Date = Date()
    ) throws -> [UInt8] {
        var builder = TrustBundleBuilder(
            sequence: sequence, issuedAt: now.addingTimeInterval(-86_400), notAfter: now.addingTimeInterval(3_650 * 86_400),
            producer: "GateDaemonTests")
        builder.signers = signers.map(\.signer)
        if !revokedUCIs.isEmpty { builder.revocations[.revokedUCI] = revokedUCIs.map(RevocationHash.uci) }
        builder.rules = rules
        builder.valueSets = valueSets
        return try builder.build(signingKey: bundleSigner.key, certificate: bundleSigner.certificate)
    }
}

/// Credentials whose holder is a canary: if any of these strings shows up in a log, counter or file the
/// daemon wrote, personal data leaked.
enum Canary {
    static let familyName = "Quuxbridge-Canary"
    static let familyNameTransliterated = "QUUXBRIDGE<CANARY"
    static let givenName = "Zebulonia"
    static let givenNameTransliterated = "ZEBULONIA"
    static let dateOfBirth = "1917-03-14"
    static let certificateIdentifier = "URN:UVCI:01:XX:CANARYUCI0000001"
    /// Everything that must never leave the credential.
    static let needles = [familyName, "Quuxbridge", "QUUXBRIDGE", givenName, givenNameTransliterated, dateOfBirth, "CANARYUCI"]

    /// A credential of `type` held by the canary, valid now.
    static func credential(_ type: CertificateType = .vaccination, expired: Bool = false) -> TestCredential {
        var entry = TestCredential.defaultEntry(type).filter { $0.0 != "ci" }
        entry.append(("ci", .text(certificateIdentifier)))
        let payload: CBORValue = .map([
            (.text("ver"), .text("1.3.0")),
            (.text("nam"), .map([
                (.text("fn"), .text(familyName)), (.text("fnt"), .text(familyNameTransliterated)),
                (.text("gn"), .text(givenName)), (.text("gnt"), .text(givenNameTransliterated)),
            ])),
            (.text("dob"), .text(dateOfBirth)),
            (.text(type.rawValue), .array([.map(entry.map { (.text($0.0), $0.1) })])),
        ])
        var credential = TestCredential(payload: payload)
        if expired {
            credential.issuedAt = Date().addingTimeInterval(-400 * 86_400)
            credential.expiresAt = Date().addingTimeInterval(-30 * 86_400)
        } else {
            credential.issuedAt = Date().addingTimeInterval(-86_400)
            credential.expiresAt = Date().addingTimeInterval(365 * 86_400)
        }
        return credential
    }

    /// Every needle found in `text`.
    static func hits(in text: String) -> [String] {
        needles.filter { text.contains($0) }
    }
}

/// A 640×480 PGM frame showing `payload` as a QR code, as the replay source reads them.
@discardableResult
func frameFile(_ payload: String, in root: TemporaryDirectory, named name: String) throws -> String {
    guard let image = QRCodeImage.image(Array(payload.utf8), moduleSize: 3, canvasWidth: 640, canvasHeight: 480) else {
        throw POSIXError(.EINVAL)
    }
    var bytes = Array("P5\n\(image.width) \(image.height)\n255\n".utf8)
    for row in 0..<image.height {
        bytes += image.pixels[(row * image.bytesPerRow)..<(row * image.bytesPerRow + image.width)]
    }
    return try root.write(name, bytes)
}

/// A bound AF_UNIX datagram socket standing in for systemd's notify socket; collects every message.
final class NotifyCollector: @unchecked Sendable {
    private let fd: Int32
    let path: String
    private let lock = NSLock()
    private var received: [String] = []
    private var thread: Thread?
    private var stopped = false

    init(path: String) throws {
        self.path = path
        fd = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw POSIXError(.EIO) }
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        let bytes = Array(path.utf8) + [0]
        withUnsafeMutableBytes(of: &address.sun_path) { $0.copyBytes(from: bytes) }
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        guard bound == 0 else { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO) }
        var timeout = timeval(tv_sec: 0, tv_usec: 100_000)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        let thread = Thread { [self] in receiveLoop() }
        self.thread = thread
        thread.start()
    }

    deinit { close(fd) }

    func stop() {
        lock.withLock { stopped = true }
        Thread.sleep(forTimeInterval: 0.2)
    }

    var messages: [String] { lock.withLock { received } }

    /// Every `KEY=value` line received so far.
    var lines: [String] { messages.flatMap { $0.split(separator: "\n").map(String.init) } }

    private func receiveLoop() {
        var buffer = [UInt8](repeating: 0, count: 4096)
        while !lock.withLock({ stopped }) {
            let count = recv(fd, &buffer, buffer.count, 0)
            if count > 0 {
                let message = String(decoding: buffer[0..<count], as: UTF8.self)
                lock.withLock { received.append(message) }
            }
        }
    }
}
