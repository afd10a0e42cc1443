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
        let policy = AddressPolicy.allowing(allowPrivateNetworks, remedy: AddressPolicy.commandLineRemedy)
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
        w.field("url", r.url)
        switch r.outcome {
        case .body(let b):
            w.field("outcome", "body")
            w.field("status", b.status)
            w.field("final_url", b.finalURL)
            w.field("bytes", b.bytes.count)
            w.field("etag", b.etag)
            w.field("last_modified", b.lastModified)
            do {
                let feed = try FeedParser().parse(b.bytes, documentURL: b.finalURL, httpCharset: b.charset)
                w.field("format", feed.format.rawValue)
                w.field("title", feed.title)
                w.field("entries", feed.entries.count)
                if feed.bozo {
                    w.field("bozo_reason", feed.bozoReason)
                }
            } catch {
                ok = false
                var message = error.description
                if error.code == .notAFeed {
                    let advertised = FeedDiscovery.advertisedFeeds(html: b.bytes, pageURL: b.finalURL)
                    message = FeedDiscovery.notAFeedMessage(message, advertised: advertised)
                }
                w.field("error", message)
            }
        case .notModified:
            w.field("outcome", "not_modified")
        case .gone:
            w.field("outcome", "gone")
        case .rateLimited(let until, let status):
            w.field("outcome", "rate_limited")
            w.field("status", status)
            w.field("retry_at", until.iso8601)
        case .failed(let e):
            ok = false
            w.field("outcome", "failed")
            w.field("code", e.code.rawValue)
            if let s = e.status {
                w.field("status", s)
            }
            w.field("error", e.message)
        }
        if let p = r.permanentRedirect {
            w.field("permanent_redirect", p)
        }
        w.field("seconds", number: r.seconds)
        w.endObject()
        return (w.output, ok)
    }
}
