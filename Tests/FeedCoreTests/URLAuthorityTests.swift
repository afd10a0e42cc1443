import FeedCore
import Testing

@Suite("URLAuthority and URLRedaction")
struct URLAuthorityTests {
    @Test func cutsTheParts() throws {
        let a = try #require(URLAuthority(of: "https://user:pw@Example.com:8443/path?q=1#f"))
        #expect(a.text == "user:pw@Example.com:8443")
        #expect(a.userinfo == "user:pw")
        #expect(a.hostPort == "Example.com:8443")
        #expect(a.host == "Example.com")
        let plain = try #require(URLAuthority(of: "http://127.0.0.7:18090/feed-6.xml"))
        #expect(plain.userinfo == nil)
        #expect(plain.hostPort == "127.0.0.7:18090")
        #expect(plain.host == "127.0.0.7")
    }

    @Test func edges() throws {
        #expect(URLAuthority(of: "example.com/feed") == nil)
        #expect(URLAuthority(of: "http:/x") == nil)
        #expect(try #require(URLAuthority(of: "http://[::1]:80/x")).host == "[::1]")
        #expect(try #require(URLAuthority(of: "http://[::1")).host == "[::1")
        #expect(try #require(URLAuthority(of: "http://a@b@host?x")).userinfo == "a@b")
        #expect(try #require(URLAuthority(of: "http://a@b@host?x")).host == "host")
        #expect(try #require(URLAuthority(of: "http://host#frag/x")).host == "host")
        #expect(try #require(URLAuthority(of: "http://")).host == "")
        // Letters beyond ASCII: cut on bytes, the parts stay whole.
        let idn = try #require(URLAuthority(of: "https://مثال.إختبار:81/خبر"))
        #expect(idn.host == "مثال.إختبار")
        #expect(idn.hostPort == "مثال.إختبار:81")
        // The first "://" counts, as before.
        #expect(try #require(URLAuthority(of: "http://h/a?u=https://x")).host == "h")
    }

    @Test func redactsUserinfoOnly() {
        #expect(URLRedaction.redact("https://u:p@host/f?x=1") == "https://***@host/f?x=1")
        #expect(URLRedaction.redact("https://host/f?u=a@b") == "https://host/f?u=a@b")
        #expect(URLRedaction.redact("not a url") == "not a url")
    }
}
