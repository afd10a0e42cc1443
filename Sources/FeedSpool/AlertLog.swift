import FeedCore
import Synchronization
import SystemPackage

#if canImport(Glibc)
import Glibc
#endif

/// The alert log: one line per delivered alert, appended with O_APPEND (so concurrent writers and
/// logrotate's rename are safe) and reopened on SIGHUP, never copy-truncated (reliability.md §8).
public final class AlertLog: Sendable {
    private let path: String
    private let fd = Mutex<FileDescriptor?>(nil)

    public init(path: String) throws(SpoolError) {
        self.path = path
        try reopen()
    }

    deinit { fd.withLock { try? $0?.close() } }

    /// Opens the path again (after logrotate renamed the old file).
    public func reopen() throws(SpoolError) {
        let dir = PathText.directory(of: path)
        if !dir.isEmpty { _ = mkdir(dir, 0o750) }
        let newFD = try SpoolError.call("open", path) {
            try FileDescriptor.opening(path, .writeOnly, options: [.create, .append], permissions: .spoolFile)
        }
        fd.withLock { old in
            try? old?.close()
            old = newFD
        }
    }

    /// Whether the log's last line is `line`: after a crash between appending a row's line and marking
    /// the row delivered, that line is the last one in the log, and delivering the row again must not
    /// write it twice. (A logrotate between the crash and the restart moves it out of sight: the line
    /// is then written again, into the new file.)
    public func endsWith(_ line: String) -> Bool {
        let want = Array((line + "\n").utf8)
        guard let f = try? FileDescriptor.opening(path, .readOnly) else { return false }
        defer { try? f.close() }
        // The byte before the line too: the whole line, not the end of a longer one.
        guard let size = try? f.seek(offset: 0, from: .end), size >= want.count else { return false }
        let start = size - Int64(want.count) - (size > want.count ? 1 : 0)
        var tail = [UInt8](repeating: 0, count: Int(size - start))
        guard let n = try? tail.withUnsafeMutableBytes({ try f.read(fromAbsoluteOffset: start, into: $0) }), n == tail.count
        else { return false }
        return tail.suffix(want.count).elementsEqual(want) && (size == want.count || tail.first == 0x0A)
    }

    /// Appends one line; CR, LF, NUL, U+2028/9 and bidi controls in fields are already folded by the caller.
    /// `writeAll` goes on after a short write (the descriptor is held, so the line stays whole) and
    /// reports the failing write's own errno.
    public func append(_ line: String) throws(SpoolError) {
        let bytes = Array((line + "\n").utf8)
        try fd.withLock { (f: inout FileDescriptor?) throws(SpoolError) in
            guard let f else { throw .syscall("write", path: path, errno: EBADF) }
            _ = try SpoolError.call("write", path) { try f.writeAll(bytes) }
        }
    }
}
