/// The directory that stands for `/` when building sysfs paths: `/` on a device, a temporary tree in tests.
struct SysfsRoot: Sendable {
    let path: String

    init(_ path: String) {
        // "/" and "/tmp/x/" both join without doubled slashes.
        var trimmed = path
        while trimmed.count > 1 && trimmed.hasSuffix("/") { trimmed.removeLast() }
        self.path = trimmed
    }

    /// `relative` (e.g. "sys/class/leds") under the root.
    func appending(_ relative: String) -> String {
        path == "/" ? "/" + relative : path + "/" + relative
    }
}
