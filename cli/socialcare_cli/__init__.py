"""Developer and ops command line: the local stack, the demo, sample events."""
