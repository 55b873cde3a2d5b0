"""Allow ``python -m fairpivot``."""

from fairpivot.cli.main import main

raise SystemExit(main())
