"""The ``cupure`` console script: Django's management commands under the product's name.

``cupure run``, ``cupure fetch``, ``cupure sources add URL`` ... are management commands living in
``cupure/worker/management/commands/``; Django's own (``migrate``, ``createsuperuser``) work too.
"""

from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cupure.settings")
    from django.core.management import execute_from_command_line

    args = list(sys.argv[1:] if argv is None else argv)
    execute_from_command_line(["cupure", *args])


if __name__ == "__main__":
    main()
