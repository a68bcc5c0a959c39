"""Pure domain: no AWS SDK, no I/O."""
