import CBOR
import CodeScanning
import Foundation
import Frames
import HealthCredentials
import HealthCredentialsTesting
import Imaging
import Lamps
import QREncoding
import ScanPipeline
import SystemCalls

// Scan benchmark (`gatecheck-bench --scan`, issue 4 §6): zbar through QRScanner against a direct zbar call,
// the decode rate on a deterministic degraded corpus, the scan cascade against raw zbar and zxing-cpp with each rung's cost, and
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

    // (b) + (d) Degraded corpus on 1280×720: the cascade, raw zbar, zxing-cpp, and each rung.
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
        Case(name: "motion blur 7-13 px", moduleSize: 4, payload: payloadBytes) { g in
            FrameDegradation(
                scale: jitter(&g, 0.9...1.1), noiseSigma: 3, motionBlurLength: 7 + Int(g.next() % 7),
                motionBlurDegrees: jitter(&g, -20...20))
        },
        Case(name: "perspective 20-30%", moduleSize: 4, payload: payloadBytes) { g in
            FrameDegradation(rotationDegrees: jitter(&g, -5...5), keystone: jitter(&g, 0.20...0.30), scale: jitter(&g, 0.9...1.1))
        },
        Case(name: "mixed", moduleSize: 4, payload: payloadBytes) { g in
            let low = Int(jitter(&g, 0...80))
            return FrameDegradation(
                rotationDegrees: jitter(&g, 0...30), keystone: jitter(&g, 0...0.08), scale: jitter(&g, 0.8...1.05),
                blurRadius: 1, blurPasses: 1 + Int(g.next() % 2), noiseSigma: jitter(&g, 4...12),
                contrast: low...(255 - Int(jitter(&g, 0...80))), inverted: g.next() % 4 == 0)
        },
    ]

    // GateCheck: one cascade for the whole run, as the daemon keeps one (camera rungs, default budget), so what
    // it learned on one kind carries into the next. Raw zbar: one QRScanner.scan of the frame as captured (the
    // wrapper costs nothing measurable over a bare zbar call, see (a)). Unbudgeted: the same rungs without a
    // time limit, run on the frames the budgeted cascade missed. zxing-cpp: the same frames, written as PGM
    // files and read by the PyPI wheel in a venv under .build/ (never a product dependency).
    let cascade = try ScanCascade(budget: ScanCascade.defaultBudget)
    let unbudgeted = try ScanCascade(budget: .seconds(60))
    let rawScanner = try QRScanner()
    let frameDirectory = FileManager.default.currentDirectoryPath + "/.build/scan-bench-frames"
    try? FileManager.default.removeItem(atPath: frameDirectory)
    try FileManager.default.createDirectory(atPath: frameDirectory, withIntermediateDirectories: true)

    struct KindResult {
        let name: String
        var frames = 0
        var gateCheckReads = 0
        var gateCheckTimes: [Double] = []
        var rawReads = 0
        var rawTimes: [Double] = []
        var unbudgetedReads = 0
        var files: [String] = []
    }
    var kinds: [KindResult] = []
    var rungStats: [ScanRung: (tried: Int, reads: Int, times: [Double])] = [:]
    var rescueStats: [ScanRung: (tried: Int, reads: Int, times: [Double])] = [:]
    func tally(_ attempts: [ScanCascade.Result.Attempt], into table: inout [ScanRung: (tried: Int, reads: Int, times: [Double])]) {
        for attempt in attempts {
            var stats = table[attempt.rung] ?? (0, 0, [])
            stats.tried += 1
            stats.reads += attempt.codeCount > 0 ? 1 : 0
            stats.times.append(milliseconds(attempt.duration))
            table[attempt.rung] = stats
        }
    }
    var overBudget = 0
    var wrongPayloads = 0
    let clock = ContinuousClock()
    for (caseIndex, testCase) in cases.enumerated() {
        let drawn = testCase.matrix.map { QRCodeImage.image($0, moduleSize: testCase.moduleSize, margin: 2) }
            ?? QRCodeImage.image(testCase.payload, moduleSize: testCase.moduleSize)
        guard let code = drawn else {
            fatalError("cannot draw \(testCase.name)")
        }
        var generator = SplitMix64(seed: 0xD15C_0000 &+ UInt64(caseIndex))
        var kind = KindResult(name: testCase.name)
        for variant in 0..<variants {
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
            kind.frames += 1

            var raw: [ScannedCode] = []
            kind.rawTimes.append(milliseconds(clock.measure { raw = rawScanner.scan(frame) }))
            if let first = raw.first {
                if first.payload == testCase.payload { kind.rawReads += 1 } else { wrongPayloads += 1 }
            }

            var result: ScanCascade.Result?
            kind.gateCheckTimes.append(milliseconds(clock.measure { result = cascade.scan(frame) }))
            guard let result else { continue }
            tally(result.attempts, into: &rungStats)
            if result.budgetExhausted { overBudget += 1 }
            if let first = result.codes.first {
                if first.payload == testCase.payload {
                    kind.gateCheckReads += 1
                    kind.unbudgetedReads += 1
                } else {
                    wrongPayloads += 1
                }
            } else {
                let rescue = unbudgeted.scan(frame)
                tally(rescue.attempts, into: &rescueStats)
                if let first = rescue.codes.first {
                    if first.payload == testCase.payload { kind.unbudgetedReads += 1 } else { wrongPayloads += 1 }
                }
            }

            let file = "\(frameDirectory)/\(caseIndex)-\(variant).pgm"
            var pgm = Data("P5\n\(frame.width) \(frame.height)\n255\n".utf8)
            pgm.append(contentsOf: frame.pixels)
            try pgm.write(to: URL(fileURLWithPath: file))
            kind.files.append(file)
        }
        kinds.append(kind)
    }
    try Data(payloadBytes).write(to: URL(fileURLWithPath: frameDirectory + "/expected.txt"))
    let zxing = zxingResults(directory: frameDirectory)

    print("\n(b) degraded frames: \(variants) deterministic variants per kind on \(canvasWidth)×\(canvasHeight); frames read, "
        + "median ms per frame. GateCheck = ScanCascade (rungs \(ScanCascade.cameraRungs.map(\.rawValue).joined(separator: ", ")), "
        + "budget \(milliseconds(ScanCascade.defaultBudget)) ms); raw zbar = one QRScanner.scan; unbudgeted = the same rungs without a "
        + "time limit")
    print([column("kind", 24), rightColumn("GateCheck", 10), rightColumn("median", 8), rightColumn("raw zbar", 9),
           rightColumn("median", 8), rightColumn("zxing-cpp", 10), rightColumn("median", 8), rightColumn("unbudgeted", 11)]
        .joined(separator: " "))
    var totals = (frames: 0, gateCheck: 0, raw: 0, zxing: 0, unbudgeted: 0)
    var allGateCheck: [Double] = []
    var allRaw: [Double] = []
    var allZXing: [Double] = []
    for kind in kinds {
        let zxingRows = kind.files.compactMap { zxing?[$0] }
        let zxingReads = zxingRows.filter(\.read).count
        let zxingTimes = zxingRows.map(\.milliseconds)
        totals.frames += kind.frames
        totals.gateCheck += kind.gateCheckReads
        totals.raw += kind.rawReads
        totals.zxing += zxingReads
        totals.unbudgeted += kind.unbudgetedReads
        allGateCheck += kind.gateCheckTimes
        allRaw += kind.rawTimes
        allZXing += zxingTimes
        print([
            column(kind.name, 24), rightColumn("\(kind.gateCheckReads)/\(kind.frames)", 10),
            rightColumn(String(format: "%.1f", median(kind.gateCheckTimes)), 8), rightColumn("\(kind.rawReads)", 9),
            rightColumn(String(format: "%.1f", median(kind.rawTimes)), 8),
            rightColumn(zxing == nil ? "-" : "\(zxingReads)", 10),
            rightColumn(zxing == nil ? "-" : String(format: "%.1f", median(zxingTimes)), 8),
            rightColumn("\(kind.unbudgetedReads)", 11),
        ].joined(separator: " "))
    }
    print([
        column("total", 24), rightColumn("\(totals.gateCheck)/\(totals.frames)", 10),
        rightColumn(String(format: "%.1f", median(allGateCheck)), 8), rightColumn("\(totals.raw)", 9),
        rightColumn(String(format: "%.1f", median(allRaw)), 8), rightColumn(zxing == nil ? "-" : "\(totals.zxing)", 10),
        rightColumn(zxing == nil ? "-" : String(format: "%.1f", median(allZXing)), 8), rightColumn("\(totals.unbudgeted)", 11),
    ].joined(separator: " "))
    print(String(format: "median per frame: GateCheck / raw zbar = %.2f", median(allGateCheck) / median(allRaw))
        + (zxing == nil ? "" : String(format: ", GateCheck / zxing-cpp = %.2f", median(allGateCheck) / median(allZXing)))
        + "; frames that spent the budget with rungs untried: \(overBudget); wrong payloads decoded: \(wrongPayloads)")
    if zxing == nil { print("zxing-cpp: not available (pip could not install the wheel into .build/zxing-venv)") }

    print("\n(d) cascade rungs over all frames above: times tried, frames read, cost per try (preparing the picture + zbar), "
        + "Pi 4 estimate at 3–4× this machine")
    print([column("rung", 18), rightColumn("tried", 6), rightColumn("read", 6), rightColumn("mean ms", 8),
           rightColumn("median", 8), rightColumn("Pi 4 median", 12), rightColumn("unbudgeted on misses: tried", 28),
           rightColumn("read", 5)].joined(separator: " "))
    for rung in ScanCascade.cameraRungs {
        guard let stats = rungStats[rung] else {
            print([column(rung.rawValue, 18), rightColumn("0", 6), String(repeating: " ", count: 37),
                   rightColumn("\(rescueStats[rung]?.tried ?? 0)", 28), rightColumn("\(rescueStats[rung]?.reads ?? 0)", 5)]
                .joined(separator: " "))
            continue
        }
        let middle = median(stats.times)
        print([
            column(rung.rawValue, 18), rightColumn("\(stats.tried)", 6), rightColumn("\(stats.reads)", 6),
            rightColumn(String(format: "%.1f", mean(stats.times)), 8), rightColumn(String(format: "%.1f", middle), 8),
            rightColumn(String(format: "%.0f–%.0f ms", 3 * middle, 4 * middle), 12),
            rightColumn("\(rescueStats[rung]?.tried ?? 0)", 28), rightColumn("\(rescueStats[rung]?.reads ?? 0)", 5),
        ].joined(separator: " "))
    }
    // The image operations alone, on one 1280×720 frame (median of 50).
    if let sample = QRCodeImage.image(payloadBytes, moduleSize: 4, canvasWidth: canvasWidth, canvasHeight: canvasHeight) {
        var sink = 0
        func time(_ body: () -> Int) -> Double {
            median((0..<50).map { _ in milliseconds(clock.measure { sink &+= body() }) })
        }
        let halving = time { sample.halved().pixels.count }
        let sharpening = time { sample.sharpened().pixels.count }
        let reducedSharpening = time { sample.halved().sharpened().pixels.count }
        let stretching = time { sample.contrastStretched().pixels.count }
        let smoothing = time { sample.smoothed().pixels.count }
        // The rectifying rung's picture without zbar: on the code, and on frames without one (flat, and random
        // noise: the most run-length texture a frame can have).
        var noiseGenerator = SplitMix64(seed: 17)
        let pixelCount = canvasWidth * canvasHeight
        guard let flat = try? GreyImage(width: canvasWidth, height: canvasHeight, pixels: [UInt8](repeating: 200, count: pixelCount)),
            let noise = try? GreyImage(
                width: canvasWidth, height: canvasHeight,
                pixels: (0..<pixelCount).map { _ in UInt8(truncatingIfNeeded: noiseGenerator.next()) })
        else { fatalError("cannot make the 1280×720 frames without a code") }
        func rectify(_ frame: GreyImage) -> Int { ScanRung.rectified.picture(of: frame) { frame.halved() }?.image.pixels.count ?? 0 }
        let rectifying = time { rectify(sample) }
        let rectifyingFlat = time { rectify(flat) }
        let rectifyingNoise = time { rectify(noise) }
        print(String(
            format: "image operations on 1280×720: halve %.2f ms, sharpen %.2f ms, halve + sharpen %.2f ms, "
                + "contrast stretch %.2f ms, 3×3 mean %.2f ms; rectified picture (finder search, outline, warp) "
                + "%.2f ms, on a frame without a code %.2f ms (flat) / %.2f ms (noise) (sink %d)", halving, sharpening,
            reducedSharpening, stretching, smoothing, rectifying, rectifyingFlat, rectifyingNoise, sink & 1))
    }

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

    try decisionLatency(signedPayload: signedPayload, verifier: verifier, context: context)
}

/// zxing-cpp's reading of every `*.pgm` in `directory` (path → read the expected payload, ms), through the PyPI
/// wheel in a venv under `.build/` that is created on first use; nil when Python or pip cannot provide it.
private func zxingResults(directory: String) -> [String: (read: Bool, milliseconds: Double)]? {
    let venv = FileManager.default.currentDirectoryPath + "/.build/zxing-venv"
    let python = venv + "/bin/python"
    func run(_ executable: String, _ arguments: [String]) -> String? {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        guard (try? process.run()) != nil else { return nil }
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return process.terminationStatus == 0 ? String(decoding: data, as: UTF8.self) : nil
    }
    if run(python, ["-c", "import zxingcpp, numpy"]) == nil {
        print("installing zxing-cpp and numpy into \(venv) (benchmark only)")
        guard run("/usr/bin/python3", ["-m", "venv", venv]) != nil,
            run(venv + "/bin/pip", ["install", "-q", "zxing-cpp", "numpy"]) != nil
        else { return nil }
    }
    let script = """
        import sys, os, time, numpy, zxingcpp
        d = sys.argv[1]
        expected = open(os.path.join(d, "expected.txt"), "rb").read()
        def load(path):
            data = open(path, "rb").read()
            parts = data.split(b"\\n", 3)
            w, h = map(int, parts[1].split())
            return numpy.frombuffer(parts[3], dtype=numpy.uint8, count=w * h).reshape(h, w)
        names = sorted(n for n in os.listdir(d) if n.endswith(".pgm"))
        if names:
            zxingcpp.read_barcodes(load(os.path.join(d, names[0])), formats=zxingcpp.BarcodeFormat.QRCode)
        for n in names:
            image = load(os.path.join(d, n))
            start = time.perf_counter()
            found = zxingcpp.read_barcodes(image, formats=zxingcpp.BarcodeFormat.QRCode)
            ms = (time.perf_counter() - start) * 1000
            ok = any(bytes(b.bytes) == expected for b in found)
            print("%s\\t%d\\t%.4f" % (os.path.join(d, n), 1 if ok else 0, ms))
        """
    let scriptPath = directory + "/zxing_read.py"
    guard (try? Data(script.utf8).write(to: URL(fileURLWithPath: scriptPath))) != nil,
        let output = run(python, [scriptPath, directory])
    else { return nil }
    if let version = run(python, ["-c", "import importlib.metadata as m; print(m.version('zxing-cpp'))"]) {
        print("zxing-cpp \(version.trimmingCharacters(in: .whitespacesAndNewlines)) (PyPI wheel, default options, QR only)")
    }
    var results: [String: (read: Bool, milliseconds: Double)] = [:]
    for line in output.split(separator: "\n") {
        let fields = line.split(separator: "\t")
        guard fields.count == 3, let ms = Double(fields[2]) else { continue }
        results[String(fields[0])] = (fields[1] == "1", ms)
    }
    return results
}

/// A source that never delivers: the latency replay hands frames to `ScanPipeline.process(frame:)` itself.
private final class NoFrames: FrameSource {
    var description: String { "none" }
    func nextFrame() throws(FrameSourceError) -> Frame? { nil }
    func close() {}
}

/// (e) Decision latency (issue 17 item 3): a signed code slides into view from the left edge, decelerating,
/// with horizontal motion blur proportional to its speed, in 1280×720 frames captured every 33.3 ms (30 fps).
/// The frames are replayed in real time through `ScanPipeline.process(frame:)` with the newest-frame rule of
/// the pipeline's mailbox: after each scan the next frame scanned is the newest one captured by then. Reports
/// the frame whose scan led to the decision, the time from that frame's capture to the decision and to the lamp:
/// as gatecheckd's event handler does, the decision is shown on a `LampPanel` whose green and red lamps are LED
/// class devices (`LEDClassOutput`) in a sysfs tree in a temporary folder, and the time is taken once the
/// brightness write has returned; and the time from the sequence's first frame.
private func decisionLatency(signedPayload: [UInt8], verifier: HC1Verifier, context: VerificationContext) throws {
    guard let code = QRCodeImage.image(signedPayload, moduleSize: 4) else { fatalError("cannot draw the signed code") }
    let period: Int64 = 33_333_333
    let frameCount = 14
    let target = 640.0
    let start = -Double(code.width) / 2
    // Centre positions: the code covers 40 % of the remaining way each frame.
    let positions = (0..<frameCount).map { index in target - (target - start) * pow(0.6, Double(index)) }
    var generator = SplitMix64(seed: 0x1A7E)
    let frames: [GreyImage] = positions.enumerated().map { index, x in
        let speed = index == 0 ? positions[1] - positions[0] : x - positions[index - 1]
        let degradation = FrameDegradation(noiseSigma: 3, motionBlurLength: max(1, Int(speed / 2)))
        return degradation.render(code, canvasWidth: 1280, canvasHeight: 720, centreX: x, centreY: 360, using: &generator)
    }
    let blurs = positions.indices.map { index in
        max(1, Int((index == 0 ? positions[1] - positions[0] : positions[index] - positions[index - 1]) / 2))
    }
    print("\n(e) decision latency: a signed code slides in from the left at 30 fps with motion blur "
        + "(blur length in px, frame by frame: \(blurs.map(String.init).joined(separator: " "))); real-time replay, newest frame first; "
        + "median of 9 replays")
    // LED class lamps in a sysfs tree of files, as the tests' sysfs trees.
    let sysfs = FileManager.default.temporaryDirectory.appendingPathComponent("gatecheck-bench-sysfs-\(getpid())").path
    defer { try? FileManager.default.removeItem(atPath: sysfs) }
    for name in ["gatecheck-green", "gatecheck-red"] {
        let directory = sysfs + "/class/leds/" + name
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        for (file, text) in [("brightness", "0\n"), ("max_brightness", "1\n"), ("trigger", "none\n")] {
            try text.write(toFile: directory + "/" + file, atomically: false, encoding: .utf8)
        }
    }
    let panel = try LampPanel(outputs: [
        .pass: try LEDClassOutput(name: "gatecheck-green", sysfs: sysfs), .fail: try LEDClassOutput(name: "gatecheck-red", sysfs: sysfs),
    ])
    print([column("scanner", 34), rightColumn("frame", 6), rightColumn("capture→decision", 17), rightColumn("capture→lamp", 13),
           rightColumn("first frame→decision", 21)].joined(separator: " "))
    for (name, rungs) in [("GateCheck cascade (30 ms budget)", ScanCascade.cameraRungs), ("raw zbar (full frame only)", [ScanRung.full])] {
        var decisionFrames: [Int] = []
        var latencies: [Double] = []
        var lampLatencies: [Double] = []
        var sinceFirst: [Double] = []
        var readBy: [String] = []
        for _ in 0..<9 {
            let pipeline = try ScanPipeline(
                source: NoFrames(), scanRungs: rungs,
                decide: { payload, _ in Decision(verifier.verify(payload: payload, in: context)) })
            let origin = MonotonicInstant.now().advanced(by: .milliseconds(1))
            var index = 0
            while index < frames.count {
                let captured = origin.advanced(by: .nanoseconds(Int64(index) * period))
                MonotonicClock.system.sleep(captured.duration(since: MonotonicInstant.now()))
                let events = pipeline.process(frame: Frame(image: frames[index], sequence: UInt64(index), captured: captured))
                if let event = events.first(where: { $0.decision != nil }), let decision = event.decision,
                    let latency = event.latencyMilliseconds
                {
                    if decision.verdict == .pass { try panel.showPass() } else { try panel.showFail() }
                    lampLatencies.append(MonotonicInstant.now().milliseconds(since: captured))
                    try panel.allOff()
                    decisionFrames.append(index)
                    latencies.append(latency)
                    sinceFirst.append(event.emitted.milliseconds(since: origin))
                    readBy.append(pipeline.counters.lastReadRung?.rawValue ?? "?")
                    break
                }
                let newest = Int(Int64(MonotonicInstant.now().nanoseconds - origin.nanoseconds) / period)
                index = max(index + 1, newest)
            }
        }
        let decided = decisionFrames.count
        print([
            column(name, 34), rightColumn(decided == 0 ? "none" : "\(decisionFrames.sorted()[decided / 2])", 6),
            rightColumn(decided == 0 ? "-" : String(format: "%.1f ms", median(latencies)), 17),
            rightColumn(decided == 0 ? "-" : String(format: "%.1f ms", median(lampLatencies)), 13),
            rightColumn(decided == 0 ? "-" : String(format: "%.1f ms", median(sinceFirst)), 21),
        ].joined(separator: " ") + "  read by: \(Set(readBy).sorted().joined(separator: ", "))"
            + (decided < 9 ? "  (decided in \(decided) of 9 replays)" : ""))
    }
}
