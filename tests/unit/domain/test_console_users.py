from socialcare.domain.console_users import (
    ConsoleAction,
    ConsoleUser,
    Role,
    roles_of_groups,
)


def test_a_token_s_groups_become_roles_and_unknown_groups_give_none():
    # Given the groups Cognito put in a token, one of them not the console's
    groups = ["agents", "approvers", "finance"]

    # When they are read as roles
    roles = roles_of_groups(groups)

    # Then the console's groups are roles and the other is ignored
    assert roles == frozenset({Role.AGENT, Role.APPROVER})


def test_each_role_may_do_only_its_own_actions():
    # Given one person of each role
    agent = ConsoleUser("ana", frozenset({Role.AGENT}))
    manager = ConsoleUser("carla", frozenset({Role.COMMUNITY_MANAGER}))
    approver = ConsoleUser("pablo", frozenset({Role.APPROVER}))
    admin = ConsoleUser("root", frozenset({Role.ADMIN}))

    # Then everyone reads, and only the right roles approve, manage or mark a crisis
    assert all(u.may(ConsoleAction.READ) for u in (agent, manager, approver, admin))
    assert agent.may(ConsoleAction.REPLY) and not agent.may(ConsoleAction.APPROVE)
    assert approver.may(ConsoleAction.APPROVE) and not approver.may(ConsoleAction.REPLY)
    assert manager.may(ConsoleAction.MARK_CRISIS) and not agent.may(ConsoleAction.MARK_CRISIS)
    assert admin.may(ConsoleAction.MANAGE_USERS) and not admin.may(ConsoleAction.REPLY)


def test_a_person_with_no_console_group_may_do_nothing():
    # Given a signed-in person in no console group
    nobody = ConsoleUser("x", frozenset())

    # Then no action is allowed, not even reading
    assert not any(nobody.may(action) for action in ConsoleAction)
