"""Curation: the queue of posts and what managers do with it."""
