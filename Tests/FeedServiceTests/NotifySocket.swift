import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// A datagram socket the test owns, standing in for systemd's `$NOTIFY_SOCKET`; it records every
/// message with its arrival time.
final class NotifySocket: @unchecked Sendable {
    let path: String
    private let fd: Int32
    private let lock = NSLock()
    private var _messages: [(Date, String)] = []
    private var stopped = false

    /// `abstract` binds in the abstract namespace (NOTIFY_SOCKET=@name).
    init(path: String, abstract: Bool = false) throws {
        self.path = abstract ? "@" + path : path
        fd = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue), 0)
        var addr = sockaddr_un()
        addr.sun_family = sa_family_t(AF_UNIX)
        var bytes = Array(path.utf8)
        if abstract { bytes.insert(0, at: 0) }
        withUnsafeMutableBytes(of: &addr.sun_path) { $0.copyBytes(from: bytes) }
        let len = socklen_t(MemoryLayout<sa_family_t>.size + bytes.count)
        let ok = withUnsafePointer(to: &addr) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, len) } }
        guard ok == 0 else { throw CocoaError(.fileWriteUnknown) }
        var tv = timeval(tv_sec: 0, tv_usec: 100_000)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
        Thread { [self] in receive() }.start()
    }

    deinit {
        lock.withLock { stopped = true }
        close(fd)
        if !path.hasPrefix("@") { unlink(path) }
    }

    private func receive() {
        var buf = [UInt8](repeating: 0, count: 4096)
        while !lock.withLock({ stopped }) {
            let n = recv(fd, &buf, buf.count, 0)
            if n > 0 {
                let text = String(decoding: buf[0..<n], as: UTF8.self)
                lock.withLock { _messages.append((Date(), text)) }
            }
        }
    }

    var messages: [String] { lock.withLock { _messages.map(\.1) } }

    func count(_ prefix: String, since: Date = .distantPast) -> Int {
        lock.withLock { _messages.filter { $0.0 >= since && $0.1.contains(prefix) }.count }
    }
}
