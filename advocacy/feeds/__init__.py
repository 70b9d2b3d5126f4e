"""Feed ingestion: guard, fetch, parse, sanitize, normalize; discovery and scheduling."""
