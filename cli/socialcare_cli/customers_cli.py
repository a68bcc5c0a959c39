"""`socialcare customers load FILE.csv`: the brand's known customers into a stack's
customers table (deployed, by its name; or the local stack). The whole file is checked
first: one mistake, and nothing is written. Only counts are printed (the file is
personal data).

A customer absent from the file is kept: the table may hold entries the file never had
(another export, one added by hand), and a partial export must not silently drop known
customers. Removing one is a deliberate act (README, Deploying).
"""

from __future__ import annotations

from typing import Any

from socialcare_cli.customer_file import read_customers
from socialcare_cli.errors import CommandFailed
from socialcare_cli.stack_target import resolve_stack


def main(arguments: Any) -> int:
    customers = read_customers(arguments.file)
    if arguments.dry_run:
        print(f"{len(customers)} customers in {arguments.file.name}, all valid; nothing written")
        return 0
    from socialcare.bootstrap import operations
    from socialcare.domain.customers import CustomersNotWritten

    stack = resolve_stack(arguments.stack_name, arguments.local)
    table = stack.output("CustomersTableName")
    try:
        written = operations.customer_list(stack.root()).put_all(customers)
    except CustomersNotWritten as failed:
        raise CommandFailed(
            f"{failed.written} of {len(customers)} customers written, then DynamoDB: {failed} "
            "(loading again is safe: the same file writes the same items)"
        ) from None
    print(
        f"{written.customers} customers loaded into {table} "
        f"({written.calls} BatchWriteItem calls, {written.resends} resends of unprocessed items)"
    )
    return 0
