public import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// A real HTTP/1.1 server on a loopback address, scripted per request, for fetcher tests
/// (reliability.md §10: hostile servers). Every connection is counted, so a server can also serve as
/// the canary that proves nothing was sent to it.
public final class TestHTTPServer: @unchecked Sendable {
    public struct Request: Sendable {
        public var method: String
        public var path: String
        /// Header names lower-cased.
        public var headers: [String: String]
        /// The body a Content-Length announced (a webhook's POST).
        public var body: [UInt8] = []
        /// When the request had been read.
        public var receivedAt = Date()
    }

    public enum Action: Sendable {
        case respond(status: Int, headers: [(String, String)], body: [UInt8])
        /// Body written `chunk` bytes at a time with `delay` seconds between writes.
        case drip(status: Int, headers: [(String, String)], body: [UInt8], chunk: Int, delay: Double)
        /// A chunked body that never ends.
        case endless
        /// Accept, read the request, and never answer.
        case hang
        /// Raw bytes, as they are.
        case raw([UInt8])
        /// Wait, then respond.
        case delayed(seconds: Double, status: Int, headers: [(String, String)], body: [UInt8])
    }

    public typealias Handler = @Sendable (Request) -> Action

    public let address: String
    public private(set) var port: UInt16 = 0
    private let handler: Handler
    private let fd: Int32
    private let lock = NSLock()
    private var _requests: [Request] = []
    private var _connections = 0
    private var _active = 0
    private var _maxActive = 0
    private var stopped = false

    public var baseURL: String { "http://\(address):\(port)" }
    public var requests: [Request] { lock.withLock { _requests } }
    public var connections: Int { lock.withLock { _connections } }
    /// The most requests being handled at the same time.
    public var maxConcurrent: Int { lock.withLock { _maxActive } }

    public init(address: String = "127.0.0.1", handler: @escaping Handler) throws {
        self.address = address
        self.handler = handler
        fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var yes: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &yes, socklen_t(MemoryLayout<Int32>.size))
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_addr.s_addr = inet_addr(address)
        addr.sin_port = 0
        var len = socklen_t(MemoryLayout<sockaddr_in>.size)
        let ok = withUnsafePointer(to: &addr) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, len) } }
        guard ok == 0, listen(fd, 128) == 0 else { throw ServerError(message: "cannot listen on \(address)") }
        _ = withUnsafeMutablePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &len) }
        }
        port = UInt16(bigEndian: addr.sin_port)
        let t = Thread { [self] in acceptLoop() }
        t.start()
    }

    deinit { stop() }

    public func stop() {
        let already = lock.withLock { () -> Bool in
            defer { stopped = true }
            return stopped
        }
        if !already {
            shutdown(fd, Int32(SHUT_RDWR))
            close(fd)
        }
    }

    private var isStopped: Bool { lock.withLock { stopped } }

    private func acceptLoop() {
        while !isStopped {
            let c = accept(fd, nil, nil)
            if c < 0 {
                if isStopped { return }
                continue
            }
            lock.withLock { _connections += 1 }
            let t = Thread { [self] in serve(c) }
            t.start()
        }
    }

    private func serve(_ c: Int32) {
        defer { close(c) }
        var data = [UInt8]()
        var buf = [UInt8](repeating: 0, count: 4096)
        while !data.containsHeaderEnd {
            let n = read(c, &buf, buf.count)
            if n <= 0 { return }
            data.append(contentsOf: buf[0..<n])
            if data.count > 1 << 20 { return }
        }
        let head = String(decoding: data, as: UTF8.self).components(separatedBy: "\r\n\r\n")[0]
        var lines = head.components(separatedBy: "\r\n")
        let first = lines.removeFirst().split(separator: " ")
        var headers: [String: String] = [:]
        for l in lines {
            guard let colon = l.firstIndex(of: ":") else { continue }
            headers[l[..<colon].lowercased()] = l[l.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        var body: [UInt8] = []
        if let length = headers["content-length"].flatMap({ Int($0) }), length > 0, length < 16 << 20,
            let end = data.headerEnd
        {
            body = Array(data[end...])
            while body.count < length {
                let n = read(c, &buf, buf.count)
                if n <= 0 { break }
                body.append(contentsOf: buf[0..<n])
            }
        }
        let request = Request(
            method: first.first.map(String.init) ?? "", path: first.count > 1 ? String(first[1]) : "/",
            headers: headers, body: body)
        lock.withLock {
            _requests.append(request)
            _active += 1
            _maxActive = max(_maxActive, _active)
        }
        // A request stops counting as active just before its complete answer is sent: once the client has
        // it, it may start the next request before this thread is scheduled again.
        var counted = true
        func done() {
            if counted { lock.withLock { _active -= 1 } }
            counted = false
        }
        defer { done() }
        switch handler(request) {
        case .respond(let status, let hs, let body):
            done()
            write(c, TestHTTPServer.head(status, hs, length: body.count) + body)
        case .delayed(let seconds, let status, let hs, let body):
            Thread.sleep(forTimeInterval: seconds)
            done()
            write(c, TestHTTPServer.head(status, hs, length: body.count) + body)
        case .drip(let status, let hs, let body, let chunk, let delay):
            guard write(c, TestHTTPServer.head(status, hs, length: body.count)) else { return }
            var i = 0
            while i < body.count, !isStopped {
                guard write(c, Array(body[i..<min(i + chunk, body.count)])) else { return }
                i += chunk
                Thread.sleep(forTimeInterval: delay)
            }
        case .endless:
            guard
                write(c, Array("HTTP/1.1 200 OK\r\nContent-Type: application/rss+xml\r\nTransfer-Encoding: chunked\r\n\r\n".utf8))
            else { return }
            let piece = Array(String(repeating: "<item><title>x</title></item>", count: 500).utf8)
            let chunk = Array(String(piece.count, radix: 16).utf8) + [13, 10] + piece + [13, 10]
            while !isStopped { if !write(c, chunk) { return } }
        case .hang:
            while !isStopped { Thread.sleep(forTimeInterval: 0.05) }
        case .raw(let bytes):
            write(c, bytes)
        }
    }

    @discardableResult
    private func write(_ c: Int32, _ bytes: [UInt8]) -> Bool {
        var off = 0
        while off < bytes.count {
            let n = bytes[off...].withUnsafeBytes { send(c, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            if n <= 0 { return false }
            off += n
        }
        return true
    }

    static func head(_ status: Int, _ headers: [(String, String)], length: Int) -> [UInt8] {
        var s = "HTTP/1.1 \(status) \(reason(status))\r\n"
        for (k, v) in headers { s += "\(k): \(v)\r\n" }
        if !headers.contains(where: { $0.0.lowercased() == "content-length" }) { s += "Content-Length: \(length)\r\n" }
        s += "Connection: close\r\n\r\n"
        return Array(s.utf8)
    }

    static func reason(_ status: Int) -> String {
        switch status {
        case 200: return "OK"
        case 301: return "Moved Permanently"
        case 302: return "Found"
        case 304: return "Not Modified"
        case 308: return "Permanent Redirect"
        case 404: return "Not Found"
        case 410: return "Gone"
        case 429: return "Too Many Requests"
        case 503: return "Service Unavailable"
        default: return "Status"
        }
    }

    public struct ServerError: Error { public var message: String }
}

extension [UInt8] {
    /// Where the body starts: after the first CRLF CRLF.
    var headerEnd: Int? {
        guard count >= 4 else { return nil }
        for i in 0...(count - 4) where self[i] == 13 && self[i + 1] == 10 && self[i + 2] == 13 && self[i + 3] == 10 {
            return i + 4
        }
        return nil
    }

    var containsHeaderEnd: Bool {
        guard count >= 4 else { return false }
        for i in 0...(count - 4) where self[i] == 13 && self[i + 1] == 10 && self[i + 2] == 13 && self[i + 3] == 10 {
            return true
        }
        return false
    }
}

/// Compressed fixtures made with the system's own tools, so tests do not trust our code to build them.
public enum Compress: Sendable {
    public static func gzip(_ bytes: [UInt8]) throws -> [UInt8] { try pipe(["gzip", "-c", "-9"], bytes) }
    public static func brotli(_ bytes: [UInt8]) throws -> [UInt8] { try pipe(["brotli", "-c"], bytes) }

    static func pipe(_ command: [String], _ input: [UInt8]) throws -> [UInt8] {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = command
        let inPipe = Pipe()
        let outPipe = Pipe()
        p.standardInput = inPipe
        p.standardOutput = outPipe
        try p.run()
        let writer = Thread {
            inPipe.fileHandleForWriting.write(Data(input))
            try? inPipe.fileHandleForWriting.close()
        }
        writer.start()
        let out = outPipe.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return Array(out)
    }
}
