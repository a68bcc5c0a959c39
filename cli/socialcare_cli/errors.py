"""What a command can fail with: said on one line, exit 1 (see main.py)."""

from __future__ import annotations


class CommandFailed(Exception):
    """A failure to report as it is: the message is the whole line a person reads."""


class NoAnswer(CommandFailed):
    """Nothing answered at a URL (the local stack not started, a wrong port)."""
