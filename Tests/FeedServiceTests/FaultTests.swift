import FeedTestSupport
import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// Real faults under the real binary (reliability.md §10): a read-only spool and a full state are real
/// file systems (a tmpfs, remounted read-only or filled), since root ignores file modes; a corrupt state
/// is garbage in its file. Each time `once` exits 74, and once the fault clears every alert ends up in
/// the spool exactly once.
@Suite("Faults survived", .serialized, .enabled(if: Mounts.available, "needs root and permission to mount a tmpfs"))
struct FaultTests {
    @Test("a read-only spool: exit 74, nothing lost; writable again, each alert exactly once")
    func readOnlySpool() async throws {
        let h = try DaemonHarness()
        h.serve("/f.xml", items: [(goldTitle, "g1")])
        try h.writeConfig(feeds: ["/f.xml"])
        try Mounts.tmpfs(at: h.spool, kilobytes: 1024)
        defer { Mounts.unmount(h.spool) }
        try Mounts.remount(h.spool, readOnly: true)
        let refused = try await h.run(["once"])
        #expect(refused.status == 74, "\(refused.stderr)")
        #expect(refused.stderr.contains("spool"), "\(refused.stderr)")
        try Mounts.remount(h.spool, readOnly: false)
        #expect(try await h.run(["once"]).status == 0)
        #expect(try await h.run(["once"]).status == 0)
        #expect(h.alertTitles == [goldTitle])
    }

    @Test("BI-35 tmp/ and new/ on different file systems: refused at start with the reason (link(2) needs one)")
    func splitSpool() async throws {
        let h = try DaemonHarness()
        h.serve("/f.xml", items: [(goldTitle, "g1")])
        try h.writeConfig(feeds: ["/f.xml"])
        try Mounts.tmpfs(at: h.spool + "/new", kilobytes: 256)
        defer { Mounts.unmount(h.spool + "/new") }
        let r = try await h.run(["once"])
        #expect(r.status == 74)
        #expect(r.stderr.contains("different filesystems"), "\(r.stderr)")
        #expect(h.alertFiles.isEmpty)
    }

    @Test("a full state: exit 74 and the state says so; with room again, each alert exactly once")
    func fullState() async throws {
        let h = try DaemonHarness()
        h.serve("/f.xml", items: [(plainTitle, "p1")])
        try h.writeConfig(feeds: ["/f.xml"])
        let state = h.dir + "/state"
        try FileManager.default.createDirectory(atPath: state, withIntermediateDirectories: true)
        try Mounts.tmpfs(at: state, kilobytes: 2048)
        defer { Mounts.unmount(state) }
        #expect(try await h.run(["once"]).status == 0)
        // Fill what is left, then bring news that would alert.
        let filler = state + "/filler"
        _ = try? await Program.run("/bin/dd", ["if=/dev/zero", "of=" + filler, "bs=4096"])
        h.serve("/f.xml", items: [(plainTitle, "p1"), (goldTitle, "g1")])
        let full = try await h.run(["once"])
        #expect(full.status == 74, "\(full.stdout)\(full.stderr)")
        // At start (the state cannot be opened for writing) or at a poll's commit: either way it names the state.
        #expect(full.stdout.contains("state:") || full.stderr.contains("state"), "\(full.stdout)\(full.stderr)")
        #expect(h.alertFiles.isEmpty)
        try FileManager.default.removeItem(atPath: filler)
        #expect(try await h.run(["once"]).status == 0)
        #expect(try await h.run(["once"]).status == 0)
        #expect(h.alertTitles == [goldTitle])
    }

    /// Issue 23, finding 2: the receiver has the alert, the state cannot say so. The result is held and
    /// recorded once there is room; the alert is never POSTed again meanwhile.
    @Test("a sink result the full state cannot record is held, not sent again, and recorded once there is room")
    func sinkResultOnFullState() async throws {
        let h = try DaemonHarness()
        let state = h.dir + "/state"
        try FileManager.default.createDirectory(atPath: state, withIntermediateDirectories: true)
        try Mounts.tmpfs(at: state, kilobytes: 4096)
        defer { Mounts.unmount(state) }
        let filler = state + "/filler"
        // The first POST fills the state's file system before it is answered 200.
        let server = try TestHTTPServer { request in
            if request.method == "POST", !FileManager.default.fileExists(atPath: filler) { Self.fill(filler) }
            return .respond(status: 200, headers: [], body: Array("ok".utf8))
        }
        h.serve("/f.xml", items: [(goldTitle, "g1")])
        try h.writeConfig(feeds: ["/f.xml"], webhook: server.baseURL + "/hook")
        let daemon = try RunningDaemon(harness: h)
        defer { daemon.kill9() }
        #expect(eventually { daemon.stderr.contains("cannot record a sink delivery") }, "\(daemon.stderr)")
        try await Task.sleep(for: .seconds(5))
        #expect(server.requests.filter { $0.method == "POST" }.count == 1, "held, not sent again")
        try FileManager.default.removeItem(atPath: filler)
        #expect(eventually(40) { daemon.stderr.contains("recorded the held result of alert") }, "\(daemon.stderr)")
        daemon.signal(SIGTERM)
        #expect(daemon.waitForExit(seconds: 30) == 0, "\(daemon.stderr)")
        let status = try await h.run(["status", "--json"])
        #expect(status.stdout.contains(#""delivered":1,"pending":0,"failed":0"#), "\(status.stdout)")
        #expect(server.requests.filter { $0.method == "POST" }.count == 1)
    }

    /// Writes zeros to `path` until the file system is full.
    static func fill(_ path: String) {
        guard let f = fopen(path, "w") else { return }
        defer { fclose(f) }
        let block = [UInt8](repeating: 0, count: 64 * 1024)
        while fwrite(block, 1, block.count, f) == block.count, fflush(f) == 0 {}
    }

    @Test("a corrupt state: exit 74 naming the state, status too; the state restored, nothing doubled")
    func corruptState() async throws {
        let h = try DaemonHarness()
        h.serve("/f.xml", items: [(goldTitle, "g1")])
        try h.writeConfig(feeds: ["/f.xml"])
        #expect(try await h.run(["once"]).status == 0)
        let db = h.dir + "/state/state.sqlite"
        let good = try Data(contentsOf: URL(fileURLWithPath: db))
        try Data(repeating: 0x41, count: good.count).write(to: URL(fileURLWithPath: db))
        let broken = try await h.run(["once"])
        #expect(broken.status == 74)
        #expect(broken.stderr.contains("state"), "\(broken.stderr)")
        #expect(try await h.run(["status"]).status == 74)
        try good.write(to: URL(fileURLWithPath: db))
        #expect(try await h.run(["once"]).status == 0)
        #expect(h.alertTitles == [goldTitle])
    }
}

/// tmpfs mounts for the fault tests (root, with CAP_SYS_ADMIN, as on the project's machines), through
/// mount(2) itself: synchronous, so `available` can decide a trait.
enum Mounts {
    static let available: Bool = {
        guard getuid() == 0, let dir = try? TestPaths.temporaryDirectory("mount-probe") else { return false }
        defer { try? FileManager.default.removeItem(atPath: dir) }
        guard (try? tmpfs(at: dir, kilobytes: 64)) != nil else { return false }
        unmount(dir)
        return true
    }()

    struct Failed: Error, CustomStringConvertible { var description: String }

    static func tmpfs(at path: String, kilobytes: Int) throws {
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        try call("mount tmpfs on \(path)", mount("tmpfs", path, "tmpfs", 0, "size=\(kilobytes)k,mode=0755"))
    }

    static func remount(_ path: String, readOnly: Bool) throws {
        let flags = UInt(MS_REMOUNT) | (readOnly ? UInt(MS_RDONLY) : 0)
        try call("remount \(path)", mount("tmpfs", path, "tmpfs", flags, nil))
    }

    static func unmount(_ path: String) { _ = umount2(path, Int32(MNT_DETACH)) }

    private static func call(_ what: String, _ result: Int32) throws {
        guard result == 0 else { throw Failed(description: "\(what): \(String(cString: strerror(errno)))") }
    }
}
