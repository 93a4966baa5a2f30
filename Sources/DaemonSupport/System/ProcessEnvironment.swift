import Glibc

/// Reads the process environment. Types that depend on it take a dictionary, so tests never touch the
/// real environment (setenv is not thread-safe, and tests run in parallel).
enum ProcessEnvironment {
    static func values(_ names: [String]) -> [String: String] {
        var values: [String: String] = [:]
        for name in names {
            if let value = getenv(name) { values[name] = String(cString: value) }
        }
        return values
    }

    static var processID: Int32 { getpid() }
}
