import FeedCore
import FeedHTTP
import FeedTestSupport
import Foundation
import Testing

let rss = Array(
    """
    <?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>T</title>
    <item><title>Nikkei closes higher</title><guid>g1</guid></item></channel></rss>
    """.utf8)

/// Requests to the loopback test servers: the address policy must allow them explicitly, as
/// reliability.md §3 asks (tests run on loopback).
func loopback(_ url: String, _ configure: (inout FetchRequest) -> Void = { _ in }) -> FetchRequest {
    var r = FetchRequest(url: url, addressPolicy: .allowEverything)
    configure(&r)
    return r
}

/// BI-21…BI-33 against real servers on 127.0.0.1.
@Suite("Fetcher", .serialized)
struct FetcherTests {
    let fetcher = Fetcher(options: .init(concurrency: 8, perHost: 2))

    @Test("200 with validators, then 304 with them: no body, validators kept (BI-30)")
    func conditionalGet() async throws {
        let server = try TestHTTPServer { req in
            if req.headers["if-none-match"] == "\"v1\"" { return .respond(status: 304, headers: [], body: []) }
            return .respond(
                status: 200,
                headers: [
                    ("Content-Type", "application/rss+xml; charset=windows-1256"),
                    ("ETag", "\"v1\""), ("Last-Modified", "Thu, 26 Jun 2025 08:22:00 GMT"),
                    ("Cache-Control", "public, max-age=600"),
                ], body: rss)
        }
        defer { server.stop() }
        let first = await fetcher.fetch(loopback(server.baseURL + "/feed"))
        guard case .body(let body) = first.outcome else {
            Issue.record("expected a body: \(first.outcome)")
            return
        }
        #expect(body.bytes == rss)
        #expect(body.etag == "\"v1\"")
        #expect(body.lastModified == "Thu, 26 Jun 2025 08:22:00 GMT")
        #expect(body.charset == "windows-1256")
        #expect(body.maxAge == 600)
        let second = await fetcher.fetch(
            loopback(server.baseURL + "/feed") {
                $0.etag = body.etag
                $0.lastModified = body.lastModified
            })
        guard case .notModified = second.outcome else {
            Issue.record("expected 304: \(second.outcome)")
            return
        }
        #expect(server.requests.last?.headers["if-modified-since"] == "Thu, 26 Jun 2025 08:22:00 GMT")
        #expect(server.requests.first?.headers["user-agent"]?.hasPrefix("feedwatch/") == true)
    }

    @Test("304 although no validators were sent is an anomaly, not 'unchanged' (BI-30)")
    func notModifiedWithoutValidators() async throws {
        let server = try TestHTTPServer { _ in .respond(status: 304, headers: [], body: []) }
        defer { server.stop() }
        let r = await fetcher.fetch(loopback(server.baseURL))
        guard case .failed(let e) = r.outcome else {
            Issue.record("\(r.outcome)")
            return
        }
        #expect(e.code == .notModifiedWithoutValidators)
    }

    @Test("gzip and br bodies are decoded")
    func compression() async throws {
        let gz = try Compress.gzip(rss)
        let br = try Compress.brotli(rss)
        let server = try TestHTTPServer { req in
            req.path == "/gz"
                ? .respond(status: 200, headers: [("Content-Encoding", "gzip")], body: gz)
                : .respond(status: 200, headers: [("Content-Encoding", "br")], body: br)
        }
        defer { server.stop() }
        for path in ["/gz", "/br"] {
            let r = await fetcher.fetch(loopback(server.baseURL + path))
            guard case .body(let b) = r.outcome else {
                Issue.record("\(path): \(r.outcome)")
                continue
            }
            #expect(b.bytes == rss, "\(path)")
        }
        #expect(server.requests.first?.headers["accept-encoding"]?.contains("gzip") == true)
    }

    @Test("301 is followed and persisted; 302 is followed, not persisted")
    func redirects() async throws {
        let server = try TestHTTPServer { req in
            switch req.path {
            case "/old": return .respond(status: 301, headers: [("Location", "/new")], body: [])
            case "/temp": return .respond(status: 302, headers: [("Location", "/new")], body: [])
            case "/perm308": return .respond(status: 308, headers: [("Location", "/temp")], body: [])
            default: return .respond(status: 200, headers: [], body: rss)
            }
        }
        defer { server.stop() }
        let moved = await fetcher.fetch(loopback(server.baseURL + "/old"))
        #expect(moved.permanentRedirect == server.baseURL + "/new")
        guard case .body(let b) = moved.outcome else {
            Issue.record("\(moved.outcome)")
            return
        }
        #expect(b.finalURL == server.baseURL + "/new")
        let temporary = await fetcher.fetch(loopback(server.baseURL + "/temp"))
        #expect(temporary.permanentRedirect == nil)
        // A permanent hop followed by a temporary one: keep polling the permanent target.
        let mixed = await fetcher.fetch(loopback(server.baseURL + "/perm308"))
        #expect(mixed.permanentRedirect == server.baseURL + "/temp")
    }

    @Test("410 Gone, 404 and 5xx")
    func statuses() async throws {
        let server = try TestHTTPServer { req in
            switch req.path {
            case "/gone": return .respond(status: 410, headers: [], body: [])
            case "/missing": return .respond(status: 404, headers: [], body: [])
            default: return .respond(status: 500, headers: [], body: [])
            }
        }
        defer { server.stop() }
        guard case .gone = await fetcher.fetch(loopback(server.baseURL + "/gone")).outcome else {
            Issue.record("410")
            return
        }
        guard case .failed(let e404) = await fetcher.fetch(loopback(server.baseURL + "/missing")).outcome else {
            Issue.record("404")
            return
        }
        #expect(e404.status == 404)
        guard case .failed(let e500) = await fetcher.fetch(loopback(server.baseURL + "/boom")).outcome else {
            Issue.record("500")
            return
        }
        #expect(e500.status == 500)
    }

    @Test("429 and 503 with Retry-After, in seconds or as a date, clamped (BI-32)")
    func retryAfter() async throws {
        let server = try TestHTTPServer { req in
            switch req.path {
            case "/429": return .respond(status: 429, headers: [("Retry-After", "120")], body: [])
            case "/503": return .respond(status: 503, headers: [("Retry-After", "Wed, 21 Oct 2099 07:28:00 GMT")], body: [])
            default: return .respond(status: 429, headers: [("Retry-After", "999999999")], body: [])
            }
        }
        defer { server.stop() }
        let now = Int64(Date().timeIntervalSince1970)
        guard case .rateLimited(let until, 429) = await fetcher.fetch(loopback(server.baseURL + "/429")).outcome else {
            Issue.record("429")
            return
        }
        #expect((118...125).contains(until.secondsSinceEpoch - now))
        guard case .rateLimited(let later, 503) = await fetcher.fetch(loopback(server.baseURL + "/503")).outcome else {
            Issue.record("503")
            return
        }
        // A date in 2099 is clamped to a day from the answer (measured after it: a loaded machine may
        // take seconds to fetch).
        #expect(later.secondsSinceEpoch - Int64(Date().timeIntervalSince1970) <= 86_400 + 1)
        guard case .rateLimited(let huge, _) = await fetcher.fetch(loopback(server.baseURL + "/huge")).outcome else {
            Issue.record("huge")
            return
        }
        #expect(huge.secondsSinceEpoch - Int64(Date().timeIntervalSince1970) <= 86_400 + 1)
    }

    @Test("redirect loops and long chains stop at 5 (BI-25)")
    func redirectLoop() async throws {
        let server = try TestHTTPServer { req in
            let n = Int(req.path.dropFirst()) ?? 0
            return .respond(status: 302, headers: [("Location", "/\(n + 1)")], body: [])
        }
        defer { server.stop() }
        let r = await fetcher.fetch(loopback(server.baseURL + "/0"))
        guard case .failed(let e) = r.outcome else {
            Issue.record("\(r.outcome)")
            return
        }
        #expect(e.code == .tooManyRedirects)
        #expect(server.requests.count == 6)
    }

    @Test(
        "redirects to file:, gopher: and dict: are refused (BI-26)",
        arguments: ["file:///etc/passwd", "gopher://127.0.0.1/", "dict://127.0.0.1/"])
    func redirectSchemes(target: String) async throws {
        let server = try TestHTTPServer { _ in .respond(status: 302, headers: [("Location", target)], body: []) }
        defer { server.stop() }
        let r = await fetcher.fetch(loopback(server.baseURL))
        guard case .failed(let e) = r.outcome else {
            Issue.record("\(r.outcome)")
            return
        }
        #expect(e.code == .refusedScheme)
    }

    @Test("https→http downgrade refused; a self-signed certificate is a TLS error (BI-26, BI-33)")
    func tls() async throws {
        let canary = try TestHTTPServer { _ in .respond(status: 200, headers: [], body: rss) }
        defer { canary.stop() }
        let server = try await TLSRedirectServer(location: canary.baseURL + "/plain")
        defer { server.stop() }
        let url = "https://127.0.0.1:\(server.port)/feed"
        let untrusted = await fetcher.fetch(loopback(url))
        guard case .failed(let tlsError) = untrusted.outcome else {
            Issue.record("\(untrusted.outcome)")
            return
        }
        #expect(tlsError.code == .tls)
        let downgrade = await fetcher.fetch(loopback(url) { $0.caFile = server.certificate })
        guard case .failed(let e) = downgrade.outcome else {
            Issue.record("\(downgrade.outcome)")
            return
        }
        #expect(e.code == .refusedScheme)
        #expect(canary.connections == 0)
    }

    /// With the right host and a valid certificate the same trust gets as far as the redirect (refused as a
    /// downgrade, above): what fails here is the check named.
    @Test(
        "BI-33 a trusted certificate for another host, or expired, is a TLS error that says which",
        arguments: [("feeds.wrong.test", false, "subject name"), ("127.0.0.1", true, "expired")])
    func untrustworthyCertificate(host: String, expired: Bool, reason: String) async throws {
        let canary = try TestHTTPServer { _ in .respond(status: 200, headers: [], body: rss) }
        defer { canary.stop() }
        let server = try await TLSRedirectServer(location: canary.baseURL + "/plain", host: host, expired: expired)
        defer { server.stop() }
        let r = await fetcher.fetch(loopback("https://127.0.0.1:\(server.port)/feed") { $0.caFile = server.certificate })
        guard case .failed(let e) = r.outcome else {
            Issue.record("\(r.outcome)")
            return
        }
        #expect(e.code == .tls, "\(e)")
        #expect(e.message.contains(reason), "the message says why: \(e.message)")
        #expect(canary.connections == 0)
    }

    @Test("a slow drip and a server that never answers are cut off (BI-21)")
    func slowServers() async throws {
        let server = try TestHTTPServer { req in
            req.path == "/drip" ? .drip(status: 200, headers: [], body: rss, chunk: 1, delay: 1.0) : .hang
        }
        defer { server.stop() }
        func quick(_ r: inout FetchRequest) {
            r.lowSpeedBytesPerSecond = 100
            r.lowSpeedSeconds = 2
            r.totalTimeoutSeconds = 4
        }
        let dripRequest = loopback(server.baseURL + "/drip", quick)
        let hangRequest = loopback(server.baseURL + "/hang", quick)
        async let drip = fetcher.fetch(dripRequest)
        async let hang = fetcher.fetch(hangRequest)
        // Other feeds in the same loop finish meanwhile.
        let ok = try TestHTTPServer { _ in .respond(status: 200, headers: [], body: rss) }
        defer { ok.stop() }
        let fast = await fetcher.fetch(loopback(ok.baseURL))
        guard case .body = fast.outcome else {
            Issue.record("fast feed: \(fast.outcome)")
            return
        }
        for r in await [drip, hang] {
            guard case .failed(let e) = r.outcome else {
                Issue.record("\(r.outcome)")
                continue
            }
            #expect(e.code == .timeout)
        }
    }

    @Test("an endless body and a gzip bomb stop at the cap (BI-22, BI-23)")
    func bodyCap() async throws {
        let bomb = try Compress.gzip([UInt8](repeating: 0x20, count: 50 * 1024 * 1024))
        let server = try TestHTTPServer { req in
            req.path == "/endless"
                ? .endless
                : .respond(
                    status: 200, headers: [("Content-Encoding", "gzip"), ("Content-Type", "application/rss+xml")], body: bomb)
        }
        defer { server.stop() }
        for path in ["/endless", "/bomb"] {
            let r = await fetcher.fetch(loopback(server.baseURL + path) { $0.maxBodyBytes = 1024 * 1024 })
            guard case .failed(let e) = r.outcome else {
                Issue.record("\(path): \(r.outcome)")
                continue
            }
            #expect(e.code == .tooLarge, "\(path)")
        }
        #expect(bomb.count < 200_000)  // the fixture really is a bomb
    }

    @Test("1 MB of response headers is an error, not memory (BI-31)")
    func hugeHeaders() async throws {
        let big =
            Array("HTTP/1.1 200 OK\r\nX-Big: ".utf8) + [UInt8](repeating: 0x61, count: 1_000_000)
            + Array("\r\nContent-Length: 0\r\n\r\n".utf8)
        let server = try TestHTTPServer { _ in .raw(big) }
        defer { server.stop() }
        let r = await fetcher.fetch(loopback(server.baseURL))
        guard case .failed(let e) = r.outcome else {
            Issue.record("\(r.outcome)")
            return
        }
        #expect(e.code == .protocolError, "\(e)")
        #expect(e.message.hasPrefix("response headers too large"), "\(e.message)")
    }

    @Test("politeness: at most perHost transfers to one host at a time")
    func perHostCap() async throws {
        let server = try TestHTTPServer { _ in .delayed(seconds: 0.2, status: 200, headers: [], body: rss) }
        defer { server.stop() }
        let results = await fetcher.fetchAll((0..<8).map { loopback(server.baseURL + "/\($0)") })
        #expect(results.count == 8)
        for r in results {
            guard case .body = r.outcome else {
                Issue.record("\(r.outcome)")
                continue
            }
        }
        // The cap holds, and is used: two at a time, not one after another.
        #expect(server.maxConcurrent == 2)
    }

    @Test("shutdown aborts in-flight transfers promptly (BI-38)")
    func shutdown() async throws {
        let server = try TestHTTPServer { _ in .hang }
        defer { server.stop() }
        let own = Fetcher()
        async let pending = own.fetch(
            loopback(server.baseURL) {
                $0.totalTimeoutSeconds = 60
                $0.lowSpeedSeconds = 60
            })
        try await Task.sleep(for: .milliseconds(300))
        own.shutdown()
        let r = await pending
        guard case .failed(let e) = r.outcome else {
            Issue.record("\(r.outcome)")
            return
        }
        #expect(e.code == .cancelled)  // not a timeout: the 60 s limits never fired
        let after = await own.fetch(loopback(server.baseURL))
        guard case .failed(let e2) = after.outcome else {
            Issue.record("\(after.outcome)")
            return
        }
        #expect(e2.code == .cancelled)
    }

    @Test("file:// only when allowed")
    func fileScheme() async throws {
        let path = TestPaths.seeds + "/business-markets.rss"
        let allowed = await fetcher.fetch(FetchRequest(url: "file://" + path, allowFileScheme: true))
        guard case .body(let b) = allowed.outcome else {
            Issue.record("\(allowed.outcome)")
            return
        }
        #expect(b.bytes == (try TestPaths.bytes(path)))
        let refused = await fetcher.fetch(FetchRequest(url: "file://" + path))
        guard case .failed(let e) = refused.outcome else {
            Issue.record("\(refused.outcome)")
            return
        }
        #expect(e.code == .refusedScheme)
    }
}
