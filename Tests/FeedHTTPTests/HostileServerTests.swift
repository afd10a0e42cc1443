import FeedCore
import FeedHTTP
import FeedTestSupport
import Foundation
import Testing

/// The hostile-server cases of reliability.md §10 that the fetcher tests left out, each against a real
/// server on 127.0.0.1 speaking raw HTTP: every one ends in bounded time with an answer or a clear error.
@Suite("Hostile servers")
struct HostileServerTests {
    let fetcher = Fetcher()

    func fetch(_ response: [UInt8]) async throws -> FetchResult {
        let server = try TestHTTPServer { _ in .raw(response) }
        defer { server.stop() }
        return await fetcher.fetch(loopback(server.baseURL + "/feed") { $0.totalTimeoutSeconds = 10 })
    }

    func head(_ lines: [String]) -> [UInt8] { Array((lines.joined(separator: "\r\n") + "\r\n\r\n").utf8) }

    @Test("BI-13 a transfer cut short (Content-Length says more than arrives) is an error, not a short feed")
    func truncatedTransfer() async throws {
        let r = try await fetch(head(["HTTP/1.1 200 OK", "Content-Length: \(rss.count * 2)", "Connection: close"]) + rss)
        guard case .failed(let e) = r.outcome else {
            Issue.record("a cut transfer was accepted: \(r.outcome)")
            return
        }
        #expect(e.code == .protocolError, "\(e)")
    }

    @Test("BI-23 Transfer-Encoding: chunked with extensions and trailers is read; a chunk size that lies is an error")
    func transferEncodings() async throws {
        let chunked =
            head(["HTTP/1.1 200 OK", "Transfer-Encoding: chunked", "Trailer: X-Done", "Connection: close"])
            + Array(String(rss.count, radix: 16).utf8) + Array(";ext=1\r\n".utf8) + rss
            + Array("\r\n0\r\nX-Done: yes\r\n\r\n".utf8)
        let good = try await fetch(chunked)
        guard case .body(let b) = good.outcome else {
            Issue.record("\(good.outcome)")
            return
        }
        #expect(b.bytes == rss)
        let lying =
            head(["HTTP/1.1 200 OK", "Transfer-Encoding: chunked", "Connection: close"]) + Array("zz\r\n".utf8) + rss
        guard case .failed(let e) = try await fetch(lying).outcome else {
            Issue.record("a malformed chunk was accepted")
            return
        }
        #expect(e.code == .protocolError, "\(e)")
    }

    @Test("BI-24 stacked Content-Encoding: gzip over gzip is decoded; a thousand layers are refused")
    func stackedEncodings() async throws {
        let twice = try Compress.gzip(try Compress.gzip(rss))
        let stacked = try await fetch(
            head(["HTTP/1.1 200 OK", "Content-Encoding: gzip, gzip", "Content-Length: \(twice.count)", "Connection: close"])
                + twice)
        guard case .body(let b) = stacked.outcome else {
            Issue.record("\(stacked.outcome)")
            return
        }
        #expect(b.bytes == rss)
        let layers = Array(repeating: "gzip", count: 1000).joined(separator: ", ")
        let bomb = try await fetch(
            head(["HTTP/1.1 200 OK", "Content-Encoding: \(layers)", "Content-Length: \(twice.count)", "Connection: close"])
                + twice)
        guard case .failed(let e) = bomb.outcome else {
            Issue.record("1000 encodings were accepted: \(bomb.outcome)")
            return
        }
        #expect(e.code == .protocolError, "\(e)")
    }

    @Test("BI-31 100,000 response headers: an error, not memory (the transfer's own timeout bounds it)")
    func manyHeaders() async throws {
        let lines =
            ["HTTP/1.1 200 OK"] + (0..<100_000).map { "X-H\($0): v" } + ["Content-Length: \(rss.count)", "Connection: close"]
        let r = try await fetch(head(lines) + rss)
        guard case .failed(let e) = r.outcome else {
            Issue.record("100,000 headers were accepted: \(r.outcome)")
            return
        }
        // curl gives up on the header block (its total is capped): a protocol error.
        #expect(e.code == .protocolError, "\(e)")
    }
}
