import Imaging

import Glibc

/// Deterministic degradations of drawn codes, for tests and the scan benchmark: a code placed on a camera-sized
/// canvas, rotated and tilted, then blurred, flattened, inverted and made noisy. The only randomness is the noise,
/// drawn from a caller-supplied generator (a seeded `SplitMix64` in the benchmark and tests), so the same seed
/// always gives the same frame.
///
/// Geometry uses inverse mapping with bilinear sampling and a white fill outside the code.
public struct FrameDegradation: Sendable {
    /// Rotation of the code about its centre, in degrees (counter-clockwise on screen).
    public var rotationDegrees: Double
    /// Keystone (perspective) tilt: the top edge is this fraction narrower than the bottom edge (0.15 = 15 %).
    public var keystone: Double
    /// Pixels per module on the canvas relative to the drawn code: 1 keeps its size.
    public var scale: Double
    /// Box blur radius in pixels (0 = none); `blurPasses` passes approximate a Gaussian.
    public var blurRadius: Int
    public var blurPasses: Int
    /// Standard deviation of additive Gaussian noise, in grey levels (0 = none).
    public var noiseSigma: Double
    /// When set, 0…255 is mapped linearly into this range (e.g. 100...160) before inversion and noise.
    public var contrast: ClosedRange<Int>?
    /// Light code on a dark background, as a phone in dark mode shows it.
    public var inverted: Bool
    /// Motion blur: the mean of this many pixels along a line (0 or 1 = none), as a code moving during the
    /// exposure leaves it; applied after the lens blur.
    public var motionBlurLength: Int
    /// The direction of the motion, in degrees (0 = horizontal).
    public var motionBlurDegrees: Double

    public init(
        rotationDegrees: Double = 0, keystone: Double = 0, scale: Double = 1, blurRadius: Int = 0, blurPasses: Int = 3,
        noiseSigma: Double = 0, contrast: ClosedRange<Int>? = nil, inverted: Bool = false, motionBlurLength: Int = 0,
        motionBlurDegrees: Double = 0
    ) {
        self.motionBlurLength = motionBlurLength
        self.motionBlurDegrees = motionBlurDegrees
        self.rotationDegrees = rotationDegrees
        self.keystone = keystone
        self.scale = scale
        self.blurRadius = blurRadius
        self.blurPasses = blurPasses
        self.noiseSigma = noiseSigma
        self.contrast = contrast
        self.inverted = inverted
    }

    /// Places `code` (e.g. from ``QRCodeImage/image(_:moduleSize:margin:canvasWidth:canvasHeight:errorCorrection:)``,
    /// quiet zone included) with its centre at (`centreX`, `centreY`) on a white `canvasWidth × canvasHeight`
    /// canvas, scaled, tilted and rotated, then applies blur, contrast, inversion and noise in that order
    /// (optics, then the screen, then the sensor).
    public func render(
        _ code: GreyImage, canvasWidth: Int, canvasHeight: Int, centreX: Double, centreY: Double,
        using generator: inout some RandomNumberGenerator
    ) -> GreyImage {
        var image = code.placed(
            canvasWidth: canvasWidth, canvasHeight: canvasHeight,
            corners: Self.corners(
                width: Double(code.width) * scale, height: Double(code.height) * scale, centreX: centreX,
                centreY: centreY, keystone: keystone, rotationDegrees: rotationDegrees))
        if blurRadius > 0 { image = image.boxBlurred(radius: blurRadius, passes: blurPasses) }
        if motionBlurLength > 1 { image = image.motionBlurred(length: motionBlurLength, degrees: motionBlurDegrees) }
        if let contrast { image = image.contrastReduced(to: contrast) }
        if inverted { image = image.inverted() }
        if noiseSigma > 0 { image = image.withNoise(sigma: noiseSigma, using: &generator) }
        return image
    }

    /// The corners (top-left, top-right, bottom-right, bottom-left) of a `width × height` rectangle centred at
    /// (`centreX`, `centreY`), its top edge narrowed by `keystone` and the whole rotated by `rotationDegrees`.
    public static func corners(
        width: Double, height: Double, centreX: Double, centreY: Double, keystone: Double = 0, rotationDegrees: Double = 0
    ) -> [(x: Double, y: Double)] {
        let halfWidth = width / 2
        let halfHeight = height / 2
        let topHalfWidth = halfWidth * (1 - keystone)
        let local: [(Double, Double)] = [
            (-topHalfWidth, -halfHeight), (topHalfWidth, -halfHeight), (halfWidth, halfHeight), (-halfWidth, halfHeight),
        ]
        let angle = -rotationDegrees * Double.pi / 180  // y grows downwards: negate for counter-clockwise on screen
        let cosine = cos(angle)
        let sine = sin(angle)
        return local.map { (x, y) in (centreX + x * cosine - y * sine, centreY + x * sine + y * cosine) }
    }
}

/// A 3×3 projective transform of continuous pixel coordinates (pixel centres at `n + 0.5`).
struct Homography {
    var m: [Double]  // row-major 3×3

    func apply(_ x: Double, _ y: Double) -> (x: Double, y: Double) {
        let w = m[6] * x + m[7] * y + m[8]
        return ((m[0] * x + m[1] * y + m[2]) / w, (m[3] * x + m[4] * y + m[5]) / w)
    }

    /// The unit square (0,0), (1,0), (1,1), (0,1) onto the quadrilateral `q` in the same order (Heckbert 1989).
    static func unitSquare(to q: [(x: Double, y: Double)]) -> Homography {
        let dx1 = q[1].x - q[2].x, dx2 = q[3].x - q[2].x, dx3 = q[0].x - q[1].x + q[2].x - q[3].x
        let dy1 = q[1].y - q[2].y, dy2 = q[3].y - q[2].y, dy3 = q[0].y - q[1].y + q[2].y - q[3].y
        var g = 0.0
        var h = 0.0
        if abs(dx3) > 1e-12 || abs(dy3) > 1e-12 {
            let denominator = dx1 * dy2 - dx2 * dy1
            g = (dx3 * dy2 - dx2 * dy3) / denominator
            h = (dx1 * dy3 - dx3 * dy1) / denominator
        }
        return Homography(m: [
            q[1].x - q[0].x + g * q[1].x, q[3].x - q[0].x + h * q[3].x, q[0].x,
            q[1].y - q[0].y + g * q[1].y, q[3].y - q[0].y + h * q[3].y, q[0].y,
            g, h, 1,
        ])
    }

    /// The inverse (adjugate over determinant).
    var inverse: Homography {
        let a = m[0], b = m[1], c = m[2], d = m[3], e = m[4], f = m[5], g = m[6], h = m[7], i = m[8]
        let adjugate = [
            e * i - f * h, c * h - b * i, b * f - c * e,
            f * g - d * i, a * i - c * g, c * d - a * f,
            d * h - e * g, b * g - a * h, a * e - b * d,
        ]
        let determinant = a * adjugate[0] + b * adjugate[3] + c * adjugate[6]
        return Homography(m: adjugate.map { $0 / determinant })
    }

    /// `self` after `other`: x ↦ self(other(x)).
    func after(_ other: Homography) -> Homography {
        var product = [Double](repeating: 0, count: 9)
        for row in 0..<3 {
            for column in 0..<3 {
                // Typed closure: Swift 6.2's type checker gives up on the untyped form ("unable to type-check
                // this expression in reasonable time"); the sum and its order are unchanged.
                product[row * 3 + column] = (0..<3).reduce(0.0) { (sum: Double, k: Int) -> Double in
                    sum + m[row * 3 + k] * other.m[k * 3 + column]
                }
            }
        }
        return Homography(m: product)
    }
}

extension GreyImage {
    /// The image rotated by `degrees` about its centre (counter-clockwise on screen), same size, bilinear,
    /// `fill` outside. Rotating by 0 returns the same pixels.
    public func rotated(degrees: Double, fill: UInt8 = 255) -> GreyImage {
        placed(
            canvasWidth: width, canvasHeight: height,
            corners: FrameDegradation.corners(
                width: Double(width), height: Double(height), centreX: Double(width) / 2, centreY: Double(height) / 2,
                rotationDegrees: degrees),
            fill: fill)
    }

    /// The image drawn onto a `canvasWidth × canvasHeight` canvas of `fill` so that its corners (top-left,
    /// top-right, bottom-right, bottom-left) land on `corners`: any projective warp (scale, rotation, keystone).
    public func placed(
        canvasWidth: Int, canvasHeight: Int, corners: [(x: Double, y: Double)], fill: UInt8 = 255
    ) -> GreyImage {
        precondition(corners.count == 4)
        let toSource = Homography(m: [Double(width), 0, 0, 0, Double(height), 0, 0, 0, 1])
            .after(Homography.unitSquare(to: corners).inverse)
        var output = [UInt8](repeating: fill, count: canvasWidth * canvasHeight)
        let fillValue = Double(fill)
        pixels.withUnsafeBufferPointer { source in
            output.withUnsafeMutableBufferPointer { destination in
                for y in 0..<canvasHeight {
                    for x in 0..<canvasWidth {
                        let point = toSource.apply(Double(x) + 0.5, Double(y) + 0.5)
                        let sx = point.x - 0.5
                        let sy = point.y - 0.5
                        guard sx > -1, sy > -1, sx < Double(width), sy < Double(height) else { continue }
                        let x0 = Int(sx.rounded(.down))
                        let y0 = Int(sy.rounded(.down))
                        let fx = sx - Double(x0)
                        let fy = sy - Double(y0)
                        func sample(_ px: Int, _ py: Int) -> Double {
                            px < 0 || py < 0 || px >= width || py >= height
                                ? fillValue : Double(source[py * bytesPerRow + px])
                        }
                        let top = sample(x0, y0) * (1 - fx) + sample(x0 + 1, y0) * fx
                        let bottom = sample(x0, y0 + 1) * (1 - fx) + sample(x0 + 1, y0 + 1) * fx
                        destination[y * canvasWidth + x] = UInt8(clamping: Int((top * (1 - fy) + bottom * fy).rounded()))
                    }
                }
            }
        }
        return Self.derived(canvasWidth, canvasHeight, output)
    }

    /// `passes` separable box blurs of the given radius (edges clamped); three passes approximate a Gaussian.
    public func boxBlurred(radius: Int, passes: Int = 3) -> GreyImage {
        guard radius > 0, passes > 0 else { return self }
        var current = packedPixels()
        var scratch = current
        let window = 2 * radius + 1
        for _ in 0..<passes {
            // Horizontal into scratch, vertical back into current.
            for y in 0..<height {
                let row = y * width
                var sum = 0
                for k in -radius...radius { sum += Int(current[row + min(max(k, 0), width - 1)]) }
                for x in 0..<width {
                    scratch[row + x] = UInt8((sum + window / 2) / window)
                    sum += Int(current[row + min(x + radius + 1, width - 1)]) - Int(current[row + max(x - radius, 0)])
                }
            }
            for x in 0..<width {
                var sum = 0
                for k in -radius...radius { sum += Int(scratch[min(max(k, 0), height - 1) * width + x]) }
                for y in 0..<height {
                    current[y * width + x] = UInt8((sum + window / 2) / window)
                    sum += Int(scratch[min(y + radius + 1, height - 1) * width + x])
                        - Int(scratch[max(y - radius, 0) * width + x])
                }
            }
        }
        return Self.derived(width, height, current)
    }

    /// The mean of `length` pixels along a line at `degrees` through each pixel (nearest samples, edges
    /// clamped): the streak a code moving during the exposure leaves.
    public func motionBlurred(length: Int, degrees: Double) -> GreyImage {
        guard length > 1 else { return self }
        let source = packedPixels()
        var output = source
        let angle = degrees * Double.pi / 180
        let offsets: [(Int, Int)] = (0..<length).map { step in
            let t = Double(step) - Double(length - 1) / 2
            return (Int((t * cos(angle)).rounded()), Int((t * sin(angle)).rounded()))
        }
        for y in 0..<height {
            for x in 0..<width {
                var sum = 0
                for (dx, dy) in offsets {
                    sum += Int(source[min(max(y + dy, 0), height - 1) * width + min(max(x + dx, 0), width - 1)])
                }
                output[y * width + x] = UInt8((sum + length / 2) / length)
            }
        }
        return Self.derived(width, height, output)
    }

    /// Grey levels mapped linearly from 0…255 into `range` (e.g. 100...160 for a dim, washed-out screen).
    public func contrastReduced(to range: ClosedRange<Int>) -> GreyImage {
        let low = max(0, min(255, range.lowerBound))
        let high = max(low, min(255, range.upperBound))
        let table = (0..<256).map { UInt8(low + ($0 * (high - low) + 127) / 255) }
        return packedPixels().withUnsafeBufferPointer { source in
            Self.derived(width, height, source.map { table[Int($0)] })
        }
    }

    /// Light on dark: every level `v` becomes `255 - v`.
    public func inverted() -> GreyImage {
        Self.derived(width, height, packedPixels().map { 255 - $0 })
    }

    /// Additive Gaussian noise of standard deviation `sigma` (Box–Muller over the generator's raw 64-bit output,
    /// so the result depends only on the generator's sequence), clamped to 0…255.
    public func withNoise(sigma: Double, using generator: inout some RandomNumberGenerator) -> GreyImage {
        var values = packedPixels()
        func uniform() -> Double { (Double(generator.next() >> 11) + 0.5) * 0x1p-53 }  // in (0, 1)
        var index = 0
        while index < values.count {
            let radius = (-2 * log(uniform())).squareRoot() * sigma
            let angle = 2 * Double.pi * uniform()
            values[index] = UInt8(clamping: Int((Double(values[index]) + radius * cos(angle)).rounded()))
            if index + 1 < values.count {
                values[index + 1] = UInt8(clamping: Int((Double(values[index + 1]) + radius * sin(angle)).rounded()))
            }
            index += 2
        }
        return Self.derived(width, height, values)
    }

    /// The `width × height` pixels without row padding.
    func packedPixels() -> [UInt8] {
        if bytesPerRow == width { return Array(pixels.prefix(width * height)) }
        var packed: [UInt8] = []
        packed.reserveCapacity(width * height)
        for row in 0..<height { packed += pixels[(row * bytesPerRow)..<(row * bytesPerRow + width)] }
        return packed
    }

    static func derived(_ width: Int, _ height: Int, _ pixels: [UInt8]) -> GreyImage {
        guard let image = try? GreyImage(width: width, height: height, pixels: pixels) else {
            preconditionFailure("degraded image \(width)x\(height) is invalid")
        }
        return image
    }
}
