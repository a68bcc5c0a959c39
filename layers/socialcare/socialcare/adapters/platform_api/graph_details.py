"""Graph API reads triage makes before classifying (domain/case_details.py): the comment
or caption of an Instagram mention, and who a Messenger or Instagram scoped id is. The
same tokens, appsecret_proof and error reading as the sends (meta.py, graph_errors.py);
tokens in the Authorization header, never in a URL."""

from __future__ import annotations

import hashlib
import hmac
from typing import Any
from urllib.parse import urlencode

from socialcare.adapters.platform_api.graph_errors import graph_result
from socialcare.adapters.platform_api.http import HttpClient
from socialcare.adapters.platform_api.tokens import TokenSource
from socialcare.domain.case_details import (
    DetailsProblem,
    DetailsUnavailable,
    MentionContent,
    PersonName,
)
from socialcare.domain.messages import Channel, Platform
from socialcare.domain.platform_errors import (
    FateUnknown,
    PlatformBusy,
    PlatformFailed,
    PlatformRefused,
    PlatformTokenInvalid,
    TokenProblem,
)
from socialcare.platforms.ids import NUMERIC

# GET /{ig-user-id}?fields=mentioned_comment.comment_id({comment-id}){fields}: the IG
# Comment the account was @mentioned in, by the comment id of the mentions webhook
# (https://developers.facebook.com/docs/instagram-platform/instagram-graph-api/reference/ig-user/mentioned_comment);
# the comment itself cannot be read by its id ("Use the Mentioned Comment node instead",
# .../reference/ig-comment). `media{permalink}`: the post it was written under.
_COMMENT_FIELDS = "{text,timestamp,username,media{permalink}}"
# GET /{ig-user-id}?fields=mentioned_media.media_id({media-id}){fields}: the IG Media
# whose caption @mentioned the account
# (https://developers.facebook.com/docs/instagram-platform/instagram-graph-api/reference/ig-user/mentioned_media).
_MEDIA_FIELDS = "{caption,permalink,username,timestamp}"
# The User Profile API: GET /{PSID}?fields=first_name,last_name with the Page token
# (https://developers.facebook.com/docs/messenger-platform/identity/user-profile), and
# for an Instagram-scoped id GET /{IGSID}?fields=name,username
# (https://developers.facebook.com/docs/messenger-platform/instagram/features/user-profile).
_PROFILE_FIELDS = {
    Channel.MESSENGER: "first_name,last_name",
    Channel.INSTAGRAM_DM: "name,username",
}


class GraphDetails:
    def __init__(self, http: HttpClient, base_url: str, tokens: TokenSource) -> None:
        self._http = http
        self._base = base_url.rstrip("/")
        self._tokens = tokens

    def mention(self, account_id: str, media_id: str, comment_id: str | None) -> MentionContent:
        if comment_id:
            field = f"mentioned_comment.comment_id({_id(comment_id)}){_COMMENT_FIELDS}"
        else:
            field = f"mentioned_media.media_id({_id(media_id)}){_MEDIA_FIELDS}"
        answer = self._get(Platform.INSTAGRAM, account_id, _id(account_id), field)
        found = answer.get("mentioned_comment" if comment_id else "mentioned_media")
        if not isinstance(found, dict):
            raise DetailsUnavailable(DetailsProblem.GONE, "no mention in the answer")
        text = found.get("text") if comment_id else found.get("caption")
        nested = found.get("media")
        media = nested if isinstance(nested, dict) else found
        return MentionContent(
            text=str(text or ""),
            username=_str(found.get("username")),
            permalink=_str(media.get("permalink")),
        )

    def person(self, channel: Channel, account_id: str, person_id: str) -> PersonName:
        fields = _PROFILE_FIELDS.get(channel)
        if fields is None:
            raise DetailsUnavailable(DetailsProblem.GONE, f"no profile read for {channel}")
        platform = channel.platform
        answer = self._get(platform, account_id, _id(person_id), fields)
        if channel is Channel.MESSENGER:
            names = (_str(answer.get("first_name")), _str(answer.get("last_name")))
            return PersonName(display_name=" ".join(n for n in names if n) or None)
        name, username = _str(answer.get("name")), _str(answer.get("username"))
        return PersonName(display_name=name, handle=username)

    def _get(self, platform: Platform, account_id: str, node: str, fields: str) -> dict[str, Any]:
        tokens = self._tokens()
        instagram = platform is Platform.INSTAGRAM
        table = tokens.instagram_tokens if instagram else tokens.facebook_page_tokens
        token = table.get(account_id) or table.get("*", "")
        if not token:
            raise DetailsUnavailable(DetailsProblem.TOKEN, "no token", TokenProblem.MISSING)
        query = {"fields": fields}
        if tokens.meta_app_secret:  # as meta.py: appsecret_proof beside every call
            key = tokens.meta_app_secret.encode()
            query["appsecret_proof"] = hmac.new(key, token.encode(), hashlib.sha256).hexdigest()
        url = f"{self._base}/{node}?{urlencode(query)}"
        try:
            answer = self._http.request("GET", url, headers={"Authorization": f"Bearer {token}"})
            return graph_result(answer, method="GET", platform=platform, wait=0.0)
        except PlatformTokenInvalid as refused:
            raise DetailsUnavailable(DetailsProblem.TOKEN, str(refused), refused.problem) from None
        except (PlatformBusy, PlatformFailed, FateUnknown) as failed:
            raise DetailsUnavailable(DetailsProblem.UNAVAILABLE, type(failed).__name__) from None
        except PlatformRefused as refused:  # deleted, hidden, comments off, a wrong id
            raise DetailsUnavailable(DetailsProblem.GONE, str(refused)[:200]) from None


def _id(value: str) -> str:
    """Ids go into a path and a field expansion: digits only, as Meta's ids are."""
    if not NUMERIC.fullmatch(value or ""):
        raise DetailsUnavailable(DetailsProblem.GONE, "not a Graph id")
    return value


def _str(value: Any) -> str | None:
    return str(value)[:200] if isinstance(value, str) and value else None
