import Imaging

/// The three finder patterns (the 7 × 7-module squares in a QR code's corners) of the most likely code in a frame,
/// for the rectifying rung.
///
/// Every second row is read as runs of dark and light; five consecutive runs in the ratio 1 : 1 : 3 : 1 : 1 are
/// checked across the column through their centre and again along the row, and the confirmed centres are merged.
/// Both polarities are searched in the same pass (a light code on a dark screen has a light centre run). Of the
/// patterns seen on at least two rows, the three that best form a right angle with equal legs are the code's.
struct FinderPatterns {
    /// One confirmed finder pattern.
    struct Pattern {
        var x: Double
        var y: Double
        /// Pixels per module: the pattern's width and height across its centre, divided by 7.
        var moduleSize: Double
        /// How many rows confirmed it.
        var count: Int
        var inverted: Bool
    }

    /// The corner pattern (top-left in the code's own orientation) and the ones at the ends of its two legs:
    /// `topRight` along the code's first row, `bottomLeft` down its first column.
    let topLeft: Pattern
    let topRight: Pattern
    let bottomLeft: Pattern

    /// At most this many candidate centres are kept per frame, and the best `tripleCandidates` of them are
    /// combined into triples: bounds the work on a frame full of pattern-like texture.
    static let candidateLimit = 48
    static let tripleCandidates = 8

    /// The best-formed triple in the picture `threshold` binarises, or nil when there is none.
    static func find(in threshold: LocalThreshold) -> FinderPatterns? {
        let candidates = search(threshold).filter { $0.count >= 2 }.sorted { $0.count > $1.count }
        return bestTriple(of: Array(candidates.prefix(tripleCandidates)))
    }

    // MARK: Row search

    static func search(_ threshold: LocalThreshold) -> [Pattern] {
        let image = threshold.image
        let width = image.width
        var found: [Pattern] = []
        var row = [UInt8](repeating: 0, count: width)
        for y in Swift.stride(from: 1, to: image.height - 1, by: 2) {
            threshold.binarize(row: y, into: &row)
            // The last five runs; r4 is the one in progress, and a window is checked when it ends.
            var r0 = 0, r1 = 0, r2 = 0, r3 = 0, r4 = 0
            var colour = row[0]
            var completed = 0
            for x in 0...width {
                let pixel: UInt8 = x < width ? row[x] : 1 - colour
                if pixel == colour {
                    r4 += 1
                    continue
                }
                completed += 1
                // Five complete runs whose middle one is the code's colour: dark in the normal polarity.
                if completed >= 5, let moduleSize = ratioModuleSize(r0, r1, r2, r3, r4) {
                    let centreX = Double(x - r4 - r3) - Double(r2) / 2
                    if let pattern = confirm(
                        threshold, x: centreX, y: y, total: r0 + r1 + r2 + r3 + r4, moduleSize: moduleSize, inverted: colour == 0)
                    {
                        merge(pattern, into: &found)
                        if found.count >= candidateLimit {
                            // Texture or noise: keep what more than one row confirmed, stop if that is still full.
                            found.removeAll { $0.count < 2 }
                            if found.count >= candidateLimit { return found }
                        }
                    }
                }
                (r0, r1, r2, r3, r4) = (r1, r2, r3, r4, 1)
                colour = pixel
            }
        }
        return found
    }

    /// The module size when the five runs are in the ratio 1 : 1 : 3 : 1 : 1, each within half a module.
    static func ratioModuleSize(_ a: Int, _ b: Int, _ c: Int, _ d: Int, _ e: Int) -> Double? {
        let total = a + b + c + d + e
        guard total >= 7 else { return nil }
        let module = Double(total) / 7
        let tolerance = module / 2
        guard abs(Double(a) - module) < tolerance, abs(Double(b) - module) < tolerance,
            abs(Double(c) - 3 * module) < 3 * tolerance, abs(Double(d) - module) < tolerance,
            abs(Double(e) - module) < tolerance
        else { return nil }
        return module
    }

    static func ratioModuleSize(_ runs: [Int]) -> Double? {
        runs.count == 5 ? ratioModuleSize(runs[0], runs[1], runs[2], runs[3], runs[4]) : nil
    }

    /// The runs through pixel (`x`, `y`) along one axis: the centre run and the two runs on each side of it, and
    /// the centre run's middle as a continuous coordinate (pixel i covers i ..< i + 1). Nil when the line leaves the picture or a run grows past `limit`.
    static func runs(
        _ threshold: LocalThreshold, x: Int, y: Int, dx: Int, dy: Int, limit: Int, inverted: Bool
    ) -> (runs: [Int], centre: Double)? {
        guard threshold.contains(x, y), threshold.isDark(x, y, inverted: inverted) else { return nil }
        // Walking out from the centre: dark (the rest of the centre), light, dark; then the light beyond.
        func walk(_ step: Int) -> [Int]? {
            var counts = [0, 0, 0]
            var phase = 0
            var px = x + step * dx
            var py = y + step * dy
            while threshold.contains(px, py) {
                let isCodeColour = threshold.isDark(px, py, inverted: inverted)
                let expected = phase % 2 == 0
                if isCodeColour != expected {
                    phase += 1
                    if phase == 3 { return counts }
                    continue
                }
                counts[phase] += 1
                if counts[phase] > limit { return nil }
                px += step * dx
                py += step * dy
            }
            return nil
        }
        guard let before = walk(-1), let after = walk(1) else { return nil }
        let runs = [before[2], before[1], before[0] + after[0] + 1, after[1], after[2]]
        let start = Double(x * dx + y * dy) - Double(before[0] + before[1] + before[2])
        let centre = start + Double(runs[0] + runs[1]) + Double(runs[2]) / 2
        return (runs, centre)
    }

    /// Checks the column through a row candidate, then the row again through the column's centre.
    static func confirm(
        _ threshold: LocalThreshold, x: Double, y: Int, total: Int, moduleSize: Double, inverted: Bool
    ) -> Pattern? {
        let limit = Int(moduleSize * 5) + 2
        guard let vertical = runs(threshold, x: Int(x), y: y, dx: 0, dy: 1, limit: limit, inverted: inverted),
            let verticalModule = ratioModuleSize(vertical.runs),
            abs(verticalModule - moduleSize) < moduleSize * 0.5,
            let horizontal = runs(threshold, x: Int(x), y: Int(vertical.centre), dx: 1, dy: 0, limit: limit, inverted: inverted),
            let horizontalModule = ratioModuleSize(horizontal.runs)
        else { return nil }
        return Pattern(
            x: horizontal.centre, y: vertical.centre, moduleSize: (verticalModule + horizontalModule) / 2, count: 1,
            inverted: inverted)
    }

    /// Adds `pattern` to the one it repeats (centres within two modules, same polarity), or appends it.
    static func merge(_ pattern: Pattern, into found: inout [Pattern]) {
        for index in found.indices {
            let existing = found[index]
            let reach = 2 * max(existing.moduleSize, pattern.moduleSize)
            guard existing.inverted == pattern.inverted, abs(existing.x - pattern.x) <= reach, abs(existing.y - pattern.y) <= reach
            else { continue }
            let weight = Double(existing.count)
            found[index] = Pattern(
                x: (existing.x * weight + pattern.x) / (weight + 1), y: (existing.y * weight + pattern.y) / (weight + 1),
                moduleSize: (existing.moduleSize * weight + pattern.moduleSize) / (weight + 1), count: existing.count + 1,
                inverted: existing.inverted)
            return
        }
        found.append(pattern)
    }

    // MARK: Triples

    /// The three patterns of equal polarity and similar module size that best form a right angle with equal legs
    /// (a tilt of up to about 30 % keeps them within the tolerances), ordered by the code's orientation.
    static func bestTriple(of patterns: [Pattern]) -> FinderPatterns? {
        var best: (score: Double, triple: FinderPatterns)?
        for i in patterns.indices {
            for j in patterns.indices where j > i {
                for k in patterns.indices where k > j {
                    guard let triple = ordered(patterns[i], patterns[j], patterns[k]) else { continue }
                    let score = triple.shapeError
                    if score < 0.6, score < (best?.score ?? .infinity) { best = (score, triple) }
                }
            }
        }
        return best?.triple
    }

    /// The three as corner and legs (the corner is opposite the longest side; the code's first row runs
    /// clockwise from it on screen), or nil when they cannot be one code's.
    static func ordered(_ a: Pattern, _ b: Pattern, _ c: Pattern) -> FinderPatterns? {
        guard a.inverted == b.inverted, b.inverted == c.inverted else { return nil }
        let sizes = [a.moduleSize, b.moduleSize, c.moduleSize]
        guard let smallest = sizes.min(), let largest = sizes.max(), largest <= smallest * 1.7 else { return nil }
        func distance(_ p: Pattern, _ q: Pattern) -> Double { ((p.x - q.x) * (p.x - q.x) + (p.y - q.y) * (p.y - q.y)).squareRoot() }
        let ab = distance(a, b), bc = distance(b, c), ac = distance(a, c)
        var corner = a, first = b, second = c
        if ab >= bc, ab >= ac {
            corner = c; first = a; second = b
        } else if ac >= ab, ac >= bc {
            corner = b; first = a; second = c
        }
        // Finder centres are at least 14 modules apart (version 1).
        let module = (corner.moduleSize + first.moduleSize + second.moduleSize) / 3
        guard distance(corner, first) >= 12 * module, distance(corner, second) >= 12 * module else { return nil }
        // With y down the screen, the code's first row (corner → top right) turns clockwise into its first column.
        let cross = (first.x - corner.x) * (second.y - corner.y) - (first.y - corner.y) * (second.x - corner.x)
        return cross > 0
            ? FinderPatterns(topLeft: corner, topRight: first, bottomLeft: second)
            : FinderPatterns(topLeft: corner, topRight: second, bottomLeft: first)
    }

    /// How far the three are from one code's finder patterns (0 for a square code seen head-on): the two legs
    /// measured in modules should be equal however the code is tilted (each finder's own module size shrinks with
    /// distance), the angle between them near a right one, and each pattern confirmed on several rows.
    var shapeError: Double {
        let ux = topRight.x - topLeft.x, uy = topRight.y - topLeft.y
        let vx = bottomLeft.x - topLeft.x, vy = bottomLeft.y - topLeft.y
        let u = (ux * ux + uy * uy).squareRoot(), v = (vx * vx + vy * vy).squareRoot()
        let modulesU = u / ((topLeft.moduleSize + topRight.moduleSize) / 2)
        let modulesV = v / ((topLeft.moduleSize + bottomLeft.moduleSize) / 2)
        let cosine = (ux * vx + uy * vy) / (u * v)
        let fewestRows = min(topLeft.count, topRight.count, bottomLeft.count)
        return abs(modulesU - modulesV) / max(modulesU, modulesV) + abs(cosine) / 2 + 0.3 / Double(fewestRows)
    }
}
