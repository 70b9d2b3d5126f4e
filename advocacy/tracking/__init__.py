"""Click tracking: short links, the redirect hot path, click capture, bot detection, aggregation."""
