import FeedSpool
import FeedTestSupport
import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// The shipped permissions, tried by someone else: a user who is only a member of the spool's and the
/// state's group (as `usermod -aG feedwatch USER` makes one) reads, shows and acknowledges alerts and
/// reads `status`, without write access to the state.
@Suite("A member of the feedwatch group", .serialized)
struct GroupAccessTests {
    static let group = "54321"
    static let member = "54322"

    /// `feedwatch ARGS` as uid `member` with `group` as its only group (setpriv from util-linux).
    func asMember(_ h: DaemonHarness, _ args: [String]) async throws -> Program.Result {
        try await Program.run(
            "/usr/bin/setpriv",
            [
                "--reuid=\(Self.member)", "--regid=\(Self.member)", "--groups=\(Self.group)", "--inh-caps=-all", "--",
                TestPaths.binary,
            ] + args + ["--config", h.configPath])
    }

    /// The layout the installation gives: owner and group as tmpfiles.d and the unit's UMask=0027 make
    /// them (spool 2750, new/ and cur/ 2770, state 0750 with files 0640); here owned by root and a group
    /// nobody else is in.
    func shippedLayout(_ h: DaemonHarness) throws {
        func chown(_ path: String) throws {
            #expect(Glibc.chown(path, 0, gid_t(Self.group)!) == 0, "chown \(path)")
        }
        for (dir, mode) in [
            ("spool", 0o2750), ("spool/tmp", 0o2750), ("spool/new", 0o2770), ("spool/cur", 0o2770), ("state", 0o750),
        ] {
            try chown(h.dir + "/" + dir)
            #expect(chmod(h.dir + "/" + dir, mode_t(mode)) == 0)
            for name in (try? FileManager.default.contentsOfDirectory(atPath: h.dir + "/" + dir)) ?? [] {
                let path = h.dir + "/" + dir + "/" + name
                guard !Directory.isDirectory(path) else { continue }
                try chown(path)
                #expect(chmod(path, 0o640) == 0)
            }
        }
    }

    @Test("lists, shows and acknowledges alerts, and reads status; the state stays read-only to it")
    func member() async throws {
        let h = try DaemonHarness()
        h.serve("/feed.xml", items: [("Gold prices rise as the dollar weakens", "g1")])
        try h.writeConfig(feeds: ["/feed.xml"])
        #expect(try await h.run(["once"]).status == 0)
        try shippedLayout(h)
        let id = try #require(h.alerts.first?["id"] as? String)

        let list = try await asMember(h, ["alerts", "list"])
        #expect(list.status == 0, "\(list.stderr)")
        #expect(list.stdout.contains(id))
        let show = try await asMember(h, ["alerts", "show", id])
        #expect(show.status == 0, "\(show.stderr)")
        #expect(show.stdout.contains("Gold prices rise"))
        #expect(!show.stderr.contains("story sources unknown"), "\(show.stderr)")
        let status = try await asMember(h, ["status"])
        #expect(status.status == 69, "not running, so not healthy: \(status.stderr)")  // but readable
        #expect(status.stdout.contains("daemon: not running"), "\(status.stdout)")
        #expect(status.stdout.contains("ok"), "\(status.stdout)")
        #expect(!status.stderr.contains("readonly"), "\(status.stderr)")
        let ack = try await asMember(h, ["alerts", "ack", id])
        #expect(ack.status == 0, "\(ack.stderr)")
        #expect(h.alertFiles.allSatisfy { $0.hasPrefix("cur/") })
        // And it cannot write the state: a once as the member is refused.
        #expect(try await asMember(h, ["once"]).status != 0)
    }
}
