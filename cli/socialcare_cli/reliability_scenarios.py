"""The reliability scenarios' names, apart from the runner so that the command line can
check `--only` without importing the scenarios."""

# In the order they run; fuzz_properties runs apart, without the stack.
SCENARIOS = (
    "load",
    "faults",
    "forgery",
    "fuzz_http",
    "fuzz_openapi",
    "action_links",
    "signing_oracles",
    "odd_numbers",
    "headers",
    "parking_queue",
    "late_answers",
    "outbound",
    "platform_answers",
    "intake",
    "graph_writes",
    "wa_statuses",
    "words",
    "replies",
    "truth",
    "alerts",
    "languages",
    "linear_text",
    "pages",
    "privacy",
    "token_rotation",
    "connect",
    "personal_data",
    "fuzz_properties",
)
