import Foundation

import Glibc

/// Polls `condition` every 20 ms for up to `seconds`; true as soon as it holds.
public func eventually(within seconds: Double = 10, _ condition: () throws -> Bool) rethrows -> Bool {
    let deadline = Date().addingTimeInterval(seconds)
    while Date() < deadline {
        if try condition() { return true }
        usleep(20_000)
    }
    return try condition()
}

/// `eventually` for async tests: waits with `Task.sleep`, so the test does not hold one of the few threads
/// of Swift's pool that the code under test may need.
public func eventuallyAsync(within seconds: Double = 10, _ condition: () throws -> Bool) async rethrows -> Bool {
    let deadline = Date().addingTimeInterval(seconds)
    while Date() < deadline {
        if try condition() { return true }
        try? await Task.sleep(for: .milliseconds(20))
    }
    return try condition()
}
