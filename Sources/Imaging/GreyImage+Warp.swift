extension GreyImage {
    /// A `width × height` picture whose pixel (x, y) is this image sampled bilinearly at `sampling` applied to the
    /// pixel's centre (x + 0.5, y + 0.5); points outside the image take the nearest edge pixel. Nil when the size
    /// is not positive or beyond the image limits.
    ///
    /// The scan cascade's rectifying rung uses it to turn a tilted code's outline into an upright square.
    /// The numerators and the denominator are advanced by addition along each row, so a pixel costs one
    /// division and four loads.
    public func warped(width outWidth: Int, height outHeight: Int, sampling: Homography) -> GreyImage? {
        guard outWidth > 0, outHeight > 0, ImageLimits.allows(width: outWidth, height: outHeight) else { return nil }
        var output = [UInt8](repeating: 0, count: outWidth * outHeight)
        let m = sampling.matrix
        let stride = bytesPerRow
        let maxX = Double(width - 1)
        let maxY = Double(height - 1)
        let lastColumn = width - 1
        let lastRow = height - 1
        pixels.withUnsafeBufferPointer { source in
            output.withUnsafeMutableBufferPointer { destination in
                guard let input = source.baseAddress, let out = destination.baseAddress else { return }
                for y in 0..<outHeight {
                    let centreY = Double(y) + 0.5
                    var numeratorX = m[0] * 0.5 + m[1] * centreY + m[2]
                    var numeratorY = m[3] * 0.5 + m[4] * centreY + m[5]
                    var denominator = m[6] * 0.5 + m[7] * centreY + m[8]
                    let row = out + y * outWidth
                    for x in 0..<outWidth {
                        // Pixel centres sit at +0.5 in both pictures, so the source position is shifted back by half.
                        // Written so that NaN (a point at infinity) clamps too: Int(_:) would trap on it.
                        let reciprocal = denominator != 0 ? 1 / denominator : 0
                        var sourceX = numeratorX * reciprocal - 0.5
                        var sourceY = numeratorY * reciprocal - 0.5
                        if !(sourceX >= 0) { sourceX = 0 }
                        if !(sourceX <= maxX) { sourceX = maxX }
                        if !(sourceY >= 0) { sourceY = 0 }
                        if !(sourceY <= maxY) { sourceY = maxY }
                        let left = Int(sourceX)
                        let top = Int(sourceY)
                        let right = min(left + 1, lastColumn)
                        let bottom = min(top + 1, lastRow)
                        let fractionX = sourceX - Double(left)
                        let fractionY = sourceY - Double(top)
                        let upper = input + top * stride
                        let lower = input + bottom * stride
                        let above = Double(upper[left]) + (Double(upper[right]) - Double(upper[left])) * fractionX
                        let below = Double(lower[left]) + (Double(lower[right]) - Double(lower[left])) * fractionX
                        row[x] = UInt8(min(max(above + (below - above) * fractionY + 0.5, 0), 255))
                        numeratorX += m[0]
                        numeratorY += m[3]
                        denominator += m[6]
                    }
                }
            }
        }
        return GreyImage(validatedWidth: outWidth, height: outHeight, pixels: output)
    }
}
