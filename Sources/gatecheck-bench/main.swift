import Foundation
import GateCheckCrypto
import HealthCredentials
import HealthCredentialsTesting

// Benchmarks for the verification core. Run with `make bench` (release build).
// Reports microseconds per operation as the median of several rounds, and compares a full
// decode-and-verify of an ES256 HC1 payload with a bare ECDSA P-256 verify; then every credential format's
// decode and full cost against that HC1 figure (FormatsBenchmark.swift; alone with --formats).

func measure(_ name: String, iterations: Int, rounds: Int = 7, _ body: () -> Void) -> Double {
    for _ in 0..<(iterations / 10) { body() }  // warm-up
    var perOperation: [Double] = []
    let clock = ContinuousClock()
    for _ in 0..<rounds {
        let elapsed = clock.measure { for _ in 0..<iterations { body() } }
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        perOperation.append(seconds / Double(iterations) * 1e6)
    }
    let median = perOperation.sorted()[rounds / 2]
    print(name.padding(toLength: 52, withPad: " ", startingAt: 0), String(format: "%9.2f µs", median))
    return median
}

/// `openssl speed ecdsap256` verify time, when the openssl command is installed.
func opensslSpeedVerifyMicroseconds() -> Double? {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/openssl")
    process.arguments = ["speed", "-seconds", "3", "ecdsap256"]
    let output = Pipe()
    process.standardOutput = output
    process.standardError = Pipe()
    guard (try? process.run()) != nil else { return nil }
    let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    process.waitUntilExit()
    // Last line: " 256 bits ecdsa (nistp256)   0.0000s   0.0001s  52734.8  15689.3": the last column is verifies per second.
    guard let line = text.split(separator: "\n").last(where: { $0.contains("nistp256") }),
          let perSecond = line.split(separator: " ").last.flatMap({ Double($0) }), perSecond > 0
    else { return nil }
    return 1e6 / perSecond
}

let context = VerificationContext(now: TestCredential.validAt)
let es256 = try TestIssuer(algorithm: .es256)
let ps256 = try TestIssuer(algorithm: .ps256)
let es256Payload = try es256.hc1(TestCredential(type: .vaccination))
let ps256Payload = try ps256.hc1(TestCredential(type: .vaccination))
let es256Verifier = HC1Verifier(trustList: es256.trustList)
let ps256Verifier = HC1Verifier(trustList: ps256.trustList)
precondition(es256Verifier.verify(payload: es256Payload, in: context).verdict == .pass)
precondition(ps256Verifier.verify(payload: ps256Payload, in: context).verdict == .pass)

let message = try COSESign1(decoding: HC1Encoding.coseBytes(fromPayload: Array(es256Payload.utf8)))
let signedBytes = message.signedBytes
let payloadBytes = Array(es256Payload.utf8)

if CommandLine.arguments.contains("--revocation") {
    runRevocationBenchmark(entries: 10_000_000)
    exit(0)
}

if CommandLine.arguments.contains("--scan") { runScanBenchmark(); exit(0) }

if CommandLine.arguments.contains("--rules") {
    runRulesBenchmark(reference: es256Verifier, payload: es256Payload, context: context)
    exit(0)
}

if CommandLine.arguments.contains("--formats") {
    try runFormatsBenchmark()
    exit(0)
}

if CommandLine.arguments.contains("--profile-es256") {
    // A long loop of the full ES256 path alone, for perf or callgrind.
    var passes = 0
    for _ in 0..<50_000 where es256Verifier.verify(payload: Array(es256Payload.utf8), in: context).verdict == .pass { passes += 1 }
    print("passes: \(passes)")
    exit(0)
}

print("GateCheck verification benchmark (payload \(es256Payload.utf8.count) characters)")
var sink = 0
let bareVerify = measure("ECDSA P-256 verify (GateCheckCrypto → OpenSSL)", iterations: 5_000) {
    if es256.key.publicKey.verify(signature: message.signature, for: signedBytes, algorithm: .es256) == .valid { sink += 1 }
}
_ = measure("decode only: HC1 → Base45 → zlib → COSE → CWT", iterations: 20_000) {
    if let cose = try? HC1Encoding.coseBytes(fromPayload: payloadBytes), let m = try? COSESign1(decoding: cose),
       (try? CWTClaims(decoding: m.payload)) != nil { sink += 1 }
}
let fullES256 = measure("full decode + verify, ES256 HC1", iterations: 5_000) {
    if es256Verifier.verify(payload: payloadBytes, in: context).verdict == .pass { sink += 1 }
}
_ = measure("full decode + verify, PS256 HC1 (RSA-2048)", iterations: 5_000) {
    if ps256Verifier.verify(payload: ps256Payload, in: context).verdict == .pass { sink += 1 }
}
print(String(format: "ratio full ES256 / bare ECDSA verify: %.2f×", fullES256 / bareVerify))
if let speed = opensslSpeedVerifyMicroseconds() {
    print(String(format: "openssl speed ecdsap256 verify: %.2f µs; ratio full ES256 / openssl speed: %.2f×", speed, fullES256 / speed))
}
precondition(sink > 0)
print("")
try runFormatsBenchmark()
