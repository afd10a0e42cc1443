import FeedClassify

/// The built-in topics, compiled once for every suite, and the topics they assign to a text.
protocol DefaultTopicsSuite {}

extension DefaultTopicsSuite {
    static var classifier: Classifier { DefaultTopics.classifier }

    func topics(_ title: String, _ summary: String? = nil) -> [String] {
        DefaultTopics.classifier.classify(title: title, summary: summary).topics
    }
}

enum DefaultTopics {
    static let classifier = Classifier(topics: TopicCatalog.defaults)
}
