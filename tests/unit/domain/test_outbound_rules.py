"""When the platforms let the brand write, and what goes out by itself."""

from __future__ import annotations

from socialcare.domain.calendar import BusinessCalendar, WorkingInterval
from socialcare.domain.messages import Channel
from socialcare.domain.outbound import DeliveryMode, OutboundKind
from socialcare.domain.outbound_config import AutomaticRule, OutboundConfig, WhatsAppTemplateConfig
from socialcare.domain.outbound_rules import Blocked, automatic_steps, plan_delivery
from tests.outbound_fakes import NOW, a_conversation, an_action


def _mode(kind, channel, *, hours_ago=1.0, config=None, **fields):
    planned = plan_delivery(
        an_action(kind, channel, **fields),
        a_conversation(hours_ago=hours_ago),
        config or OutboundConfig(),
        NOW,
    )
    return planned.reason if isinstance(planned, Blocked) else planned.mode


def test_messenger_inside_24_hours_is_a_response_and_after_needs_the_human_agent_tag():
    # Given / When / Then
    assert _mode(OutboundKind.MESSAGE, Channel.MESSENGER, hours_ago=23) is DeliveryMode.RESPONSE
    blocked = _mode(OutboundKind.MESSAGE, Channel.MESSENGER, hours_ago=25)
    assert "24 h" in blocked
    tagged = OutboundConfig(human_agent_tag=True)
    assert (
        _mode(OutboundKind.MESSAGE, Channel.INSTAGRAM_DM, hours_ago=25, config=tagged)
        is DeliveryMode.HUMAN_AGENT
    )
    assert "7 days" in _mode(
        OutboundKind.MESSAGE, Channel.MESSENGER, hours_ago=24 * 8, config=tagged
    )


def test_whatsapp_outside_its_window_only_sends_the_approved_template():
    # Given a WhatsApp chat whose customer wrote 30 hours ago
    template = OutboundConfig(
        whatsapp_template=WhatsAppTemplateConfig(
            name="seguimiento", language="es", body="Hola, seguimos aquí."
        )
    )
    # Then free text inside 24 h, the template after, nothing without one
    assert _mode(OutboundKind.MESSAGE, Channel.WHATSAPP, hours_ago=2) is DeliveryMode.TEXT
    assert (
        _mode(OutboundKind.MESSAGE, Channel.WHATSAPP, hours_ago=30, config=template)
        is DeliveryMode.TEMPLATE
    )
    assert "template" in _mode(OutboundKind.MESSAGE, Channel.WHATSAPP, hours_ago=30)


def test_a_comment_gets_one_private_reply_within_7_days():
    assert _mode(OutboundKind.PRIVATE_REPLY, Channel.FACEBOOK_COMMENT) is DeliveryMode.PRIVATE_REPLY
    assert "7 days" in _mode(
        OutboundKind.PRIVATE_REPLY, Channel.INSTAGRAM_COMMENT, hours_ago=24 * 8
    )


def test_x_posts_carry_no_links_unless_config_allows_and_never_more_than_280_characters():
    link = "Mira https://segurosmarea.example/ayuda"
    assert "links" in _mode(OutboundKind.PUBLIC_REPLY, Channel.X_MENTION, text=link)
    allowed = OutboundConfig(x_links_allowed=True)
    assert (
        _mode(OutboundKind.PUBLIC_REPLY, Channel.X_MENTION, text=link, config=allowed)
        is DeliveryMode.TWEET_REPLY
    )
    assert "280" in _mode(OutboundKind.PUBLIC_REPLY, Channel.X_MENTION, text="a" * 281)
    assert _mode(OutboundKind.PRIVATE_REPLY, Channel.X_MENTION) is DeliveryMode.DIRECT_MESSAGE


def test_trolls_get_no_reply_but_may_be_hidden():
    troll = a_conversation(category="troll")
    reply = plan_delivery(an_action(), troll, OutboundConfig(), NOW)
    hide = plan_delivery(an_action(OutboundKind.HIDE, text=None), troll, OutboundConfig(), NOW)
    assert isinstance(reply, Blocked) and "troll" in reply.reason
    assert hide.mode is DeliveryMode.HIDE


def test_only_comments_on_the_brands_page_can_be_hidden():
    assert "hidden" in _mode(OutboundKind.HIDE, Channel.X_MENTION, text=None)


def _calendar() -> BusinessCalendar:
    from datetime import time

    hours = (WorkingInterval(time(9), time(10)),)
    return BusinessCalendar("UTC", {day: hours for day in range(7)})


def test_automatic_steps_follow_config_in_order_and_spam_or_trolls_only_get_hidden():
    # Given the example rule: personal data on the brand's comments, hidden and answered
    config = OutboundConfig(
        automatic=[
            AutomaticRule(
                flags=["personal_data_exposed"],
                channels=[Channel.FACEBOOK_COMMENT],
                steps=["private_followup", "public_notice", "hide"],
            )
        ]
    )
    common = {"channel": Channel.FACEBOOK_COMMENT, "now": NOW, "calendar": _calendar()}
    # Then hide first, then the private reply, then the notice that mentions it ...
    steps = automatic_steps(
        config, flags=("personal_data_exposed",), category="complaint", **common
    )
    assert steps == ("hide", "private_followup", "public_notice")
    # ... nothing without the flag or on another channel ...
    assert automatic_steps(config, flags=(), category="complaint", **common) == ()
    other = {**common, "channel": Channel.MESSENGER}
    assert automatic_steps(config, flags=("personal_data_exposed",), category="x", **other) == ()
    # ... and a troll's comment is only hidden
    assert automatic_steps(
        config, flags=("personal_data_exposed",), category="troll", **common
    ) == ("hide",)


def test_a_comment_hidden_on_instagram_gets_no_public_notice_but_its_private_follow_up():
    # Given the shipped rule: personal data on the brand's comments, hidden, noticed,
    # followed up privately, on Facebook and Instagram
    config = OutboundConfig(
        automatic=[
            AutomaticRule(
                flags=["personal_data_exposed"],
                channels=[Channel.FACEBOOK_COMMENT, Channel.INSTAGRAM_COMMENT],
                steps=["hide", "public_notice", "private_followup"],
            )
        ]
    )
    common = {"flags": ("personal_data_exposed",), "category": "complaint", "now": NOW}
    # When the steps are planned for each channel
    facebook = automatic_steps(
        config, channel=Channel.FACEBOOK_COMMENT, calendar=_calendar(), **common
    )
    instagram = automatic_steps(
        config, channel=Channel.INSTAGRAM_COMMENT, calendar=_calendar(), **common
    )
    # Then Instagram, which refuses a reply to a hidden comment, gets no public notice
    assert facebook == ("hide", "private_followup", "public_notice")
    assert instagram == ("hide", "private_followup")


def test_a_business_hours_rule_waits_for_the_social_teams_hours():
    config = OutboundConfig(
        automatic=[
            AutomaticRule(
                categories=["spam"],
                channels=[Channel.FACEBOOK_COMMENT],
                hours="business_hours",
                steps=["hide"],
            )
        ]
    )
    # NOW is 10:00 UTC: the calendar's hour (09-10) is over
    steps = automatic_steps(
        config,
        flags=(),
        category="spam",
        channel=Channel.FACEBOOK_COMMENT,
        now=NOW,
        calendar=_calendar(),
    )
    assert steps == ()


def test_an_x_reply_names_whom_it_answers_once():
    from socialcare.domain.outbound_rules import x_reply_text

    assert x_reply_text("Gracias", "ana") == "@ana Gracias"
    assert x_reply_text("@ana Gracias", "ana") == "@ana Gracias"
    assert x_reply_text("Gracias", None) == "Gracias"


def test_an_x_reply_starts_with_the_author_handle_whatever_the_text_starts_with():
    from socialcare.domain.outbound_rules import x_reply_text

    # Given a reply whose text starts with someone else's mention (typed, or a display
    # name), or with a handle that only begins like the author's
    # Then the author, whom X named in the delivery, is still named first
    assert x_reply_text("@third_party gracias", "ana") == "@ana @third_party gracias"
    assert x_reply_text("@anabel gracias", "ana") == "@ana @anabel gracias"
    assert x_reply_text("@ANA gracias", "ana") == "@ANA gracias"  # X ignores case
    assert x_reply_text("@ana, gracias", "ana") == "@ana, gracias"
    # And a handle X could not have sent (its usernames: letters, digits, _; at most 15)
    # is never written into the post
    assert x_reply_text("Gracias", "Ana García") == "Gracias"
    assert x_reply_text("Gracias", "a" * 16) == "Gracias"


def test_an_x_post_is_measured_as_x_counts_it_and_a_direct_message_by_its_characters():
    # Given a reply of 280 characters that X weighs 282 (€ and the emoji count 2 each),
    # and a direct message of 5,000 characters (X takes 10,000 in one)
    weighed = "a" * 274 + " 5 € 👍"
    long_message = "b" * 5000
    # When they are planned
    post = _mode(OutboundKind.PUBLIC_REPLY, Channel.X_MENTION, text=weighed)
    message = _mode(OutboundKind.MESSAGE, Channel.X_DM, text=long_message)
    private = _mode(OutboundKind.PRIVATE_REPLY, Channel.X_MENTION, text=long_message)
    # Then the post is held back (X would refuse it) and the messages go
    assert len(weighed) == 280 and "280" in post
    assert message is DeliveryMode.DIRECT_MESSAGE and private is DeliveryMode.DIRECT_MESSAGE
    assert "10000" in _mode(OutboundKind.MESSAGE, Channel.X_DM, text="c" * 10_001)
