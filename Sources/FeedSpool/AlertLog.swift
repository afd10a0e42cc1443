import FeedCore
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// The alert log: one line per delivered alert, appended with O_APPEND (so concurrent writers and
/// logrotate's rename are safe) and reopened on SIGHUP, never copy-truncated (reliability.md §8).
public final class AlertLog: Sendable {
    private let path: String
    private let fd = Mutex<Int32>(-1)

    public init(path: String) throws(SpoolError) {
        self.path = path
        try reopen()
    }

    deinit { fd.withLock { if $0 >= 0 { close($0) } } }

    /// Opens the path again (after logrotate renamed the old file).
    public func reopen() throws(SpoolError) {
        let dir = PathText.directory(of: path)
        if !dir.isEmpty { _ = mkdir(dir, 0o750) }
        let newFD = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o640)
        guard newFD >= 0 else { throw .syscall("open", path: path, errno: errno) }
        fd.withLock { old in
            if old >= 0 { close(old) }
            old = newFD
        }
    }

    /// Whether the log's last line is `line`: after a crash between appending a row's line and marking
    /// the row delivered, that line is the last one in the log, and delivering the row again must not
    /// write it twice. (A logrotate between the crash and the restart moves it out of sight: the line
    /// is then written again, into the new file.)
    public func endsWith(_ line: String) -> Bool {
        let want = Array((line + "\n").utf8)
        let f = open(path, O_RDONLY | O_CLOEXEC)
        guard f >= 0 else { return false }
        defer { close(f) }
        var st = stat()
        guard fstat(f, &st) == 0, st.st_size >= want.count else { return false }
        var tail = [UInt8](repeating: 0, count: want.count)
        let n = tail.withUnsafeMutableBytes { pread(f, $0.baseAddress, want.count, off_t(st.st_size) - off_t(want.count)) }
        guard n == want.count, tail == want else { return false }
        // The whole line, not the end of a longer one.
        guard st.st_size > want.count else { return true }
        var before: UInt8 = 0
        return pread(f, &before, 1, off_t(st.st_size) - off_t(want.count) - 1) == 1 && before == 0x0A
    }

    /// Appends one line; CR, LF, NUL, U+2028/9 and bidi controls in fields are already folded by the caller.
    /// A short write goes on with the rest (the descriptor is held, so the line stays whole); a failed
    /// one reports its own errno, never a stale one.
    public func append(_ line: String) throws(SpoolError) {
        let bytes = Array((line + "\n").utf8)
        let failure: Int32? = fd.withLock { f in
            var written = 0
            while written < bytes.count {
                let n = bytes[written...].withUnsafeBytes { Glibc.write(f, $0.baseAddress, $0.count) }
                if n < 0 {
                    if errno == EINTR { continue }
                    return errno
                }
                if n == 0 { return EIO }
                written += n
            }
            return nil
        }
        if let failure { throw .syscall("write", path: path, errno: failure) }
    }
}
