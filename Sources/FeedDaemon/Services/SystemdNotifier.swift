public import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// sd_notify(3) without libsystemd: one datagram per message to `$NOTIFY_SOCKET` (a path, or `@name` in
/// the abstract namespace). A no-op when not started by systemd.
public struct SystemdNotifier: Sendable {
    private let address: [UInt8]?
    /// Half of `WATCHDOG_USEC` in milliseconds, when the watchdog is on for this process.
    public let watchdogMilliseconds: Int64?

    public init(environment: [String: String] = ProcessInfo.processInfo.environment) {
        if let socket = environment["NOTIFY_SOCKET"], let first = socket.utf8.first,
            first == UInt8(ascii: "/") || first == UInt8(ascii: "@")
        {
            var path = Array(socket.utf8)
            if path[0] == UInt8(ascii: "@") { path[0] = 0 }
            address = path.count < 108 ? path : nil
        } else {
            address = nil
        }
        if let usec = environment["WATCHDOG_USEC"].flatMap({ UInt64($0) }), usec > 0,
            environment["WATCHDOG_PID"].map({ Int32($0) == getpid() }) ?? true
        {
            watchdogMilliseconds = max(1, Int64(usec / 2000))
        } else {
            watchdogMilliseconds = nil
        }
    }

    public var isEnabled: Bool { address != nil }

    public func ready(status: String? = nil) { send("READY=1" + (status.map { "\nSTATUS=" + $0 } ?? "")) }
    public func reloading() {
        // systemd compares MONOTONIC_USEC with its own CLOCK_MONOTONIC, so this one reading is that clock
        // itself; every other monotonic time in the process is `Uptime` (ContinuousClock).
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        send("RELOADING=1\nMONOTONIC_USEC=\(UInt64(ts.tv_sec) * 1_000_000 + UInt64(ts.tv_nsec) / 1000)")
    }
    public func stopping() { send("STOPPING=1") }
    public func status(_ text: String) { send("STATUS=" + text) }
    public func watchdog() { send("WATCHDOG=1") }

    @discardableResult
    public func send(_ message: String) -> Bool {
        guard let address else { return false }
        let fd = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        var addr = sockaddr_un()
        addr.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &addr.sun_path) { $0.copyBytes(from: address) }
        let length = socklen_t(MemoryLayout<sa_family_t>.size + address.count)
        let sent = message.withCString { msg in
            withUnsafePointer(to: &addr) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    sendto(fd, msg, strlen(msg), Int32(MSG_NOSIGNAL), $0, length)
                }
            }
        }
        return sent >= 0
    }
}
