import FeedClassify
import FeedHTTP
import FeedSpool
import FeedStore
import Logging

/// What every part of the daemon shares for one configuration: built at start and again on reload.
final class DaemonContext: Sendable {
    let config: DaemonConfig
    let store: any StateStore
    let fetcher: Fetcher
    let classifier: Classifier
    let maildir: Maildir
    let log: AlertLog
    let logger: Logger
    let backoff: Backoff
    let metrics: Metrics
    let writer: SpoolWriter
    let websub: WebSubRegistry

    init(
        config: DaemonConfig, store: any StateStore, fetcher: Fetcher, maildir: Maildir, log: AlertLog, logger: Logger,
        metrics: Metrics, writer: SpoolWriter, websub: WebSubRegistry = WebSubRegistry()
    ) {
        self.websub = websub
        self.metrics = metrics
        self.writer = writer
        self.config = config
        self.store = store
        self.fetcher = fetcher
        self.classifier = Classifier(topics: config.topics)
        self.maildir = maildir
        self.log = log
        self.logger = logger
        self.backoff = Backoff(cap: config.schedule.maxBackoff)
    }
}
