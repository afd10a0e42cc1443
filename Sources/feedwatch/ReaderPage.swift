import FeedCore
import FeedDaemon
import FeedReader
import FeedStore
import Foundation
import ServiceLifecycle

/// The reader page of `run` (issue 26) on the daemon's own state: story sources and feed health from
/// the store it writes, names and topics from the configuration in force (a reload changes them).
enum ReaderPage {
    static func reader(_ resources: DaemonResources) -> Reader { Reader(backend: backend(resources)) }

    /// Reads the spool into the page's index once, at start.
    struct Warmup: Service {
        let reader: Reader
        func run() async throws { await reader.warm() }
    }

    static func backend(_ resources: DaemonResources) -> Reader.Backend {
        Reader.Backend(
            spool: { resources.config.spoolDir },
            feedNames: { AlertsCommand.feedNames(resources.config) },
            sourceCounts: { ids in try? await resources.stateStore.storySourceCounts(ids) },
            sources: { id in
                guard let sources = try? await resources.stateStore.storySources(id) else { return nil }
                return sources.map {
                    Reader.Source(feedURL: $0.feedKey, title: $0.title, link: $0.link, at: $0.at, role: $0.role.rawValue)
                }
            },
            explain: { title, summary in resources.explain(title: title, summary: summary) },
            feeds: {
                let config = resources.config
                guard let state = try? await StatusState.read(config, resources.stateStore) else { return nil }
                return state.rows.map { r in
                    Reader.Feed(
                        url: r.url, name: r.name, title: r.state?.title, result: r.result, lastPoll: r.state?.lastPoll,
                        nextPoll: r.enabled ? r.state?.nextDue : nil, interval: r.interval == "-" ? nil : r.interval,
                        lastError: r.state?.lastError)
                }
            })
    }
}
