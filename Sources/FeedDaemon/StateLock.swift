#if canImport(Glibc)
import Glibc
#endif

/// An exclusive lock on the state directory for the life of the process: a second `run` or `once` on the
/// same state exits with a clear message instead of writing beside the first (BI-38). The lock file
/// says who holds it (`<pid> <command>`), so `status` can tell whether the daemon is running.
public final class StateLock: Sendable {
    private let fd: Int32

    public init(directory: String, command: String = StateLock.currentCommand) throws(DaemonError) {
        let path = StateLock.path(directory)
        let fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o640)
        guard fd >= 0 else {
            let e = errno
            throw DaemonError(
                .io, "cannot open \(path): \(String(cString: strerror(e)))",
                cause: SystemError(errno: e, call: "open", path: path))
        }
        if flock(fd, LOCK_EX | LOCK_NB) != 0 {
            close(fd)
            throw DaemonError(.locked, "another feedwatch is already using \(directory) (lock held on \(path))")
        }
        let holder = Array("\(getpid()) \(command)\n".utf8)
        if ftruncate(fd, 0) == 0 { _ = holder.withUnsafeBytes { pwrite(fd, $0.baseAddress, $0.count, 0) } }
        self.fd = fd
    }

    deinit { close(fd) }

    static func path(_ directory: String) -> String { directory + "/feedwatch.lock" }

    /// `run` or `once`: the subcommand this process was started with.
    public static var currentCommand: String { CommandLine.arguments.dropFirst().first ?? "feedwatch" }

    /// Who holds the lock of `directory` now: the pid and command it wrote, or nil when nobody holds it
    /// (no daemon is running on this state). Needs only read access to the lock file.
    public static func holder(directory: String) -> (pid: Int32, command: String)? {
        let fd = open(path(directory), O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        if flock(fd, LOCK_SH | LOCK_NB) == 0 {
            flock(fd, LOCK_UN)
            return nil
        }
        guard errno == EWOULDBLOCK else { return nil }
        var buffer = [UInt8](repeating: 0, count: 128)
        let n = buffer.withUnsafeMutableBytes { pread(fd, $0.baseAddress, $0.count, 0) }
        let text = String(decoding: buffer.prefix(max(0, n)), as: UTF8.self)
        let parts = text.split(whereSeparator: { $0 == " " || $0 == "\n" })
        return (parts.first.flatMap { Int32($0) } ?? 0, parts.dropFirst().first.map(String.init) ?? "feedwatch")
    }
}
