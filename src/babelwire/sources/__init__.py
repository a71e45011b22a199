"""Polling sources: feeds (RSS, Atom, JSON Feed) and OPML lists of them."""
