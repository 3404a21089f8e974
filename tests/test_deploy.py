import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def run_manage(*args, **env):
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "newsdesk.settings", **env},
        capture_output=True,
        text=True,
        check=False,
    )


def test_deploy_check_is_clean_with_debug_off():
    result = run_manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        DEBUG="0",
        SECRET_KEY="k7#Qz!v2@Lm9$Rt4^Wp8&Yx1*Nb6(Hc3)Jd5-Fg0_Sa7+Ue2=Io9",
        ALLOWED_HOSTS="news.example",
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_deploy_check_flags_the_development_secret_key():
    result = run_manage("check", "--deploy", DEBUG="0", ALLOWED_HOSTS="news.example")
    assert "security.W009" in result.stdout + result.stderr
