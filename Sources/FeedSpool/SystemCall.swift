public import SystemPackage

#if canImport(Glibc)
import Glibc
#endif

/// swift-system's `FileDescriptor` for the spool's files (`writeAll` and `retryOnInterrupt` replace the
/// hand-written short-write and EINTR loops), plus the two calls it does not have: fsync(2) and flock(2).
extension FileDescriptor {
    /// fsync(2), retried on EINTR.
    public func sync() throws(Errno) {
        while Glibc.fsync(rawValue) != 0 {
            if Glibc.errno != EINTR { throw Errno(rawValue: Glibc.errno) }
        }
    }

    /// flock(2) without waiting: false when another process holds a conflicting lock.
    public func tryLock(exclusive: Bool) throws(Errno) -> Bool {
        while lockFile(rawValue, (exclusive ? LOCK_EX : LOCK_SH) | LOCK_NB) != 0 {
            let e = Glibc.errno
            if e == EWOULDBLOCK { return false }
            if e != EINTR { throw Errno(rawValue: e) }
        }
        return true
    }

    public func unlock() { _ = lockFile(rawValue, LOCK_UN) }

    /// Opens `path`, always with O_CLOEXEC (a sink's child must not inherit the spool's descriptors).
    public static func opening(
        _ path: String, _ mode: AccessMode, options: OpenOptions = [], permissions: FilePermissions? = nil
    ) throws -> FileDescriptor {
        try FileDescriptor.open(FilePath(path), mode, options: options.union(.closeOnExec), permissions: permissions)
    }
}

/// flock(2): the bare name is also glibc's `struct flock`, so the function is named by its type.
private let lockFile: @Sendable (Int32, Int32) -> Int32 = { flock($0, $1) }

extension SpoolError {
    /// Runs a call on `path`, reporting its errno as a SpoolError that names the call and the path.
    /// swift-system's calls throw `Errno` (untyped); anything else would be a bug of theirs, reported as EIO.
    static func call<T>(_ name: String, _ path: String, _ body: () throws -> T) throws(SpoolError) -> T {
        do {
            return try body()
        } catch let e as Errno {
            throw .syscall(name, path: path, errno: e.rawValue)
        } catch {
            throw .syscall(name, path: path, errno: EIO)
        }
    }
}
