/// The pre-processing steps of CodeScanning's `ScanCascade` (a reduced copy first, rescued variants when
/// the plain frame yields nothing).
///
/// Plain loops over the grey buffer through unsafe pointers, written so that the compiler vectorises them
/// (no per-pixel closures, no clamping in the inner loops of the hot paths). Each returns a new tightly packed image and reads only the `width × height` pixels (row padding is
/// ignored). `gatecheck-bench --scan` reports what each gains and costs on the degraded corpus
/// (docs/benchmarks.md).
extension GreyImage {
    /// The grey levels linearly stretched so that the darkest `clip` fraction of pixels maps to 0 and the
    /// brightest `clip` fraction to 255. An image whose levels span fewer than 2 values is returned unchanged.
    public func contrastStretched(clip: Double = 0.01) -> GreyImage {
        var histogram = [Int](repeating: 0, count: 256)
        pixels.withUnsafeBufferPointer { source in
            for row in 0..<height {
                let start = row * bytesPerRow
                for index in start..<(start + width) { histogram[Int(source[index])] += 1 }
            }
        }
        let cut = Int(Double(width * height) * min(max(clip, 0), 0.49))
        var low = 0
        var seen = histogram[0]
        while low < 255, seen <= cut {
            low += 1
            seen += histogram[low]
        }
        var high = 255
        seen = histogram[255]
        while high > 0, seen <= cut {
            high -= 1
            seen += histogram[high]
        }
        guard high - low >= 2 else { return self }
        let table: [UInt8] = (0..<256).map { level in
            let scaled = (level - low) * 255 / (high - low)
            return UInt8(clamping: scaled)
        }
        return lookedUp(in: table)
    }

    /// Half the width and height (rounded down, at least 1), each pixel the mean of a 2×2 block.
    /// A quarter of the pixels to scan; averaging also suppresses noise and makes large codes smaller.
    public func halved() -> GreyImage {
        let outWidth = max(width / 2, 1)
        let outHeight = max(height / 2, 1)
        var output = [UInt8](repeating: 0, count: outWidth * outHeight)
        let stride = bytesPerRow
        pixels.withUnsafeBufferPointer { source in
            output.withUnsafeMutableBufferPointer { destination in
                guard width >= 2, height >= 2 else {
                    // A one-pixel-wide or -high image: the pair repeats its only column or row.
                    for y in 0..<outHeight {
                        let top = min(2 * y, height - 1) * stride
                        let bottom = min(2 * y + 1, height - 1) * stride
                        for x in 0..<outWidth {
                            let left = min(2 * x, width - 1)
                            let right = min(2 * x + 1, width - 1)
                            let sum =
                                UInt16(source[top + left]) + UInt16(source[top + right]) + UInt16(source[bottom + left])
                                + UInt16(source[bottom + right])
                            destination[y * outWidth + x] = UInt8(truncatingIfNeeded: (sum &+ 2) >> 2)
                        }
                    }
                    return
                }
                // The hot path: no clamping, 16-bit sums, one output row from two input rows (vectorises).
                guard let input = source.baseAddress, let out = destination.baseAddress else { return }
                for y in 0..<outHeight {
                    let top = input + 2 * y * stride
                    let bottom = top + stride
                    let row = out + y * outWidth
                    for x in 0..<outWidth {
                        let sum =
                            UInt16(top[2 * x]) &+ UInt16(top[2 * x + 1]) &+ UInt16(bottom[2 * x]) &+ UInt16(bottom[2 * x + 1])
                        row[x] = UInt8(truncatingIfNeeded: (sum &+ 2) >> 2)
                    }
                }
            }
        }
        return GreyImage(validatedWidth: outWidth, height: outHeight, pixels: output)
    }

    /// Edges steepened by subtracting half the 4-neighbour Laplacian: `clamp(p + (4p − n − s − e − w) / 2)`,
    /// rounding down; the one-pixel border is copied. Undoes some of a lens or motion blur at the cost of
    /// amplifying noise, so the cascade tries it only after the plain image failed.
    public func sharpened() -> GreyImage {
        let width = width
        let height = height
        return mappingRows { input, stride, y, target in
            let row = input + y * stride
            guard y > 0, y < height - 1, width >= 3 else {
                target.update(from: row, count: width)
                return
            }
            let above = row - stride
            let below = row + stride
            target[0] = row[0]
            target[width - 1] = row[width - 1]
            for x in 1..<(width - 1) {
                let centre = Int16(row[x])
                let neighbours = Int16(above[x]) &+ Int16(below[x]) &+ Int16(row[x - 1]) &+ Int16(row[x + 1])
                let value = (6 &* centre &- neighbours) >> 1
                target[x] = UInt8(truncatingIfNeeded: min(max(value, 0), 255))
            }
        }
    }

    /// Twice the width and height (bilinear), for codes too small for zbar's finder-pattern scan lines.
    /// Four times the pixels to scan, so only worth it where small codes are expected. Nil when the result
    /// would exceed the image size limits.
    public func doubled() -> GreyImage? {
        let outWidth = width * 2
        let outHeight = height * 2
        guard ImageLimits.allows(width: outWidth, height: outHeight) else { return nil }
        var output = [UInt8](repeating: 0, count: outWidth * outHeight)
        pixels.withUnsafeBufferPointer { source in
            output.withUnsafeMutableBufferPointer { destination in
                for y in 0..<outHeight {
                    // Output pixel centre (y + 0.5) / 2 - 0.5 in source coordinates: y/2 - 0.25.
                    let sourceY = max(Double(y) / 2 - 0.25, 0)
                    let y0 = min(Int(sourceY), height - 1)
                    let y1 = min(y0 + 1, height - 1)
                    let fy = sourceY - Double(y0)
                    for x in 0..<outWidth {
                        let sourceX = max(Double(x) / 2 - 0.25, 0)
                        let x0 = min(Int(sourceX), width - 1)
                        let x1 = min(x0 + 1, width - 1)
                        let fx = sourceX - Double(x0)
                        let top = Double(source[y0 * bytesPerRow + x0]) * (1 - fx) + Double(source[y0 * bytesPerRow + x1]) * fx
                        let bottom =
                            Double(source[y1 * bytesPerRow + x0]) * (1 - fx) + Double(source[y1 * bytesPerRow + x1]) * fx
                        destination[y * outWidth + x] = UInt8(top * (1 - fy) + bottom * fy + 0.5)
                    }
                }
            }
        }
        return GreyImage(validatedWidth: outWidth, height: outHeight, pixels: output)
    }

    /// Every pixel replaced by `table[pixel]` (256 entries); the result is tightly packed.
    func lookedUp(in table: [UInt8]) -> GreyImage {
        precondition(table.count == 256)
        let width = width
        return table.withUnsafeBufferPointer { levels in
            mappingRows { input, stride, y, target in
                guard let lut = levels.baseAddress else { return }
                let row = input + y * stride
                for x in 0..<width { target[x] = lut[Int(row[x])] }
            }
        }
    }

    /// A packed image of this size whose row `y` `body` writes into `target` from the pixels at `input` (rows
    /// `stride` bytes apart): the buffers of the same-size operations, which keep their pixel loops in `body`
    /// (inlined, so those loops still vectorise).
    @inline(__always)
    func mappingRows(
        _ body: (_ input: UnsafePointer<UInt8>, _ stride: Int, _ y: Int, _ target: UnsafeMutablePointer<UInt8>) -> Void
    ) -> GreyImage {
        var output = [UInt8](repeating: 0, count: width * height)
        let stride = bytesPerRow
        let width = width
        pixels.withUnsafeBufferPointer { source in
            output.withUnsafeMutableBufferPointer { destination in
                guard let input = source.baseAddress, let out = destination.baseAddress else { return }
                for y in 0..<height { body(input, stride, y, out + y * width) }
            }
        }
        return GreyImage(validatedWidth: width, height: height, pixels: output)
    }

    /// For sizes derived from an existing valid image: no size checks can fail.
    init(validatedWidth width: Int, height: Int, pixels: [UInt8]) {
        guard let image = try? GreyImage(width: width, height: height, pixels: pixels) else {
            preconditionFailure("derived image \(width)x\(height) is invalid")
        }
        self = image
    }
}

extension GreyImage {
    /// The summed absolute differences between horizontal neighbours and between vertical neighbours. Motion
    /// blur flattens the picture along the motion, so the axis with the clearly smaller sum is the one it ran along.
    public func gradientSums() -> (horizontal: Int, vertical: Int) {
        var horizontal = 0
        var vertical = 0
        let stride = bytesPerRow
        let width = width
        pixels.withUnsafeBufferPointer { source in
            guard let input = source.baseAddress, width >= 2, height >= 2 else { return }
            for y in 0..<(height - 1) {
                let row = input + y * stride
                let below = row + stride
                var rowHorizontal: Int32 = 0
                var rowVertical: Int32 = 0
                // Per-row 32-bit sums vectorise; a row of at most 8192 pixels cannot overflow them.
                for x in 0..<(width - 1) {
                    rowHorizontal &+= abs(Int32(row[x + 1]) &- Int32(row[x]))
                    rowVertical &+= abs(Int32(below[x]) &- Int32(row[x]))
                }
                horizontal += Int(rowHorizontal)
                vertical += Int(rowVertical)
            }
        }
        return (horizontal, vertical)
    }

    /// Edges steepened along one axis only, at `distance` pixels: `clamp(p + (2p − p₋ − p₊))` with p₋, p₊ the pixels
    /// `distance` before and after along the axis (edge pixels repeat). Undoes some of a motion blur along that
    /// axis without amplifying the noise across it.
    public func sharpened(alongRows: Bool, distance: Int) -> GreyImage {
        let width = width
        let height = height
        let distance = max(distance, 1)
        return mappingRows { input, stride, y, target in
            let row = input + y * stride
            if alongRows {
                for x in 0..<width {
                    let before = Int16(row[max(x - distance, 0)])
                    let after = Int16(row[min(x + distance, width - 1)])
                    let value = 3 &* Int16(row[x]) &- before &- after
                    target[x] = UInt8(truncatingIfNeeded: min(max(value, 0), 255))
                }
            } else {
                let above = input + max(y - distance, 0) * stride
                let below = input + min(y + distance, height - 1) * stride
                for x in 0..<width {
                    let value = 3 &* Int16(row[x]) &- Int16(above[x]) &- Int16(below[x])
                    target[x] = UInt8(truncatingIfNeeded: min(max(value, 0), 255))
                }
            }
        }
    }
}

extension GreyImage {
    /// Each pixel the mean of its 3 × 3 neighbourhood (edge pixels repeat), rounded to nearest: a third of the
    /// noise, at little cost to edges a few pixels apart. The rectifying rung looks for finder patterns in it.
    public func smoothed() -> GreyImage {
        var output = [UInt8](repeating: 0, count: width * height)
        let stride = bytesPerRow
        let width = width
        let height = height
        // Horizontal sums of three, one row at a time, kept for the three rows the vertical sum needs.
        var sums = [[UInt16]](repeating: [UInt16](repeating: 0, count: width), count: 3)
        pixels.withUnsafeBufferPointer { source in
            guard let input = source.baseAddress else { return }
            func horizontalSums(of y: Int, into target: inout [UInt16]) {
                let row = input + min(max(y, 0), height - 1) * stride
                target.withUnsafeMutableBufferPointer { sum in
                    guard let out = sum.baseAddress else { return }
                    if width == 1 {
                        out[0] = 3 &* UInt16(row[0])
                        return
                    }
                    out[0] = 2 &* UInt16(row[0]) &+ UInt16(row[1])
                    out[width - 1] = UInt16(row[width - 2]) &+ 2 &* UInt16(row[width - 1])
                    for x in 1..<max(width - 1, 1) {
                        out[x] = UInt16(row[x - 1]) &+ UInt16(row[x]) &+ UInt16(row[x + 1])
                    }
                }
            }
            horizontalSums(of: -1, into: &sums[0])
            horizontalSums(of: 0, into: &sums[1])
            output.withUnsafeMutableBufferPointer { destination in
                guard let out = destination.baseAddress else { return }
                for y in 0..<height {
                    horizontalSums(of: y + 1, into: &sums[(y + 2) % 3])
                    let target = out + y * width
                    sums[0].withUnsafeBufferPointer { a in
                        sums[1].withUnsafeBufferPointer { b in
                            sums[2].withUnsafeBufferPointer { c in
                                guard let a = a.baseAddress, let b = b.baseAddress, let c = c.baseAddress else { return }
                                for x in 0..<width {
                                    // sum / 9, rounded, as a multiply and shift (sum ≤ 2295, so 32 bits hold it).
                                    let sum = UInt32(a[x]) &+ UInt32(b[x]) &+ UInt32(c[x])
                                    target[x] = UInt8(truncatingIfNeeded: (sum &* 7282 &+ 32768) >> 16)
                                }
                            }
                        }
                    }
                }
            }
        }
        return GreyImage(validatedWidth: width, height: height, pixels: output)
    }
}
