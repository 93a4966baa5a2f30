import Foundation
import Frames
import ScanPipeline
import SystemCalls

/// A manual monotonic clock: `sleep` advances time instead of waiting, and is recorded.
final class ManualClock: @unchecked Sendable {
    private let lock = NSLock()
    private var current: MonotonicInstant
    private var recordedSleeps: [Duration] = []

    init(start: MonotonicInstant = Fixtures.instant(milliseconds: 0)) {
        current = start
    }

    var now: MonotonicInstant { lock.withLock { current } }
    var sleeps: [Duration] { lock.withLock { recordedSleeps } }

    func advance(by duration: Duration) {
        lock.withLock { current = current.advanced(by: duration) }
    }

    var clock: MonotonicClock {
        MonotonicClock(
            now: { [self] in now },
            sleep: { [self] duration in
                lock.withLock {
                    recordedSleeps.append(duration)
                    current = current.advanced(by: duration)
                }
            }
        )
    }
}

/// A frame source that plays a script of frames and errors, then ends.
final class ScriptedSource: FrameSource {
    enum Step {
        case frame(Frame)
        case error(FrameSourceError)
        /// Blocks this long before the next step (real time), to let the scan thread catch up.
        case pause(Duration)
    }

    let description = "scripted source"
    private var steps: [Step]
    private(set) var closeCount = 0

    init(_ steps: [Step]) {
        self.steps = steps
    }

    func nextFrame() throws(FrameSourceError) -> Frame? {
        while !steps.isEmpty {
            switch steps.removeFirst() {
            case .frame(let frame): return frame
            case .error(let error): throw error
            case .pause(let duration): MonotonicClock.system.sleep(duration)
            }
        }
        return nil
    }

    func close() {
        closeCount += 1
    }
}

/// Walks a value's stored properties (recursively, through arrays, optionals and enums) via Mirror.
enum Reflection {
    static func allValues(of value: Any, depth: Int = 0) -> [Any] {
        guard depth < 12 else { return [] }
        var result: [Any] = [value]
        for child in Mirror(reflecting: value).children {
            result += allValues(of: child.value, depth: depth + 1)
        }
        return result
    }

    static func labels(of value: Any) -> [String] {
        Mirror(reflecting: value).children.compactMap(\.label)
    }
}
