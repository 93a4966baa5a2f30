/// A plane projective transform: `(x, y) ↦ ((a·x + b·y + c) / w, (d·x + e·y + f) / w)` with `w = g·x + h·y + i`.
///
/// The scan cascade's rectifying rung maps a tilted code's outline onto an upright square with it
/// (``GreyImage/warped(width:height:sampling:)``), and maps what zbar finds there back into the frame.
public struct Homography: Sendable, Equatable {
    /// Row-major 3×3 matrix `[a, b, c, d, e, f, g, h, i]`.
    public let matrix: [Double]

    public init(matrix: [Double]) {
        precondition(matrix.count == 9, "a homography has 9 coefficients")
        self.matrix = matrix
    }

    /// The transform taking the unit square's corners (0, 0), (1, 0), (1, 1), (0, 1) to `corners` in that order
    /// (the square-to-quadrilateral solution in closed form). Nil when three of the corners are collinear.
    public init?(unitSquareTo corners: [(x: Double, y: Double)]) {
        guard corners.count == 4 else { return nil }
        let (x0, y0) = corners[0]
        let (x1, y1) = corners[1]
        let (x2, y2) = corners[2]
        let (x3, y3) = corners[3]
        let dx1 = x1 - x2, dx2 = x3 - x2, dx3 = x0 - x1 + x2 - x3
        let dy1 = y1 - y2, dy2 = y3 - y2, dy3 = y0 - y1 + y2 - y3
        let denominator = dx1 * dy2 - dx2 * dy1
        guard abs(denominator) > 1e-9 else { return nil }
        let g = (dx3 * dy2 - dx2 * dy3) / denominator
        let h = (dx1 * dy3 - dx3 * dy1) / denominator
        let candidate = Homography(matrix: [
            x1 - x0 + g * x1, x3 - x0 + h * x3, x0,
            y1 - y0 + g * y1, y3 - y0 + h * y3, y0,
            g, h, 1,
        ])
        guard abs(candidate.determinant) > 1e-9 else { return nil }
        self = candidate
    }

    /// Scaling by `scale` then moving by (`dx`, `dy`): `(x, y) ↦ (scale·x + dx, scale·y + dy)`.
    public static func scaling(_ scale: Double, thenMoving dx: Double, _ dy: Double) -> Homography {
        Homography(matrix: [scale, 0, dx, 0, scale, dy, 0, 0, 1])
    }

    /// The image of (`x`, `y`); nil for a point the transform sends to infinity.
    public func apply(_ x: Double, _ y: Double) -> (x: Double, y: Double)? {
        let m = matrix
        let w = m[6] * x + m[7] * y + m[8]
        guard abs(w) > 1e-12 else { return nil }
        return ((m[0] * x + m[1] * y + m[2]) / w, (m[3] * x + m[4] * y + m[5]) / w)
    }

    /// `self` after `first`: applying the result equals applying `first`, then `self`.
    public func after(_ first: Homography) -> Homography {
        let a = matrix
        let b = first.matrix
        var product = [Double](repeating: 0, count: 9)
        for row in 0..<3 {
            for column in 0..<3 {
                product[row * 3 + column] =
                    a[row * 3] * b[column] + a[row * 3 + 1] * b[3 + column] + a[row * 3 + 2] * b[6 + column]
            }
        }
        return Homography(matrix: product)
    }

    /// The inverse transform; nil when the matrix is singular.
    public var inverse: Homography? {
        let m = matrix
        let determinant = self.determinant
        guard abs(determinant) > 1e-12 else { return nil }
        let adjugate = [
            m[4] * m[8] - m[5] * m[7], m[2] * m[7] - m[1] * m[8], m[1] * m[5] - m[2] * m[4],
            m[5] * m[6] - m[3] * m[8], m[0] * m[8] - m[2] * m[6], m[2] * m[3] - m[0] * m[5],
            m[3] * m[7] - m[4] * m[6], m[1] * m[6] - m[0] * m[7], m[0] * m[4] - m[1] * m[3],
        ]
        return Homography(matrix: adjugate.map { $0 / determinant })
    }

    var determinant: Double {
        let m = matrix
        return m[0] * (m[4] * m[8] - m[5] * m[7]) - m[1] * (m[3] * m[8] - m[5] * m[6]) + m[2] * (m[3] * m[7] - m[4] * m[6])
    }
}
