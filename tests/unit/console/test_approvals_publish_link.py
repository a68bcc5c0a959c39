"""The social team's publish link obeys approvals.yaml (use case over fakes): a part a
rule holds goes to the approvers instead of the platform, the rest goes, the page knows."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

from socialcare.app.publish_links import PublishDependencies, Published, PublishForm, show
from socialcare.config.loaders import outbound_config
from socialcare.domain.outbound import OutboundKind
from tests.outbound_fakes import NOW, ScriptedPlatform, outbound_dependencies
from tests.unit.console.approval_fakes import approval_deps
from tests.unit.test_publish_truth import CSRF, KEY, PRIVATE, PublishLinks, a_comment


def _publish(links, platform, **form):
    from socialcare.app.publish_links import submit

    approvals = approval_deps(links.stored)
    approvals.cases = links
    deps = PublishDependencies(
        cases=links,
        links=links,
        outbound=outbound_dependencies(None, platform, config=outbound_config()),
        clock=lambda: NOW,
        language="es",
        approvals=approvals,
    )
    sent = {"csrf_token": CSRF, "private_text": PRIVATE, **form}
    return submit(f"{links.stored.id}.{KEY}", sent, deps), deps


def test_a_comment_mentioning_an_authority_sends_nothing_and_waits_for_an_approver():
    # Given a recent comment triage flagged for a consumer authority
    case = a_comment(written_ago=timedelta(hours=1))
    case = replace(case, triage=replace(case.triage, flags=("authority_mentioned",)))
    links, platform = PublishLinks(case), ScriptedPlatform()

    # When the social team publishes both replies
    published, deps = _publish(links, platform, public_text="Lo revisamos hoy.")

    # Then nothing went, both parts wait, the link is spent
    assert isinstance(published, Published)
    assert platform.done == []
    assert [part.kind for part in published.held] == [
        OutboundKind.PRIVATE_REPLY,
        OutboundKind.PUBLIC_REPLY,
    ]
    assert published.held[0].reasons[0].startswith("El cliente menciona")
    assert len(deps.approvals.store.waiting()) == 2
    assert links.stored.publish.used_at is not None


def test_only_the_part_that_speaks_of_compensation_waits():
    # Given an innocent recent comment
    links, platform = PublishLinks(a_comment(written_ago=timedelta(hours=1))), ScriptedPlatform()

    # When the public reply offers compensation
    published, deps = _publish(links, platform, public_text="Te daremos una indemnización.")

    # Then the private reply went, and the public one waits for an approver
    assert [d.action.kind for d in platform.done] == [OutboundKind.PRIVATE_REPLY]
    assert [part.kind for part in published.held] == [OutboundKind.PUBLIC_REPLY]
    [waiting] = deps.approvals.store.waiting()
    assert waiting.reasons == ("sensitive_words",)
    assert waiting.draft.author == "social team (email link)"


def test_the_page_says_before_publishing_that_the_replies_need_an_approver():
    # Given a comment flagged for an authority
    case = a_comment(written_ago=timedelta(hours=1))
    case = replace(case, triage=replace(case.triage, flags=("authority_mentioned",)))
    links = PublishLinks(case)
    approvals = approval_deps(case)
    deps = PublishDependencies(
        cases=links,
        links=links,
        outbound=outbound_dependencies(None, ScriptedPlatform(), config=outbound_config()),
        clock=lambda: NOW,
        language="es",
        approvals=approvals,
    )

    # When the page is shown
    form = show(f"{case.id}.{KEY}", deps)

    # Then it carries the reason, and nothing was submitted by looking
    assert isinstance(form, PublishForm)
    assert form.approval_reasons and form.approval_reasons[0].startswith("El cliente")
    assert approvals.store.waiting() == []
