import FeedCore
import FeedDaemon
import FeedListener
import FeedReader
import FeedStore
import Foundation

/// The reader page of `run` (issue 26) on the daemon's own state: story sources and feed health from
/// the store it writes, names and topics from the configuration in force (a reload changes them).
enum ReaderPage {
    static func route(_ resources: DaemonResources) -> @Sendable (PageRequest) async -> PageResponse {
        let reader = Reader(backend: backend(resources))
        return { request in await reader.handle(request) }
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
