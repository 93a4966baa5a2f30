import Foundation
import Frames
import GateCheckTestSupport
import Imaging
import ScanPipeline
import SystemCalls
import Testing
import Glibc

/// The mailbox hands over the newest frame, never a queue.
@Suite("LatestFrameMailbox")
struct LatestFrameMailboxTests {
    static let tiny: GreyImage = {
        do { return try GreyImage(width: 1, height: 1, pixels: [0]) } catch { fatalError("\(error)") }
    }()

    static func frame(_ sequence: UInt64) -> Frame {
        Frame(image: tiny, sequence: sequence, captured: MonotonicInstant(nanoseconds: sequence))
    }

    @Test func takeReturnsTheNewestAndCountsTheReplaced() {
        let mailbox = LatestFrameMailbox()
        for sequence in 1...3 as ClosedRange<UInt64> {
            mailbox.put(Self.frame(sequence))
            #expect(mailbox.holdsFrame)
        }
        #expect(mailbox.take(timeout: .zero)?.sequence == 3)
        #expect(!mailbox.holdsFrame)
        #expect(mailbox.framesPut == 3)
        #expect(mailbox.framesDropped == 2)
        #expect(mailbox.take(timeout: .milliseconds(20)) == nil)
    }

    @Test func takeTimesOutWithoutAFrame() {
        let mailbox = LatestFrameMailbox()
        let start = MonotonicInstant.now()
        #expect(mailbox.take(timeout: .milliseconds(50)) == nil)
        #expect(MonotonicInstant.now().milliseconds(since: start) >= 45)
    }

    /// Synchronous: real threads and blocking waits, so a busy cooperative pool cannot delay `close()`.
    @Test func closeWakesAWaitingTakerAndRefusesFrames() {
        let mailbox = LatestFrameMailbox()
        let done = Shared(false)
        let waiter = Thread {
            _ = mailbox.take(timeout: .seconds(30))
            done.withLock { $0 = true }
        }
        waiter.start()
        usleep(50_000)
        let closed = MonotonicInstant.now()
        mailbox.close()
        while !done.value && MonotonicInstant.now().milliseconds(since: closed) < 10_000 {
            usleep(5_000)
        }
        #expect(done.value, "take() must return when the mailbox closes, not at its 30 s timeout")
        #expect(!mailbox.put(Self.frame(1)))
        #expect(!mailbox.holdsFrame)
    }

    @Test func aFrameLeftAtCloseCanStillBeTaken() {
        let mailbox = LatestFrameMailbox()
        mailbox.put(Self.frame(7))
        mailbox.close()
        #expect(mailbox.take(timeout: .zero)?.sequence == 7)
        #expect(mailbox.take(timeout: .seconds(10)) == nil)  // closed and empty: at once
    }

    @Test func fastProducerSlowConsumerAlwaysGetsTheNewest() async {
        let mailbox = LatestFrameMailbox()
        let total: UInt64 = 20_000
        let producer = Thread {
            for sequence in 1...total {
                mailbox.put(Self.frame(sequence))
            }
            mailbox.close()
        }
        producer.start()

        var taken: [UInt64] = []
        while let frame = mailbox.take(timeout: .seconds(10)) {
            #expect(!mailbox.holdsFrame || frame.sequence < total)
            taken.append(frame.sequence)
            usleep(200)  // a slow scanner
        }
        // Strictly increasing: never an older frame after a newer one, never the same frame twice.
        #expect(zip(taken, taken.dropFirst()).allSatisfy { $0 < $1 })
        #expect(taken.last == total)
        #expect(UInt64(taken.count) + mailbox.framesDropped == total)
        #expect(mailbox.framesDropped > 0)
        #expect(mailbox.framesPut == total)
    }
}
