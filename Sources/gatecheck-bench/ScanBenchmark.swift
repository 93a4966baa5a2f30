import CBOR
import CodeScanning
import Foundation
import HealthCredentials
import HealthCredentialsTesting
import Imaging
import QREncoding

// Scan benchmark (`gatecheck-bench --scan`, issue 4 §6): zbar through QRScanner against a direct zbar call,
// the decode rate on a deterministic degraded corpus, retry pre-processing on the frames that failed, and
// scan + verify per payload. All frames are 640×480 or 1280×720: sizes whose pixel count is a multiple of 8,
// which ZBarBaseline requires (zbar's inverted pass overruns otherwise).

/// Runs the scan benchmark and prints its tables.
func runScanBenchmark() {
    do {
        try scanBenchmark()
    } catch {
        fatalError("scan benchmark failed: \(error)")
    }
}

private func milliseconds(_ duration: Duration) -> Double {
    Double(duration.components.seconds) * 1e3 + Double(duration.components.attoseconds) / 1e15
}

private func median(_ values: [Double]) -> Double {
    let sorted = values.sorted()
    return sorted.isEmpty ? .nan : sorted[sorted.count / 2]
}

private func mean(_ values: [Double]) -> Double {
    values.isEmpty ? .nan : values.reduce(0, +) / Double(values.count)
}

private func column(_ text: String, _ width: Int) -> String {
    text.count >= width ? text : text + String(repeating: " ", count: width - text.count)
}

private func rightColumn(_ text: String, _ width: Int) -> String {
    text.count >= width ? text : String(repeating: " ", count: width - text.count) + text
}

/// A vaccination credential whose issuer field is padded with incompressible characters until the HC1 string
/// is at least `characters` long (the schema allows 256 characters there).
private func paddedPayload(issuer: TestIssuer, characters: Int) throws -> String {
    var generator = SplitMix64(seed: 0x5CA9_0001)
    let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 ")
    var padding = ""
    while true {
        var entry = TestCredential.defaultEntry(.vaccination)
        entry.removeAll { $0.0 == "is" }
        entry.append(("is", .text("Ministry of Health " + padding)))
        let credential = TestCredential(payload: TestCredential.payload(type: .vaccination, entry: entry))
        let payload = try issuer.hc1(credential)
        if payload.utf8.count >= characters || padding.count >= 230 { return payload }
        for _ in 0..<4 { padding.append(alphabet[Int(generator.next() % UInt64(alphabet.count))]) }
    }
}

/// One scan method under test; returns whether it found the code.
private enum Method: CaseIterable {
    case baseline, wrapperLuminance, wrapperImage
}

private func scanBenchmark() throws {
    let issuer = try TestIssuer(algorithm: .es256)
    let verifier = HC1Verifier(trustList: issuer.trustList)
    let context = VerificationContext(now: TestCredential.validAt)
    // (c) verifies a real signed credential padded to ~600 characters. ECDSA keys and signatures are random, so
    // the frames of (a) and (b) carry a fixed HC1-shaped payload of the same length instead ("HC1:" + Base45 of
    // seeded random bytes, which look like zlib output to the QR encoder): the same modules on every run.
    let signedPayload = Array(try paddedPayload(issuer: issuer, characters: 600).utf8)
    precondition(verifier.verify(payload: signedPayload, in: context).verdict == .pass, "padded credential must pass")
    var payloadGenerator = SplitMix64(seed: 0x4C1_0600)
    let payload = HC1Encoding.prefix + Base45.encode((0..<401).map { _ in UInt8(truncatingIfNeeded: payloadGenerator.next()) })
    let payloadBytes = Array(payload.utf8)
    guard let matrix = QRCodeImage.matrix(payloadBytes), QRCodeImage.matrix(signedPayload)?.version == matrix.version
    else { fatalError("payload does not fit a QR code of the signed payload's version") }
    // The same payload in one alphanumeric segment (as many issuers print DCCs): a smaller code, the only way a
    // ~600-character HC1 code fits a 720-row frame at 8 px/module.
    guard let alphanumeric = QRCodeImage.matrix(text: payload) else { fatalError("payload does not fit a QR code") }

    let scanner = try QRScanner()
    guard let baseline = ZBarBaseline() else { fatalError("zbar scanner could not be created") }
    print("GateCheck scan benchmark: HC1 payload \(payloadBytes.count) characters (signed one for (c): \(signedPayload.count)), "
        + "QR version \(matrix.version) (\(matrix.size)×\(matrix.size) modules), ECC Q, byte mode; "
        + "zbar QR-only, binary, test-inverted, density 1")

    // (a) Wrapper overhead on clean frames.
    print("\n(a) per-frame scan time, clean frame, median of 200 interleaved scans per method")
    print([column("frame", 22), rightColumn("baseline", 10), rightColumn("luminance", 10), rightColumn("GreyImage", 10),
           rightColumn("lum/base", 9), rightColumn("img/base", 9)].joined(separator: " "))
    for (width, height, moduleSize) in [(640, 480, 4), (1280, 720, 6)] {
        guard let frame = QRCodeImage.image(payloadBytes, moduleSize: moduleSize, canvasWidth: width, canvasHeight: height),
            frame.width == width, frame.height == height
        else { fatalError("code does not fit \(width)×\(height)") }
        precondition(scanner.scan(frame).first?.payload == payloadBytes, "wrapper must decode the clean frame")
        let found = frame.pixels.withUnsafeBytes { baseline.firstSymbolLength(luminance: $0, width: width, height: height) }
        precondition(found == payloadBytes.count, "baseline must decode the clean frame")

        var times: [Method: [Double]] = [:]
        var sink = 0
        let clock = ContinuousClock()
        for round in 0..<220 {
            let methods = Method.allCases
            for offset in 0..<methods.count {
                let method = methods[(round + offset) % methods.count]
                let elapsed = clock.measure {
                    switch method {
                    case .baseline:
                        sink += frame.pixels.withUnsafeBytes {
                            baseline.firstSymbolLength(luminance: $0, width: width, height: height) ?? 0
                        }
                    case .wrapperLuminance:
                        sink += frame.pixels.withUnsafeBytes {
                            scanner.scan(luminance: $0, width: width, height: height, bytesPerRow: width).count
                        }
                    case .wrapperImage:
                        sink += scanner.scan(frame).count
                    }
                }
                if round >= 20 { times[method, default: []].append(milliseconds(elapsed)) }
            }
        }
        precondition(sink > 0)
        let base = median(times[.baseline]!)
        let luminance = median(times[.wrapperLuminance]!)
        let image = median(times[.wrapperImage]!)
        print([
            column("\(width)×\(height), \(moduleSize) px/mod", 22),
            rightColumn(String(format: "%.2f ms", base), 10), rightColumn(String(format: "%.2f ms", luminance), 10),
            rightColumn(String(format: "%.2f ms", image), 10), rightColumn(String(format: "%.3f", luminance / base), 9),
            rightColumn(String(format: "%.3f", image / base), 9),
        ].joined(separator: " "))
    }

    // (b) + (d) Degraded corpus on 1280×720 and retries on the frames that failed.
    let variants = 20
    let canvasWidth = 1280
    let canvasHeight = 720
    struct Case {
        let name: String
        let moduleSize: Int
        let payload: [UInt8]
        /// Drawn instead of the byte-mode code when set.
        var matrix: QRCodeImage.Matrix? = nil
        let make: (inout SplitMix64) -> FrameDegradation
    }
    func jitter(_ generator: inout SplitMix64, _ range: ClosedRange<Double>) -> Double {
        range.lowerBound + (range.upperBound - range.lowerBound) * (Double(generator.next() >> 11) * 0x1p-53)
    }
    let cases: [Case] = [
        Case(name: "clean", moduleSize: 4, payload: payloadBytes) { g in FrameDegradation(scale: jitter(&g, 0.9...1.1)) },
        Case(name: "rotated 15°", moduleSize: 4, payload: payloadBytes) { g in
            FrameDegradation(rotationDegrees: 15 + jitter(&g, -1...1), scale: jitter(&g, 0.9...1.1))
        },
        Case(name: "rotated 30°", moduleSize: 4, payload: payloadBytes) { g in
            FrameDegradation(rotationDegrees: 30 + jitter(&g, -1...1), scale: jitter(&g, 0.9...1.1))
        },
        Case(name: "rotated 45°", moduleSize: 4, payload: payloadBytes) { g in
            FrameDegradation(rotationDegrees: 45 + jitter(&g, -1...0), scale: jitter(&g, 0.9...1.05))
        },
        Case(name: "perspective 10-20%", moduleSize: 4, payload: payloadBytes) { g in
            FrameDegradation(keystone: jitter(&g, 0.10...0.20), scale: jitter(&g, 0.9...1.1))
        },
        Case(name: "blur r1 ×3", moduleSize: 4, payload: payloadBytes) { g in
            FrameDegradation(scale: jitter(&g, 0.9...1.1), blurRadius: 1)
        },
        Case(name: "blur r2 ×3", moduleSize: 4, payload: payloadBytes) { g in
            FrameDegradation(scale: jitter(&g, 0.9...1.1), blurRadius: 2)
        },
        Case(name: "noise σ15-30", moduleSize: 4, payload: payloadBytes) { g in
            FrameDegradation(scale: jitter(&g, 0.9...1.1), noiseSigma: jitter(&g, 15...30))
        },
        Case(name: "low contrast ~100-160", moduleSize: 4, payload: payloadBytes) { g in
            let low = Int(jitter(&g, 95...110))
            return FrameDegradation(scale: jitter(&g, 0.9...1.1), noiseSigma: 4, contrast: low...(low + Int(jitter(&g, 50...60))))
        },
        Case(name: "inverted (dark mode)", moduleSize: 4, payload: payloadBytes) { g in
            FrameDegradation(scale: jitter(&g, 0.9...1.1), inverted: true)
        },
        Case(name: "small 2 px/module", moduleSize: 2, payload: payloadBytes) { g in
            FrameDegradation(scale: jitter(&g, 1.0...1.1))
        },
        Case(name: "large 6 px/module", moduleSize: 6, payload: payloadBytes) { g in
            FrameDegradation(scale: jitter(&g, 0.97...1.0))
        },
        Case(name: "large 8 px/mod, V\(alphanumeric.version) AN", moduleSize: 8, payload: payloadBytes, matrix: alphanumeric) { g in
            FrameDegradation(scale: jitter(&g, 0.97...1.0))
        },
        Case(name: "mixed", moduleSize: 4, payload: payloadBytes) { g in
            let low = Int(jitter(&g, 0...80))
            return FrameDegradation(
                rotationDegrees: jitter(&g, 0...30), keystone: jitter(&g, 0...0.08), scale: jitter(&g, 0.8...1.05),
                blurRadius: 1, blurPasses: 1 + Int(g.next() % 2), noiseSigma: jitter(&g, 4...12),
                contrast: low...(255 - Int(jitter(&g, 0...80))), inverted: g.next() % 4 == 0)
        },
    ]

    struct Retry {
        let name: String
        let transform: (GreyImage) -> GreyImage?
    }
    let retries: [Retry] = [
        Retry(name: "halved") { $0.halved() },
        Retry(name: "stretched") { $0.contrastStretched() },
        Retry(name: "doubled") { $0.doubled() },
    ]

    print("\n(b) degraded corpus: \(variants) deterministic variants per class on \(canvasWidth)×\(canvasHeight), "
        + "QRScanner.scan(GreyImage)")
    print("(d) retries run only on frames the first scan missed: extra decodes / frames retried, mean extra ms per retried frame")
    var header = [column("class", 24), rightColumn("decoded", 8), rightColumn("mean ms", 8), rightColumn("median", 8)]
    for retry in retries { header.append(rightColumn(retry.name, 17)) }
    print(header.joined(separator: " "))

    var totalDecoded = 0
    var totalFrames = 0
    var allTimes: [Double] = []
    var retryTotals = Array(repeating: (decodes: 0, tried: 0, milliseconds: 0.0), count: retries.count)
    var wrongPayloads = 0
    let clock = ContinuousClock()
    for (caseIndex, testCase) in cases.enumerated() {
        let drawn = testCase.matrix.map { QRCodeImage.image($0, moduleSize: testCase.moduleSize, margin: 2) }
            ?? QRCodeImage.image(testCase.payload, moduleSize: testCase.moduleSize)
        guard let code = drawn else {
            fatalError("cannot draw \(testCase.name)")
        }
        var generator = SplitMix64(seed: 0xD15C_0000 &+ UInt64(caseIndex))
        var decoded = 0
        var times: [Double] = []
        var retryStats = Array(repeating: (decodes: 0, tried: 0, milliseconds: 0.0), count: retries.count)
        for _ in 0..<variants {
            var degradation = testCase.make(&generator)
            // Keep the whole code on the canvas: shrink the scale if the tilted, rotated code would not fit.
            let angle = degradation.rotationDegrees * Double.pi / 180
            let extent = Double(code.width) * (abs(cos(angle)) + abs(sin(angle)))
            degradation.scale = min(degradation.scale, Double(canvasHeight) / extent)
            let half = extent * degradation.scale / 2
            let centreX = jitter(&generator, half...(Double(canvasWidth) - half))
            let centreY = jitter(&generator, half...(Double(canvasHeight) - half))
            let frame = degradation.render(
                code, canvasWidth: canvasWidth, canvasHeight: canvasHeight, centreX: centreX, centreY: centreY,
                using: &generator)

            var codes: [ScannedCode] = []
            let elapsed = clock.measure { codes = scanner.scan(frame) }
            times.append(milliseconds(elapsed))
            if let first = codes.first {
                if first.payload == testCase.payload { decoded += 1 } else { wrongPayloads += 1 }
                continue
            }
            for (index, retry) in retries.enumerated() {
                var retried: [ScannedCode] = []
                let retryElapsed = clock.measure {
                    if let prepared = retry.transform(frame) { retried = scanner.scan(prepared) }
                }
                retryStats[index].tried += 1
                retryStats[index].milliseconds += milliseconds(retryElapsed)
                if let first = retried.first {
                    if first.payload == testCase.payload { retryStats[index].decodes += 1 } else { wrongPayloads += 1 }
                }
            }
        }
        totalDecoded += decoded
        totalFrames += variants
        allTimes += times
        var row = [
            column(testCase.name, 24), rightColumn("\(decoded)/\(variants)", 8),
            rightColumn(String(format: "%.1f", mean(times)), 8), rightColumn(String(format: "%.1f", median(times)), 8),
        ]
        for (index, stats) in retryStats.enumerated() {
            retryTotals[index].decodes += stats.decodes
            retryTotals[index].tried += stats.tried
            retryTotals[index].milliseconds += stats.milliseconds
            row.append(rightColumn(
                stats.tried == 0
                    ? "-" : String(format: "+%d/%d %5.1fms", stats.decodes, stats.tried, stats.milliseconds / Double(stats.tried)),
                17))
        }
        print(row.joined(separator: " "))
    }
    var totalRow = [
        column("total", 24), rightColumn("\(totalDecoded)/\(totalFrames)", 8),
        rightColumn(String(format: "%.1f", mean(allTimes)), 8), rightColumn(String(format: "%.1f", median(allTimes)), 8),
    ]
    for stats in retryTotals {
        totalRow.append(rightColumn(
            stats.tried == 0
                ? "-" : String(format: "+%d/%d %5.1fms", stats.decodes, stats.tried, stats.milliseconds / Double(stats.tried)),
            17))
    }
    print(totalRow.joined(separator: " "))
    print("wrong payloads decoded: \(wrongPayloads)")

    // (c) Scan + verify per payload.
    guard let frame = QRCodeImage.image(signedPayload, moduleSize: 4, canvasWidth: 640, canvasHeight: 480) else {
        fatalError("cannot draw the 640×480 frame")
    }
    var scanAndVerify: [Double] = []
    var verifyOnly: [Double] = []
    var passes = 0
    for round in 0..<220 {
        var verdict: VerificationReport.Verdict?
        let total = clock.measure {
            if let scanned = scanner.scan(frame).first {
                verdict = verifier.verify(payload: scanned.payload, in: context).verdict
            }
        }
        let alone = clock.measure {
            if verifier.verify(payload: signedPayload, in: context).verdict == .pass { passes += 1 }
        }
        precondition(verdict == .pass)
        if round >= 20 {
            scanAndVerify.append(milliseconds(total))
            verifyOnly.append(milliseconds(alone))
        }
    }
    precondition(passes == 220)
    print("\n(c) decode + verify per payload (640×480 frame, ES256, \(signedPayload.count) characters), median of 200")
    print(String(format: "scan + HC1 verify: %.2f ms; HC1 verify alone: %.3f ms", median(scanAndVerify), median(verifyOnly)))
}
