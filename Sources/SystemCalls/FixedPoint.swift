#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// printf's `%W.Pf` (`%.1f`, `%6.2f`): the same digits and rounding as `String(format:)`, which needs full
/// Foundation (and with it ICU's 30 MB of data) in the binary.
public enum FixedPoint {
    public static func text(_ value: Double, places: Int, width: Int = 0) -> String {
        withVaList([value]) { arguments in
            var buffer = [CChar](repeating: 0, count: 400)  // %f of the largest Double is 309 digits
            _ = vsnprintf(&buffer, buffer.count, "%\(width).\(places)f", arguments)
            return buffer.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
        }
    }
}
