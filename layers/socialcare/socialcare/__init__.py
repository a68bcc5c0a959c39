"""socialcare: social-network messages in, cases out. Pure domain, platform parsers, adapters."""
