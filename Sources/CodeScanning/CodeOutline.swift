import Imaging

/// The four outer corners of a QR code seen at an angle, from its finder patterns: what the rectifying rung maps
/// onto an upright square, because zbar itself gives up on keystone beyond about 5 %.
///
/// The code is the connected dark area around its finder patterns: the frame is divided into cells of about one
/// module, a cell is dark when a fifth of its pixels are, and dark cells are joined across gaps of one cell
/// (the light modules inside a code) but not across the four-module quiet zone around it. Each corner is the
/// dark pixel of that area farthest out along the corner's diagonal. Three corners are finder patterns' outer
/// corners, always dark; the fourth may sit a module inside when the corner module is light, which leaves zbar
/// a tilt it reads.
struct CodeOutline {
    /// Top-left, top-right, bottom-right, bottom-left in the code's own orientation, in frame coordinates
    /// (pixel i covers i ..< i + 1).
    let corners: [(x: Double, y: Double)]
    /// About how many modules the code has along a side (not snapped to a QR version: only the picture's size
    /// depends on it).
    let modulesAcross: Double
    /// The mean module size of the three finder patterns, in frame pixels.
    let moduleSize: Double

    /// At most this many cells are flooded: a code of version 40 at 8 px/module seen square on, with its
    /// surroundings, needs fewer.
    static let cellLimit = 160_000

    static func find(_ finders: FinderPatterns, in threshold: LocalThreshold) -> CodeOutline? {
        let image = threshold.image
        let inverted = finders.topLeft.inverted
        let module = (finders.topLeft.moduleSize + finders.topRight.moduleSize + finders.bottomLeft.moduleSize) / 3
        let (tl, tr, bl) = (finders.topLeft, finders.topRight, finders.bottomLeft)
        let ux = tr.x - tl.x, uy = tr.y - tl.y
        let vx = bl.x - tl.x, vy = bl.y - tl.y
        let legU = (ux * ux + uy * uy).squareRoot(), legV = (vx * vx + vy * vy).squareRoot()
        let modulesAcross =
            (legU / ((tl.moduleSize + tr.moduleSize) / 2) + legV / ((tl.moduleSize + bl.moduleSize) / 2)) / 2 + 7

        // The search window: the three centres and the parallelogram's fourth corner, widened for a tilt of up to
        // a third of the code's side and for the finder patterns' outer halves.
        let xs = [tl.x, tr.x, bl.x, tr.x + bl.x - tl.x]
        let ys = [tl.y, tr.y, bl.y, tr.y + bl.y - tl.y]
        let margin = max(legU, legV) / 3 + 8 * module
        let cell = max(Int(module.rounded(.down)), 1)
        let left = max(Int(xs.min()! - margin), 0)
        let top = max(Int(ys.min()! - margin), 0)
        let right = min(Int(xs.max()! + margin), image.width - 1)
        let bottom = min(Int(ys.max()! + margin), image.height - 1)
        guard right > left, bottom > top else { return nil }
        let columns = (right - left) / cell + 1
        let rows = (bottom - top) / cell + 1
        guard columns * rows <= cellLimit else { return nil }

        // The window binarised once (1 = the code's colour), then its dark cells.
        let windowWidth = right - left + 1
        var binary = [UInt8](repeating: 0, count: windowWidth * (bottom - top + 1))
        var line = [UInt8](repeating: 0, count: image.width)
        for y in top...bottom {
            threshold.binarize(row: y, inverted: inverted, into: &line)
            binary.replaceSubrange(((y - top) * windowWidth)..<((y - top + 1) * windowWidth), with: line[left...right])
        }
        func isCode(_ x: Int, _ y: Int) -> Bool { binary[(y - top) * windowWidth + (x - left)] != 0 }
        var dark = [Bool](repeating: false, count: columns * rows)
        let needed = max(cell * cell / 5, 1)
        for row in 0..<rows {
            for column in 0..<columns {
                var count = 0
                let x0 = left + column * cell, y0 = top + row * cell
                for y in y0..<min(y0 + cell, bottom + 1) {
                    let start = (y - top) * windowWidth - left
                    for x in x0..<min(x0 + cell, right + 1) { count &+= Int(binary[start + x]) }
                }
                dark[row * columns + column] = count >= needed
            }
        }

        // Flood from the top-left finder's centre; the other two finders must be reached.
        func cellIndex(_ x: Double, _ y: Double) -> Int? {
            let column = (Int(x) - left) / cell, row = (Int(y) - top) / cell
            guard column >= 0, row >= 0, column < columns, row < rows else { return nil }
            return row * columns + column
        }
        guard let start = cellIndex(tl.x, tl.y), dark[start] else { return nil }
        var inCode = [Bool](repeating: false, count: columns * rows)
        var queue = [start]
        inCode[start] = true
        var head = 0
        while head < queue.count {
            let index = queue[head]
            head += 1
            let row = index / columns, column = index % columns
            for neighbourRow in max(row - 2, 0)...min(row + 2, rows - 1) {
                for neighbourColumn in max(column - 2, 0)...min(column + 2, columns - 1) {
                    let neighbour = neighbourRow * columns + neighbourColumn
                    if dark[neighbour], !inCode[neighbour] {
                        inCode[neighbour] = true
                        queue.append(neighbour)
                    }
                }
            }
        }
        guard let topRightCell = cellIndex(tr.x, tr.y), let bottomLeftCell = cellIndex(bl.x, bl.y), inCode[topRightCell],
            inCode[bottomLeftCell]
        else { return nil }

        // The farthest dark pixel of the code along each corner's diagonal.
        let u = (x: ux / legU, y: uy / legU), v = (x: vx / legV, y: vy / legV)
        let directions = [
            (x: -u.x - v.x, y: -u.y - v.y), (x: u.x - v.x, y: u.y - v.y), (x: u.x + v.x, y: u.y + v.y), (x: v.x - u.x, y: v.y - u.y),
        ]
        var best = [Double](repeating: -.infinity, count: 4)
        var corners = [(x: Double, y: Double)](repeating: (0, 0), count: 4)
        for index in queue {
            let x0 = left + (index % columns) * cell, y0 = top + (index / columns) * cell
            for y in y0..<min(y0 + cell, bottom + 1) {
                for x in x0..<min(x0 + cell, right + 1) where isCode(x, y) {
                    let px = Double(x) + 0.5, py = Double(y) + 0.5
                    for corner in 0..<4 {
                        let reach = px * directions[corner].x + py * directions[corner].y
                        if reach > best[corner] {
                            best[corner] = reach
                            corners[corner] = (px, py)
                        }
                    }
                }
            }
        }
        guard best.allSatisfy({ $0 > -.infinity }) else { return nil }
        return CodeOutline(corners: corners, modulesAcross: modulesAcross, moduleSize: module)
    }

    /// The picture the rectifying rung gives zbar: the outline mapped onto an upright square at `pixelsPerModule`
    /// with a four-module quiet zone, and the transform from the picture's pixels back to the frame's. Nil when
    /// the outline is degenerate or the picture would be beyond the image limits.
    func rectified(_ frame: GreyImage, pixelsPerModule: Double = 3) -> (picture: GreyImage, toFrame: Homography)? {
        guard let codeToFrame = Homography(unitSquareTo: corners) else { return nil }
        let quiet = 4.0
        let side = Int(((modulesAcross + 2 * quiet) * pixelsPerModule).rounded())
        guard side >= 21, side <= 1600 else { return nil }
        // Picture pixel → unit-square coordinate: the code spans modulesAcross · pixelsPerModule pixels after the margin.
        let span = modulesAcross * pixelsPerModule
        let pictureToCode = Homography.scaling(1 / span, thenMoving: -quiet / modulesAcross, -quiet / modulesAcross)
        let pictureToFrame = codeToFrame.after(pictureToCode)
        guard let picture = frame.warped(width: side, height: side, sampling: pictureToFrame) else { return nil }
        return (picture, pictureToFrame)
    }
}
