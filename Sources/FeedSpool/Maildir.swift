@_spi(Faults) import FeedCore
import Synchronization
import SystemPackage

#if canImport(Glibc)
import Glibc
#endif

/// The alert spool: a maildir (reliability.md §4). A file is written in `tmp/`, fsynced, hard-linked into
/// `new/` (link never overwrites, so a second delivery of the same name is detected, not doubled), and the
/// directory is fsynced. Readers take files from `new/` and move them to `cur/`.
public struct Maildir: Sendable {
    public let root: String

    public init(root: String) {
        self.root = root
    }

    public var tmp: String { root + "/tmp" }
    public var new: String { root + "/new" }
    public var cur: String { root + "/cur" }

    /// Creates `tmp/ new/ cur/`, checks that they are writable and on one filesystem, fsyncs the root, and
    /// removes our own stale files from `tmp/` (older than 36 hours, as maildir(5) says).
    public func prepare() throws(SpoolError) {
        for dir in [root, tmp, new, cur] {
            if mkdir(dir, 0o750) != 0, errno != EEXIST { throw .syscall("mkdir", path: dir, errno: errno) }
            if access(dir, W_OK | X_OK) != 0 { throw .syscall("access", path: dir, errno: errno) }
        }
        var a = stat()
        var b = stat()
        guard stat(tmp, &a) == 0, stat(new, &b) == 0 else { throw .syscall("stat", path: root, errno: errno) }
        guard a.st_dev == b.st_dev else {
            throw SpoolError(.layout, "\(tmp) and \(new) are on different filesystems; delivery needs link(2) between them")
        }
        try syncDirectory(root)
        cleanStaleTemporaryFiles()
    }

    /// Delivers `payload` as `new/<name>`. Idempotent: a file of that name already in `new/` or `cur/`
    /// means the alert was delivered before a crash, and nothing is written twice. Returns true when this
    /// call delivered it, false when it was already there.
    @discardableResult
    public func deliver(name: String, payload: [UInt8]) throws(SpoolError) -> Bool {
        precondition(!name.contains("/") && !name.hasPrefix("."), "spool names never come from feed text")
        if isDelivered(name) { return false }
        // A name of this delivery's own, as maildir(5) has it (host, process, sequence): another deliverer
        // of the same alert (a node adopting it, a `once` beside `run`) never replaces this file before the
        // link, so what is linked into new/ is always a whole, fsynced file (issue 23, finding 7).
        let tmpPath = tmp + "/" + name + "." + Maildir.deliveryTag() + ".tmp"
        let fd = try SpoolError.call("open", tmpPath) {
            try FileDescriptor.opening(
                tmpPath, .writeOnly, options: [.create, .exclusiveCreate, .noFollow], permissions: .spoolFile)
        }
        do {
            // A simulated full disk fails here, as a real one does: after the temporary file exists, so
            // the cleanup below is what the test sees.
            try SpoolError.call("write", tmpPath) {
                if Fault.spoolFull.isArmed { throw Errno.noSpace }
                _ = try fd.writeAll(payload)
            }
            try SpoolError.call("fsync", tmpPath) { try fd.sync() }
            try? fd.close()
        } catch {
            try? fd.close()
            unlink(tmpPath)
            throw error
        }
        CrashPoint.afterTmpWrite.reach()
        while Fault.spoolPause.isArmed { usleep(20_000) }
        let newPath = new + "/" + name
        var linked = true
        if link(tmpPath, newPath) != 0 {
            let e = errno
            guard e == EEXIST else {
                unlink(tmpPath)
                throw .syscall("link", path: newPath, errno: e)
            }
            linked = false
        }
        CrashPoint.afterLink.reach()
        unlink(tmpPath)
        try syncDirectory(new)
        return linked
    }

    /// In `new/`, or in `cur/` under its name or with maildir flags (`name:2,S`).
    public func isDelivered(_ name: String) -> Bool {
        if access(new + "/" + name, F_OK) == 0 || access(cur + "/" + name, F_OK) == 0 { return true }
        return Maildir.list(cur).contains { $0.hasPrefix(name + ":") }
    }

    func syncDirectory(_ path: String) throws(SpoolError) {
        let fd = try SpoolError.call("open", path) { try FileDescriptor.opening(path, .readOnly, options: .directory) }
        defer { try? fd.close() }
        try SpoolError.call("fsync", path) { try fd.sync() }
    }

    private func cleanStaleTemporaryFiles() {
        let cutoff = time(nil) - 36 * 3600
        for name in Maildir.list(tmp) where name.hasSuffix(".json") || name.hasSuffix(".tmp") {
            var st = stat()
            if stat(tmp + "/" + name, &st) == 0, st.st_mtim.tv_sec < cutoff { unlink(tmp + "/" + name) }
        }
    }

    /// `host-pid-sequence`: unique among the deliveries of every process on every host sharing the spool.
    static func deliveryTag() -> String {
        "\(deliveryHost)-\(getpid())-\(deliverySequence.add(1, ordering: .relaxed).newValue)"
    }

    /// The host name, read once, with the characters a maildir name cannot carry replaced.
    private static let deliveryHost: String = {
        var buffer = [CChar](repeating: 0, count: 256)
        let host = gethostname(&buffer, buffer.count - 1) == 0 ? String(cString: buffer) : "localhost"
        return String(host.map { $0 == "/" || $0 == ":" || $0 == "." ? "_" : $0 })
    }()

    /// File names in `dir`, sorted, without dot files.
    public static func list(_ dir: String) -> [String] {
        Directory.names(in: dir).filter { !$0.hasPrefix(".") }.sorted()
    }
}

/// This process's deliveries so far, for `Maildir.deliveryTag`.
private let deliverySequence = Atomic<Int>(0)

extension FilePermissions {
    /// rw-r-----: alert files are read by the group that reads the spool.
    static let spoolFile: FilePermissions = [.ownerReadWrite, .groupRead]
}
