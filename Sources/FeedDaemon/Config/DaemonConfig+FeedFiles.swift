import FeedCore
import FeedXML
import FeedYAML
import Foundation

#if canImport(Glibc)
import Glibc
#endif

extension DaemonConfig {
    /// Adds the feeds of the OPML files that `feed_files` lists, after the YAML feeds; the loader reads
    /// them, so a reload (SIGHUP) reads them again.
    /// - A feed already listed in another place (the YAML `feeds`, another OPML file) is a problem that
    ///   names both places: the two entries may say different things, and neither silently wins.
    /// - A feed listed twice in one OPML file is a warning and is used once: readers export a feed under
    ///   each of its categories.
    /// - An outline that cannot be watched (another scheme, credentials in the URL, a page FreshRSS
    ///   scrapes) is a warning and is left out, so one odd entry does not keep a whole export out.
    /// - A `file:` outline too, unless the entry says `allow_file_urls: true`: an OPML file often comes
    ///   from elsewhere, and a `file:` outline would have the daemon read any file its user can, into
    ///   alerts and sinks (issue 23, finding 9).
    /// An entry is a path, or `{path: FILE, allow_file_urls: true}`.
    mutating func addFeedFiles(_ value: YAMLValue, base: String?, problems: inout [ConfigError]) {
        let items: [YAMLValue]
        do { items = try value.sequence() } catch {
            problems.append(error)
            return
        }
        var listed: [String: Feed] = [:]
        for f in feeds { listed[Self.sameFeedKey(f.url)] = f }
        var paths: Set<String> = []
        for item in items {
            let path: String
            let document: OPMLDocument
            var allowFileURLs = false
            do throws(ConfigError) {
                if item.isMapping {
                    let f = try item.fields(allowed: ["path", "allow_file_urls"])
                    guard let p = f["path"] else { throw item.error("a feed_files entry needs a path") }
                    path = try ConfigValues.path(p, base: base)
                    allowFileURLs = try f["allow_file_urls"]?.bool() ?? false
                } else {
                    path = try ConfigValues.path(item, base: base)
                }
                guard paths.insert(path).inserted else { throw item.error("\(path) is listed twice") }
                document = try Self.readOPML(path)
            } catch {
                problems.append(error)
                continue
            }
            for s in document.skipped { loadWarnings.append("\(path):\(s.line): left out: \(s.reason)") }
            for outline in document.feeds {
                let url: String
                do { url = try Self.watchableURL(outline.url, base: PathText.directory(of: path)) } catch {
                    loadWarnings.append("\(path):\(outline.line): left out: \(error.message)")
                    continue
                }
                if url.lowercased().hasPrefix("file:"), !allowFileURLs {
                    loadWarnings.append(
                        "\(path):\(outline.line): left out: a file: URL from an OPML file (the daemon would read a local file); write {path: \(path), allow_file_urls: true} in feed_files to watch it"
                    )
                    continue
                }
                let key = Self.sameFeedKey(url)
                if let first = listed[key] {
                    if first.listedIn == path {
                        loadWarnings.append(
                            "\(path):\(outline.line): feed \(url) is listed twice in this file (first at line \(first.line)); used once"
                        )
                    } else {
                        problems.append(
                            ConfigError(
                                file: path, line: outline.line, column: 0,
                                message: "feed \(url) is listed twice: also at \(first.listedIn ?? file):\(first.line)"))
                    }
                    continue
                }
                var feed = Feed(url: url, name: outline.name, tags: outline.categories, listedIn: path, line: outline.line)
                feed.configHash = feed.settingsHash()
                listed[key] = feed
                feeds.append(feed)
            }
        }
    }

    /// The OPML file at `path`, parsed; a problem names the file and, when there is one, the line.
    static func readOPML(_ path: String) throws(ConfigError) -> OPMLDocument {
        func problem(_ message: String, line: Int = 0) -> ConfigError {
            ConfigError(file: path, line: line, column: 0, message: message)
        }
        // stat first: a FIFO or a device named by mistake would block or never end.
        var st = stat()
        guard stat(path, &st) == 0 else { throw problem("cannot read the feed file: \(String(cString: strerror(errno)))") }
        guard st.st_mode & S_IFMT == S_IFREG else { throw problem("the feed file is not a regular file") }
        guard st.st_size <= OPMLDocument.maxBytes else {
            throw problem("the feed file is larger than \(OPMLDocument.maxBytes) bytes")
        }
        guard let data = FileManager.default.contents(atPath: path) else { throw problem("cannot read the feed file") }
        do {
            return try OPMLDocument.parse(Array(data))
        } catch {
            throw problem("not a usable OPML file: \(error.message)", line: error.line ?? 0)
        }
    }
}
