"""`make run` serves on the port asked for, and the README says how."""

import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def dry_run(*arguments: str) -> str:
    make = shutil.which("make")
    if make is None:
        pytest.skip("make is not installed")
    # --dry-run prints the commands without running any of them.
    result = subprocess.run(
        [make, "--dry-run", "run", *arguments], cwd=ROOT, capture_output=True, text=True, check=True
    )
    return result.stdout


def test_make_run_serves_on_port_8000_by_default():
    assert "manage.py runserver 127.0.0.1:8000\n" in dry_run()


def test_make_run_takes_another_port():
    assert "manage.py runserver 127.0.0.1:8001\n" in dry_run("PORT=8001")


def test_readme_says_how_to_choose_the_port():
    assert "make run PORT=8001" in (ROOT / "README.md").read_text()
