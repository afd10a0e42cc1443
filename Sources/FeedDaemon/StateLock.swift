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
        self.fd = fd
    }

    deinit { close(fd) }
}
