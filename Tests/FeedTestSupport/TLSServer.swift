import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// An HTTPS server on 127.0.0.1 with a throw-away self-signed certificate (openssl and Python's
/// http.server, both from the system), answering every request with a redirect to `location`.
public final class TLSRedirectServer: @unchecked Sendable {
    public let port: Int
    public let certificate: String
    private let server: PythonServer
    private let directory: String

    /// `host`: the name the certificate is for (an IP or a DNS name); another than 127.0.0.1 makes a
    /// certificate that is trusted (`certificate` as the CA file) but for the wrong host. `expired`: the
    /// certificate was valid for one day in January 2020 (signed by `openssl ca`, which takes dates).
    public init(location: String, host: String = "127.0.0.1", expired: Bool = false) async throws {
        directory = try TestPaths.temporaryDirectory("tls")
        certificate = directory + "/cert.pem"
        let key = directory + "/key.pem"
        let subject = [
            "-subj", "/CN=\(host)", "-addext", "subjectAltName=\(host.first?.isNumber == true ? "IP" : "DNS"):\(host)",
        ]
        let newKey = ["-newkey", "rsa:2048", "-nodes", "-keyout", key]
        var steps: [[String]]
        if expired {
            try "".write(toFile: directory + "/index.txt", atomically: true, encoding: .utf8)
            try "01\n".write(toFile: directory + "/serial", atomically: true, encoding: .utf8)
            try """
            [ca]
            default_ca = d
            [d]
            database = \(directory)/index.txt
            serial = \(directory)/serial
            new_certs_dir = \(directory)
            default_md = sha256
            policy = p
            copy_extensions = copy
            [p]
            commonName = supplied
            """.write(toFile: directory + "/ca.cnf", atomically: true, encoding: .utf8)
            steps = [
                ["openssl", "req", "-new"] + newKey + ["-out", directory + "/req.csr"] + subject,
                [
                    "openssl", "ca", "-batch", "-config", directory + "/ca.cnf", "-selfsign", "-keyfile", key,
                    "-in", directory + "/req.csr", "-out", certificate,
                    "-startdate", "20200101000000Z", "-enddate", "20200102000000Z",
                ],
            ]
        } else {
            steps = [["openssl", "req", "-x509"] + newKey + ["-out", certificate, "-days", "1"] + subject]
        }
        for step in steps {
            let gen = try await Program.run("/usr/bin/env", step)
            guard gen.status == 0 else { throw TestHTTPServer.ServerError(message: "openssl: \(gen.stderr)") }
        }
        let script = """
            import http.server, ssl, sys
            class H(http.server.BaseHTTPRequestHandler):
                def do_GET(self):
                    self.send_response(302); self.send_header('Location', sys.argv[3]); self.send_header('Content-Length', '0'); self.end_headers()
                def log_message(self, *a): pass
            httpd = http.server.HTTPServer(('127.0.0.1', 0), H)
            ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER); ctx.load_cert_chain(sys.argv[1], sys.argv[2])
            httpd.socket = ctx.wrap_socket(httpd.socket, server_side=True)
            print(httpd.server_address[1], flush=True)
            httpd.serve_forever()
            """
        server = try PythonServer(script: script, arguments: [certificate, key, location])
        port = server.port
    }

    deinit { stop() }

    public func stop() {
        server.stop()
        try? FileManager.default.removeItem(atPath: directory)
    }
}
