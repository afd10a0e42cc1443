import FeedCore
import FeedHTTP
import FeedTestSupport
import Foundation
import Testing

/// BI-27/28: the address gate. Only loopback is ever a target: a test policy calls 127.0.0.2 "private"
/// and 127.0.0.1 "public", and a canary listening on 127.0.0.2 proves that nothing reached it.
@Suite("SSRF gate", .serialized)
struct SSRFTests {
    let fetcher = Fetcher()
    let testPolicy = AddressPolicy(blocked: [AddressPolicy.Network("127.0.0.2/32")!])

    @Test("loopback is refused by default, with a message that names the policy")
    func defaultRefusesLoopback() async throws {
        let server = try TestHTTPServer { _ in .respond(status: 200, headers: [], body: rss) }
        defer { server.stop() }
        let r = await fetcher.fetch(FetchRequest(url: server.baseURL))
        guard case .failed(let e) = r.outcome else {
            Issue.record("\(r.outcome)")
            return
        }
        #expect(e.code == .refusedAddress)
        // The library's own advice; the daemon and the commands name their settings (FirstHourTests).
        #expect(e.message.contains("blocked range (127.0.0.0/8); allow private networks to fetch it"), "\(e.message)")
        #expect(server.connections == 0)
        // Allowed by the option.
        let allowed = await fetcher.fetch(FetchRequest(url: server.baseURL, addressPolicy: .allowEverything))
        guard case .body = allowed.outcome else {
            Issue.record("\(allowed.outcome)")
            return
        }
        #expect(server.connections == 1)
    }

    @Test("an IPv6 address is read whole: [::1] is refused as ::1/128 (a cut copy read it as another address)")
    func ipv6Address() async throws {
        let r = await fetcher.fetch(FetchRequest(url: "http://[::1]:9/feed"))
        guard case .failed(let e) = r.outcome else {
            Issue.record("\(r.outcome)")
            return
        }
        #expect(e.code == .refusedAddress, "\(e)")
        #expect(e.message.contains("(::1/128)"), "\(e.message)")
    }

    @Test("a redirect to a blocked address is refused at connect time; the canary hears nothing")
    func redirectToBlocked() async throws {
        let canary = try TestHTTPServer(address: "127.0.0.2") { _ in .respond(status: 200, headers: [], body: rss) }
        defer { canary.stop() }
        let server = try TestHTTPServer { _ in
            .respond(status: 302, headers: [("Location", canary.baseURL + "/metadata")], body: [])
        }
        defer { server.stop() }
        let r = await fetcher.fetch(FetchRequest(url: server.baseURL, addressPolicy: testPolicy))
        guard case .failed(let e) = r.outcome else {
            Issue.record("\(r.outcome)")
            return
        }
        #expect(e.code == .refusedAddress)
        #expect(canary.connections == 0)
        #expect(server.connections == 1)
    }

    @Test("a name that resolves to a blocked address is refused (rebinding: the check is on the address used)")
    func resolvedName() async throws {
        let canary = try TestHTTPServer(address: "127.0.0.2") { _ in .respond(status: 200, headers: [], body: rss) }
        defer { canary.stop() }
        let r = await fetcher.fetch(
            FetchRequest(
                url: "http://feeds.example.test:\(canary.port)/rss",
                addressPolicy: testPolicy,
                resolve: ["feeds.example.test:\(canary.port):127.0.0.2"]))
        guard case .failed(let e) = r.outcome else {
            Issue.record("\(r.outcome)")
            return
        }
        #expect(e.code == .refusedAddress)
        #expect(canary.connections == 0)
    }

    @Test(
        "address classification covers the special ranges and IPv6 embeddings",
        arguments: [
            "127.0.0.1", "0.0.0.0", "10.1.2.3", "100.64.0.1", "169.254.169.254", "172.16.5.4", "192.168.1.1", "198.18.0.1",
            "224.0.0.1", "240.0.0.1", "::1", "::", "fc00::1", "fe80::1", "::ffff:127.0.0.1", "::ffff:10.0.0.1",
            "64:ff9b::a9fe:a9fe", "2002:7f00:1::",
        ])
    func blocked(address: String) {
        #expect(AddressPolicy().refusal(for: address) != nil)
    }

    @Test("public addresses pass", arguments: ["93.184.216.34", "8.8.8.8", "2606:4700::6810:85e5", "1.1.1.1"])
    func allowed(address: String) {
        #expect(AddressPolicy().refusal(for: address) == nil)
    }
}
