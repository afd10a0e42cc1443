import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// A small server written in Python (the system's python3), for behaviour the Swift test server does not
/// have: TLS, HTTP/1.1 keep-alive. The script prints its port on the first line of stdout.
public final class PythonServer: @unchecked Sendable {
    public let port: Int
    private let process: Process

    public init(script: String, arguments: [String] = []) throws {
        process = Process()
        process.executableURL = URL(fileURLWithPath: Program.python3)
        process.arguments = ["-c", script] + arguments
        let out = Pipe()
        process.standardOutput = out
        try process.run()
        var line = Data()
        while !line.contains(10) {
            let chunk = out.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            line.append(chunk)
        }
        guard let p = Int(String(decoding: line, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)) else {
            process.terminate()
            throw TestHTTPServer.ServerError(message: "python test server did not start")
        }
        port = p
    }

    deinit { stop() }

    public func stop() {
        // SIGKILL: the child may inherit a mask that blocks SIGTERM from the test runner's thread.
        if process.isRunning {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
    }
}

/// HTTP/1.1 with keep-alive, like nginx: connections stay open in libcurl's cache after each transfer.
/// Answers every GET with `body` (an RSS document) at once.
public final class KeepAliveServer: @unchecked Sendable {
    private let server: PythonServer
    public var port: Int { server.port }

    public init(body: [UInt8]) throws {
        let script = """
            import http.server, sys
            body = sys.argv[1].encode()
            class H(http.server.BaseHTTPRequestHandler):
                protocol_version = 'HTTP/1.1'
                def do_GET(self):
                    self.send_response(200); self.send_header('Content-Type', 'application/rss+xml')
                    self.send_header('Content-Length', str(len(body))); self.end_headers(); self.wfile.write(body)
                def log_message(self, *a): pass
            httpd = http.server.ThreadingHTTPServer(('127.0.0.1', 0), H)
            httpd.daemon_threads = True
            print(httpd.server_address[1], flush=True)
            httpd.serve_forever()
            """
        server = try PythonServer(script: script, arguments: [String(decoding: body, as: UTF8.self)])
    }

    public func stop() { server.stop() }
}
