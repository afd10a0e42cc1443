extension JSONWriter {
    /// One report of a story, as `alerts show --json`, `alerts list --json` and the reader's `/api/alerts`
    /// print it (design.md): `{"feed", "title", "link", "time", "role"}`. One writer, so the three
    /// cannot drift apart.
    public mutating func storySource(feed: String, title: String?, link: String?, at: Int64, role: String) {
        beginObject()
        field("feed", feed)
        field("title", title)
        field("link", link)
        field("time", Timestamp(secondsSinceEpoch: at).iso8601)
        field("role", role)
        endObject()
    }
}
