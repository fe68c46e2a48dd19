"""Where the shared sample files live: the `shared/samples` folder next to the repository,
or `$REPORTONCE_SHARED/samples` when that variable names another shared folder."""

from __future__ import annotations

import os
from pathlib import Path

_DEFAULT_SHARED = Path(__file__).resolve().parents[1].parent / "shared"

SHARED: Path = Path(os.environ.get("REPORTONCE_SHARED") or _DEFAULT_SHARED)
SAMPLES: Path = SHARED / "samples"
