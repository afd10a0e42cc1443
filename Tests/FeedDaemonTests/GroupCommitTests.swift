import FeedTestSupport
import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// Group commit (issue "The data path at scale"): polls that finish together share one transaction. The
/// outbox rule must hold for every poll in a batch: kill -9 while batches are being written loses and
/// doubles nothing, with the real binary and many feeds in flight.
@Suite("Group commit")
struct GroupCommitTests {
    static let feeds = 24

    func harness() throws -> DaemonHarness {
        let h = try DaemonHarness()
        for i in 0..<Self.feeds {
            h.serve(
                "/f\(i).xml",
                items: [
                    ("Gold prices rise as the dollar weakens, feed \(i)", "g\(i)"),
                    ("A quiet day in the village \(i)", "v\(i)"),
                ])
        }
        // Stories off: each feed's alert stands alone, so every one of them must arrive.
        try h.writeConfig(feeds: (0..<Self.feeds).map { "/f\($0).xml" }, alerts: "max_age: 0\nstory_window: 0")
        return h
    }

    @Test(
        "kill -9 while polls commit in groups: one file per alert after a restart",
        arguments: ["before-pending-commit", "after-story-commit", "after-link"])
    func crashDuringGroupCommit(point: String) async throws {
        let h = try harness()
        let crashed = try await h.run(["once"], environment: try h.faults("crash-at-" + point))
        #expect(crashed.status == 128 + SIGKILL, "the crash point did not fire: \(crashed.stderr)")
        let after = try await h.run(["once"])
        #expect(after.status == 0, "\(after.stderr)")
        #expect(h.alertFiles.count == Self.feeds)
        #expect(Set(h.alerts.compactMap { ($0["entry"] as? [String: Any])?["id"] as? String }).count == Self.feeds)
        // And again: nothing doubles, in the spool or in the log.
        #expect(try await h.run(["once"]).status == 0)
        #expect(h.alertFiles.count == Self.feeds)
        let lines = (try? String(contentsOfFile: h.logFile, encoding: .utf8))?.split(separator: "\n") ?? []
        #expect(lines.count == Self.feeds)
    }

    @Test("every poll of a cycle is committed, and the state holds each feed once")
    func allPollsCommitted() async throws {
        let h = try harness()
        #expect(try await h.run(["once"]).status == 0)
        #expect(h.alertFiles.count == Self.feeds)
        let status = try await h.run(["status", "--json"])
        // After a `once` nothing runs: that is the only problem status reports.
        #expect(status.status == 69)
        #expect(status.stdout.contains(#""problems":["the daemon is not running"]"#), "\(status.stdout)")
        for i in 0..<Self.feeds { #expect(status.stdout.contains("/f\(i).xml\"")) }
    }
}
