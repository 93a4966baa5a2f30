/// Cheap pre-processing steps for a second scan attempt on frames where the first found nothing.
///
/// Each returns a new tightly packed image and reads only the `width × height` pixels (row padding is
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
        return mapped { table[Int($0)] }
    }

    /// Half the width and height (rounded down, at least 1), each pixel the mean of a 2×2 block.
    /// A quarter of the pixels to scan; averaging also suppresses noise and makes large codes smaller.
    public func halved() -> GreyImage {
        let outWidth = max(width / 2, 1)
        let outHeight = max(height / 2, 1)
        var output = [UInt8](repeating: 0, count: outWidth * outHeight)
        pixels.withUnsafeBufferPointer { source in
            output.withUnsafeMutableBufferPointer { destination in
                for y in 0..<outHeight {
                    let top = min(2 * y, height - 1) * bytesPerRow
                    let bottom = min(2 * y + 1, height - 1) * bytesPerRow
                    for x in 0..<outWidth {
                        let left = min(2 * x, width - 1)
                        let right = min(2 * x + 1, width - 1)
                        let sum =
                            Int(source[top + left]) + Int(source[top + right]) + Int(source[bottom + left])
                            + Int(source[bottom + right])
                        destination[y * outWidth + x] = UInt8((sum + 2) / 4)
                    }
                }
            }
        }
        return GreyImage(validatedWidth: outWidth, height: outHeight, pixels: output)
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

    /// Applies `transform` to every pixel; the result is tightly packed.
    func mapped(_ transform: (UInt8) -> UInt8) -> GreyImage {
        var output = [UInt8](repeating: 0, count: width * height)
        pixels.withUnsafeBufferPointer { source in
            output.withUnsafeMutableBufferPointer { destination in
                for row in 0..<height {
                    let from = row * bytesPerRow
                    let to = row * width
                    for column in 0..<width { destination[to + column] = transform(source[from + column]) }
                }
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
