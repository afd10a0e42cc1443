import FeedSpool
import FeedTestSupport
import Foundation
import Testing

/// Issue 23, finding 7: two deliverers of one alert into one spool (a node adopting a dead node's alert,
/// a `once` beside `run`). Each writes a temporary file of its own, so neither can replace the other's
/// between its fsync and its link, and what lands in new/ is always a whole file.
@Suite("Spool: two deliverers of one alert", .serialized)
struct SpoolDelivererTests {
    @Test("a second deliverer between the first one's write and link leaves one whole file and nothing in tmp/")
    func twoDeliverers() async throws {
        try await Self.twoDeliverers(try DaemonHarness())
    }

    /// The scenario on the state `extra` names (top-level YAML: a `state_url`), with `environment` (its
    /// password): ClusterTests runs it on PostgreSQL.
    static func twoDeliverers(_ h: DaemonHarness, extra: String = "", environment: [String: String] = [:]) async throws {
        h.serve("/a.xml", items: [(goldTitle, "g1")])
        try h.writeConfig(feeds: ["/a.xml"], extra: extra)
        let faults = try h.faults("spool-pause")
        // The first deliverer: the real binary, paused after its temporary file is written and fsynced.
        let first = try RunningDaemon(
            harness: h, command: ["once"], environment: faults.merging(environment) { _, given in given })
        defer { first.kill9() }
        let tmp = h.spool + "/tmp"
        #expect(eventually { !Maildir.list(tmp).isEmpty }, "\(first.stderr)")
        let written = try #require(Maildir.list(tmp).first)
        let name = String(written[..<(try #require(written.range(of: ".json"))).upperBound])
        let payload = try #require(FileManager.default.contents(atPath: tmp + "/" + written))
        #expect(!payload.isEmpty)
        // The second deliverer of the same alert, through the same code, to the end.
        #expect(try Maildir(root: h.spool).deliver(name: name, payload: Array(payload)))
        try FileManager.default.removeItem(atPath: faults["FEEDWATCH_FAULTS"]! + "/spool-pause")
        #expect(first.waitForExit(seconds: 30) == 0, "\(first.stderr)")
        #expect(FileManager.default.contents(atPath: h.spool + "/new/" + name) == payload)
        #expect(Maildir.list(tmp).isEmpty, "each deliverer removed its own temporary file")
        #expect(h.alertFiles.count == 1)
    }
}
