"""Where the real reports of ../shared/seeds/ are: beside the checkout (as CI lays it out), or EVALPORTAL_SEEDS."""
import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SEEDS_DIR = Path(os.environ.get("EVALPORTAL_SEEDS", ROOT.parent / "shared" / "seeds"))


def seed_file(name: str) -> Path:
    path = SEEDS_DIR / name
    if not path.exists():
        pytest.skip(f"the seed {name} is not in {SEEDS_DIR} (set EVALPORTAL_SEEDS)")
    return path
