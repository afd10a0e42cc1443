import ArgumentParser
import FeedCore
import FeedDaemon
import FeedHTTP
import FeedXML
import Foundation

/// `feedwatch feeds discover URL`: fetches a page through the daemon's fetcher and prints the feeds it
/// advertises (type, title, URL) and a YAML snippet ready for `feeds:`. A URL that is a feed already is
/// printed as itself.
struct FeedsDiscover: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "discover",
        abstract: "List the feeds a web page advertises, with a YAML snippet for the configuration.")

    @Flag(help: "Allow loopback and private addresses (refused by default, as in the daemon).")
    var allowPrivateNetworks = false
    @Flag(help: "One JSON line per feed (type, title, url) instead of the table and snippet.") var json = false
    @Argument(help: "The page's http(s) address, or a file (a saved page or a feed).") var url: String

    func run() async throws {
        let (bytes, finalURL, charset) = try await document()
        let found: [FeedDiscovery.Advertised]
        do {
            let feed = try FeedParser().parse(bytes, documentURL: finalURL, httpCharset: charset)
            found = [.init(type: Self.mediaType(feed.format), title: feed.title, url: finalURL)]
        } catch {
            found = FeedDiscovery.advertised(html: bytes, pageURL: finalURL)
            guard !found.isEmpty else {
                throw fail(
                    "\(URLRedaction.redact(finalURL)) is not a feed and advertises none (\(error.description))", .dataError)
            }
        }
        json ? printJSON(found) : printTable(found)
    }

    /// The page: fetched for an http(s) address, read for a file (a path, or a `file:` URL).
    private func document() async throws -> (bytes: [UInt8], url: String, charset: String?) {
        let lower = url.lowercased()
        if !lower.hasPrefix("http://"), !lower.hasPrefix("https://") {
            let path = lower.hasPrefix("file:") ? DaemonConfig.filePath(of: url) ?? url : url
            guard let data = FileManager.default.contents(atPath: path) else {
                let why = FileManager.default.fileExists(atPath: path) ? "cannot be read" : "no such file"
                throw fail("\(path): \(why); give an http(s) address or a file", .ioError)
            }
            let absolute = path.hasPrefix("/") ? path : FileManager.default.currentDirectoryPath + "/" + path
            return (Array(data), "file://" + absolute, nil)
        }
        let fetcher = Fetcher(options: .init(concurrency: 1, perHost: 1))
        defer { fetcher.shutdown() }
        let policy = AddressPolicy.allowing(allowPrivateNetworks, remedy: AddressPolicy.commandLineRemedy)
        let result = await fetcher.fetch(FetchRequest(url: url, addressPolicy: policy))
        guard case .body(let body) = result.outcome else {
            if case .failed(let e) = result.outcome { throw fail("\(URLRedaction.redact(url)): \(e.message)", .temporaryFailure) }
            throw fail("\(URLRedaction.redact(url)): no document (\(FetchCommand.report(result).0))", .temporaryFailure)
        }
        return (body.bytes, body.finalURL, body.charset)
    }

    private func printJSON(_ found: [FeedDiscovery.Advertised]) {
        for f in found {
            var w = JSONWriter()
            w.beginObject()
            w.field("type", f.type)
            w.field("title", f.title)
            w.field("url", f.url)
            w.endObject()
            print(w.output)
        }
    }

    private func printTable(_ found: [FeedDiscovery.Advertised]) {
        let width = found.map(\.type.count).max() ?? 0
        for f in found {
            print(f.type.padding(toLength: width, withPad: " ", startingAt: 0) + "  " + (f.title ?? "-") + "  " + f.url)
        }
        // Items only: pasted under the configuration's own `feeds:`, a second `feeds:` key would be an error.
        print("\n# under feeds: in the configuration (feeds the daemon can read first):")
        for f in found.sorted(by: { $0.isFeedFormat && !$1.isFeedFormat }) {
            print("  - url: \(Self.yamlQuoted(f.url))")
            if let title = f.title { print("    name: \(Self.yamlQuoted(title))") }
            // The daemon refuses loopback and private addresses unless the feed allows them.
            if DaemonConfig.privateRange(of: f.url) != nil {
                print("    allow_private: true")
            } else if allowPrivateNetworks, f.url.lowercased().hasPrefix("http") {
                print("    # allow_private: true   (if this host is on a private network)")
            }
        }
    }

    static func mediaType(_ format: FeedFormat) -> String {
        switch format {
        case .rss20, .rss09x: return "application/rss+xml"
        case .rss10: return "application/rdf+xml"
        case .atom10, .atom03: return "application/atom+xml"
        case .json10, .json11: return "application/feed+json"
        }
    }

    /// A double-quoted YAML scalar: always valid, whatever the title holds (`: `, `#`, quotes, Arabic).
    static func yamlQuoted(_ s: String) -> String {
        var out = "\""
        for c in s.unicodeScalars {
            switch c {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case _ where c.value < 0x20: out += String(format: "\\x%02X", c.value)
            default: out.unicodeScalars.append(c)
            }
        }
        return out + "\""
    }
}
