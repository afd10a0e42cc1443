import ArgumentParser
import FeedCore
import FeedHTTP
import FeedXML

/// `feedwatch fetch URL...`: fetches every URL at once through the fetcher the daemon uses, parses each
/// body, and prints one JSON line per feed: outcome, status, validators, redirects, entries.
/// (The daemon's `once` does the same over a configuration's feeds.)
struct FetchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fetch",
        abstract: "Fetch feeds concurrently and print one JSON line per feed.")

    @Option(help: "Transfers in flight.") var concurrency = 16
    @Option(help: "Transfers in flight per host.") var perHost = 2
    @Flag(help: "Allow loopback and private addresses (refused by default).") var allowPrivateNetworks = false
    @Option(help: "ETag to send as If-None-Match (with a single URL).") var etag: String?
    @Option(help: "Date to send as If-Modified-Since (with a single URL).") var lastModified: String?
    @Argument(help: "http(s) URLs, or file:// URLs.") var urls: [String]

    func run() async throws {
        let fetcher = Fetcher(options: .init(concurrency: max(1, concurrency), perHost: max(1, perHost)))
        defer { fetcher.shutdown() }
        let policy = allowPrivateNetworks ? AddressPolicy.allowEverything : AddressPolicy()
        let requests = urls.map {
            FetchRequest(
                url: $0, etag: urls.count == 1 ? etag : nil, lastModified: urls.count == 1 ? lastModified : nil,
                addressPolicy: policy, allowFileScheme: $0.hasPrefix("file://"))
        }
        var failed = false
        for r in await fetcher.fetchAll(requests) {
            let (line, ok) = FetchCommand.report(r)
            failed = failed || !ok
            print(line)
        }
        if failed { throw ExitCode.dataError }
    }

    static func report(_ r: FetchResult) -> (String, Bool) {
        var w = JSONWriter()
        var ok = true
        w.beginObject()
        w.key("url")
        w.string(r.url)
        switch r.outcome {
        case .body(let b):
            w.key("outcome")
            w.string("body")
            w.key("status")
            w.int(b.status)
            w.key("final_url")
            w.string(b.finalURL)
            w.key("bytes")
            w.int(b.bytes.count)
            w.key("etag")
            w.string(b.etag)
            w.key("last_modified")
            w.string(b.lastModified)
            do {
                let feed = try FeedParser().parse(b.bytes, documentURL: b.finalURL, httpCharset: b.charset)
                w.key("format")
                w.string(feed.format.rawValue)
                w.key("title")
                w.string(feed.title)
                w.key("entries")
                w.int(feed.entries.count)
                if feed.bozo {
                    w.key("bozo_reason")
                    w.string(feed.bozoReason)
                }
            } catch {
                ok = false
                var message = error.description
                if error.code == .notAFeed {
                    let advertised = FeedDiscovery.advertisedFeeds(html: b.bytes, pageURL: b.finalURL)
                    message = FeedDiscovery.notAFeedMessage(message, advertised: advertised)
                }
                w.key("error")
                w.string(message)
            }
        case .notModified:
            w.key("outcome")
            w.string("not_modified")
        case .gone:
            w.key("outcome")
            w.string("gone")
        case .rateLimited(let until, let status):
            w.key("outcome")
            w.string("rate_limited")
            w.key("status")
            w.int(status)
            w.key("retry_at")
            w.string(until.iso8601)
        case .failed(let e):
            ok = false
            w.key("outcome")
            w.string("failed")
            w.key("code")
            w.string(e.code.rawValue)
            if let s = e.status {
                w.key("status")
                w.int(s)
            }
            w.key("error")
            w.string(e.message)
        }
        if let p = r.permanentRedirect {
            w.key("permanent_redirect")
            w.string(p)
        }
        w.key("seconds")
        w.number(r.seconds)
        w.endObject()
        return (w.output, ok)
    }
}
