import ArgumentParser
import FeedDaemon
import FeedXML

extension FeedsCommand {
    /// `feedwatch feeds export`: OPML 2.0 on standard output, readable again through `feed_files`.
    struct Export: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "export",
            abstract: "Write every configured feed as OPML 2.0 (tags as nested categories) to standard output.")
        @OptionGroup var config: ConfigOption

        func run() throws {
            let c = try config.load()
            // URL, name and tags only: per-feed settings (interval, headers, credentials) stay in the YAML.
            let feeds = c.feeds.map { OPMLFeed(url: $0.url, name: $0.name, categories: $0.tags) }
            print(OPMLWriter.document(feeds, title: "feedwatch feeds"), terminator: "")
        }
    }
}
