"""What the Graph API holds that its webhooks do not carry, for the emulator: the comments
and captions that @mention the brand's Instagram account (the mentions webhook sends
their ids only) and people's profiles (Messenger and Instagram webhooks send scoped ids
only). Given by the local stack's users (POST /_local/platform/content) or by tests, and
read as Meta documents the reads:

- GET /{ig-user-id}?fields=mentioned_comment.comment_id({comment-id}){fields}
  (https://developers.facebook.com/docs/instagram-platform/instagram-graph-api/reference/ig-user/mentioned_comment)
- GET /{ig-user-id}?fields=mentioned_media.media_id({media-id}){fields}
  (https://developers.facebook.com/docs/instagram-platform/instagram-graph-api/reference/ig-user/mentioned_media)
- GET /{PSID}?fields=first_name,last_name and GET /{IGSID}?fields=name,username
  (https://developers.facebook.com/docs/messenger-platform/identity/user-profile,
  https://developers.facebook.com/docs/messenger-platform/instagram/features/user-profile)

An id the account holds no such object for is refused with Graph's code 100 ("Object
with ID ... does not exist", as the other reads here); the exact subcode for a deleted
mention is not documented: none is given."""

from __future__ import annotations

import re
import threading
from typing import Any

from socialcare_cli.local.platform_state import graph_error

_EXPANSION = re.compile(
    r"(?P<edge>mentioned_comment|mentioned_media)\.(?P<key>comment_id|media_id)"
    r"\((?P<id>[0-9]{1,32})\)(?:\{(?P<fields>.*)\})?"
)
_EDGE_KEYS = {"mentioned_comment": "comment_id", "mentioned_media": "media_id"}
_PROFILE_FIELDS = {
    "facebook": ("first_name", "last_name", "name", "profile_pic"),
    "instagram": ("name", "username", "profile_pic"),
}


class GraphContent:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        # (ig account id, "comment"/"media", id) -> the object as Graph gives it
        self.mentions: dict[tuple[str, str, str], dict[str, Any]] = {}
        self.profiles: dict[str, dict[str, Any]] = {}  # scoped id -> platform and names

    def reset(self) -> None:
        with self._lock:
            self.mentions.clear()
            self.profiles.clear()

    def add(self, content: Any) -> dict[str, int]:
        """{"instagram_mentions": [{account_id, media_id, comment_id?, text, username,
        permalink}], "profiles": [{id, platform, first_name, last_name, name, username}]}."""
        if not isinstance(content, dict):
            raise ValueError("content must be a JSON object")
        mentions = content.get("instagram_mentions") or []
        profiles = content.get("profiles") or []
        if not isinstance(mentions, list) or not isinstance(profiles, list):
            raise ValueError("instagram_mentions and profiles must be lists")
        with self._lock:
            for mention in mentions:
                self._add_mention(mention)
            for profile in profiles:
                if not isinstance(profile, dict) or not str(profile.get("id", "")).isdigit():
                    raise ValueError("a profile needs a numeric id")
                if profile.get("platform") not in _PROFILE_FIELDS:
                    raise ValueError("a profile's platform is facebook or instagram")
                self.profiles[str(profile["id"])] = dict(profile)
        return {"instagram_mentions": len(self.mentions), "profiles": len(self.profiles)}

    def _add_mention(self, mention: Any) -> None:
        if not isinstance(mention, dict):
            raise ValueError("a mention must be an object")
        account, media = str(mention.get("account_id", "")), str(mention.get("media_id", ""))
        comment = str(mention.get("comment_id") or "")
        if not account.isdigit() or not media.isdigit() or (comment and not comment.isdigit()):
            raise ValueError("a mention needs numeric account_id and media_id (comment_id)")
        media_item = {"id": media, "permalink": mention.get("permalink")}
        if comment:
            item = {
                "id": comment,
                "text": str(mention.get("text", "")),
                "username": mention.get("username"),
                "timestamp": mention.get("timestamp", "2026-11-24T09:00:00+0000"),
                "media": media_item,
            }
            self.mentions[(account, "comment", comment)] = item
        else:
            item = {**media_item, "caption": str(mention.get("text", ""))}
            item["username"] = mention.get("username")
            self.mentions[(account, "media", media)] = item

    def is_instagram(self, node: str) -> bool:
        """An Instagram object (its reads take the Instagram token), as far as known."""
        with self._lock:
            profile = self.profiles.get(node)
            return (profile or {}).get("platform") == "instagram" or any(
                account == node for account, _, _ in self.mentions
            )

    def read(self, node: str, query: dict[str, str]) -> dict[str, Any] | None:
        """The answer to GET /{node}?fields=..., or None when it is no read of these."""
        fields = query.get("fields", "")
        found = _EXPANSION.fullmatch(fields)
        with self._lock:
            if found:
                if _EDGE_KEYS[found["edge"]] != found["key"]:
                    raise graph_error(100, f"Tried accessing nonexisting field ({found['key']})")
                kind = "comment" if found["edge"] == "mentioned_comment" else "media"
                item = self.mentions.get((node, kind, found["id"]))
                if item is None:
                    missing = f"Object with ID '{found['id']}' does not exist"
                    raise graph_error(100, f"Unsupported get request. {missing}")
                return {found["edge"]: _only(item, found["fields"]), "id": node}
            profile = self.profiles.get(node)
        if profile is None or not fields:
            return None
        allowed = _PROFILE_FIELDS[profile["platform"]]
        asked = [f for f in fields.split(",") if f]
        unknown = [f for f in asked if f not in allowed]
        if unknown:
            raise graph_error(100, f"Tried accessing nonexisting field ({unknown[0]})")
        return {**{f: profile.get(f) for f in asked if profile.get(f) is not None}, "id": node}


def _only(item: dict[str, Any], fields: str | None) -> dict[str, Any]:
    """The fields asked (top level, `media{permalink}` as `media`), and the id."""
    if not fields:
        return {"id": item["id"]}
    names = {re.sub(r"\{.*", "", name) for name in _top_level(fields)}
    kept = {k: v for k, v in item.items() if k in names and v is not None}
    return {**kept, "id": item["id"]}


def _top_level(fields: str) -> list[str]:
    names, depth, current = [], 0, ""
    for char in fields:
        depth += (char == "{") - (char == "}")
        if char == "," and depth == 0:
            names.append(current)
            current = ""
        else:
            current += char
    return [*names, current] if current else names
