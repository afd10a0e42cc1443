import FeedSpool
import SystemPackage

#if canImport(Glibc)
import Glibc
#endif

/// An exclusive lock on the state directory for the life of the process: a second `run` or `once` on the
/// same state exits with a clear message instead of writing beside the first (BI-38). The lock file
/// says who holds it (`<pid> <command>`), so `status` can tell whether the daemon is running.
public final class StateLock: Sendable {
    private let fd: FileDescriptor

    public init(directory: String, command: String = StateLock.currentCommand) throws(DaemonError) {
        let path = StateLock.path(directory)
        func failure(_ call: String, _ error: any Error) -> DaemonError {
            let e = (error as? Errno)?.rawValue ?? EIO
            return DaemonError(
                .io, "cannot \(call) \(path): \(String(cString: strerror(e)))",
                cause: SystemError(errno: e, call: call, path: path))
        }
        let fd: FileDescriptor
        do {
            fd = try FileDescriptor.opening(path, .readWrite, options: .create, permissions: [.ownerReadWrite, .groupRead])
        } catch {
            throw failure("open", error)
        }
        do {
            guard try fd.tryLock(exclusive: true) else {
                let holder = StateLock.read(fd)
                try? fd.close()
                throw DaemonError(.locked, StateLock.heldMessage(directory: directory, path: path, holder: holder))
            }
        } catch let e as DaemonError {
            throw e
        } catch {
            try? fd.close()
            throw failure("flock", error)
        }
        // Who holds it, for `status`; a failure here costs only that line.
        _ = try? fd.resize(to: 0)
        _ = try? fd.writeAll(toAbsoluteOffset: 0, Array("\(getpid()) \(command)\n".utf8))
        self.fd = fd
    }

    deinit { try? fd.close() }

    static func path(_ directory: String) -> String { directory + "/feedwatch.lock" }

    /// `run` or `once`: the subcommand this process was started with.
    public static var currentCommand: String { CommandLine.arguments.dropFirst().first ?? "feedwatch" }

    /// Who holds the lock, and what to do instead: a running daemon polls on its own and reads a
    /// changed configuration on `feedwatch reload`.
    static func heldMessage(directory: String, path: String, holder: (pid: Int32, command: String)?) -> String {
        guard let holder, holder.pid > 0 else {
            return "another feedwatch is already using \(directory) (lock held on \(path))"
        }
        let who = "feedwatch \(holder.command) (pid \(holder.pid))"
        guard holder.command == "run" else {
            return "\(who) is using \(directory) now (lock on \(path)); wait for it to finish"
        }
        return
            "\(who) is already running on \(directory) (lock on \(path)): it polls on its own schedule; after changing the configuration run `feedwatch reload` (SIGHUP), and to poll now stop it first"
    }

    /// The `<pid> <command>` the holder wrote.
    static func read(_ fd: FileDescriptor) -> (pid: Int32, command: String) {
        var buffer = [UInt8](repeating: 0, count: 128)
        let n = (try? buffer.withUnsafeMutableBytes { try fd.read(fromAbsoluteOffset: 0, into: $0) }) ?? 0
        let text = String(decoding: buffer.prefix(n), as: UTF8.self)
        let parts = text.split(whereSeparator: { $0 == " " || $0 == "\n" })
        return (parts.first.flatMap { Int32($0) } ?? 0, parts.dropFirst().first.map(String.init) ?? "feedwatch")
    }

    /// Who holds the lock of `directory` now: the pid and command it wrote, or nil when nobody holds it
    /// (no daemon is running on this state). Needs only read access to the lock file.
    public static func holder(directory: String) -> (pid: Int32, command: String)? {
        guard let fd = try? FileDescriptor.opening(path(directory), .readOnly) else { return nil }
        defer { try? fd.close() }
        // A shared lock we can take means nobody holds the exclusive one.
        guard let free = try? fd.tryLock(exclusive: false), !free else {
            fd.unlock()
            return nil
        }
        return read(fd)
    }
}
