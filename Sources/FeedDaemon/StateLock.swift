#if canImport(Glibc)
import Glibc
#endif

/// An exclusive lock on the state directory for the life of the process: a second `run` or `once` on the
/// same state exits with a clear message instead of writing beside the first (BI-38).
public final class StateLock: Sendable {
    private let fd: Int32

    public init(directory: String) throws(DaemonError) {
        let path = directory + "/feedwatch.lock"
        let fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o640)
        guard fd >= 0 else { throw DaemonError(.io, "cannot open \(path): \(String(cString: strerror(errno)))") }
        if flock(fd, LOCK_EX | LOCK_NB) != 0 {
            close(fd)
            throw DaemonError(.locked, "another feedwatch is already using \(directory) (lock held on \(path))")
        }
        self.fd = fd
    }

    deinit { close(fd) }
}

/// Errors that stop a daemon command, with the sysexits code it exits with.
public struct DaemonError: Error, Sendable, CustomStringConvertible {
    public enum Code: Sendable { case config, io, locked, data }

    public var code: Code
    public var message: String

    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { message }

    /// sysexits(3): 78 configuration, 74 I/O (a held lock included), 65 data.
    public var exitCode: Int32 {
        switch code {
        case .config: return 78
        case .io, .locked: return 74
        case .data: return 65
        }
    }
}
