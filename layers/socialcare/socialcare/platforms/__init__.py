"""One module per platform: handshake, signature check, normalisation. No I/O."""
