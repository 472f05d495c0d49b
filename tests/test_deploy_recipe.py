"""The deployment recipe in deploy/ says one thing: the systemd units run exactly deploy/Procfile's
commands (which bench/cluster.py starts its nodes from), every variable they use is in the
example environment file, and the nginx site is valid nginx once its names are filled in."""

import re
import shlex
import shutil
import subprocess
from pathlib import Path

import pytest

from bench.cluster_parts import expand, nginx_site, procfile

ROOT = Path(__file__).resolve().parent.parent
DEPLOY = ROOT / "deploy"
VENV_BIN = "/srv/kenshu/.venv/bin/"


def exec_starts(unit: str) -> list[str]:
    """ExecStart= lines of a unit, as the command the process runs (systemd's %% is %)."""
    lines = (DEPLOY / "systemd" / unit).read_text().splitlines()
    return [
        line.removeprefix("ExecStart=").removeprefix(VENV_BIN).replace("%%", "%")
        for line in lines
        if line.startswith("ExecStart=")
    ]


@pytest.mark.parametrize(
    ("unit", "kind"),
    [
        ("kenshu-web.service", "web"),
        ("kenshu-worker.service", "worker"),
        ("kenshu-beat.service", "beat"),
    ],
)
def test_each_unit_runs_the_procfile_command(unit, kind):
    assert exec_starts(unit) == [procfile()[kind]]


def test_the_release_unit_runs_the_procfile_release_steps_in_order():
    steps = [step.strip() for step in procfile()["release"].split("&&")]
    assert exec_starts("kenshu-release.service") == steps


def test_every_variable_the_processes_use_is_in_the_example_environment():
    example = (DEPLOY / "kenshu.env.example").read_text()
    defined = set(re.findall(r"^([A-Z_]+)=", example, re.M))
    used = set(re.findall(r"\$\{([A-Z_]+)\}", " ".join(procfile().values())))
    assert used and used <= defined
    for unit in (DEPLOY / "systemd").glob("*.service"):
        text = unit.read_text()
        assert "EnvironmentFile=/etc/kenshu/kenshu.env" in text, unit.name
        assert set(re.findall(r"\$\{([A-Z_]+)\}", text)) <= defined, unit.name
    # What the production settings require is there too.
    for name in ("SECRET_KEY", "ALLOWED_HOSTS", "DATABASE_URL", "REDIS_URL", "EMAIL_URL"):
        assert name in defined


def test_a_command_is_expanded_from_the_environment_and_the_virtualenv():
    words = expand(procfile()["worker"], {"WORKER_CONCURRENCY": "2", "WORKER_NAME": "w-2"})
    assert Path(words[0]).name == "celery" and Path(words[0]).parent.name == "bin"
    assert words[words.index("--concurrency") + 1] == "2"
    assert words[words.index("--hostname") + 1] == "w-2@%h"
    assert shlex.split(procfile()["web"])[0] == "gunicorn"


def test_the_readme_sets_every_name_the_nginx_site_has():
    site = (DEPLOY / "nginx" / "kenshu.conf").read_text()
    names = set(re.findall(r"\$\{(KENSHU_[A-Z_]+)\}", site))
    readme = (ROOT / "README.md").read_text()
    assert names
    assert {name for name in names if f"{name}=" not in readme} == set()


def test_the_nginx_site_is_valid_nginx(tmp_path):
    if not shutil.which("nginx"):
        pytest.skip("nginx is not installed here (scripts/system-packages cluster installs it)")
    from bench.cluster_parts import self_signed

    cert, key = self_signed(tmp_path / "tls")
    site = nginx_site(
        {
            "KENSHU_WEB_NODES": "server 10.0.0.11:8000; server 10.0.0.12:8000;",
            "KENSHU_HTTP_LISTEN": "127.0.0.1:18080",
            "KENSHU_HTTPS_LISTEN": "127.0.0.1:18443",
            "KENSHU_SERVER_NAME": "kenshu.example.jp",
            "KENSHU_TLS_CERT": str(cert),
            "KENSHU_TLS_KEY": str(key),
            "KENSHU_STATIC_ROOT": str(tmp_path / "static"),
            "KENSHU_MEDIA_ROOT": str(tmp_path / "media"),
            # An address, not a name: nginx resolves proxy_pass hosts when it loads, and this
            # machine may have no DNS.
            "KENSHU_STORE_ENDPOINT": "https://10.0.0.20:9000",
        }
    )
    (tmp_path / "kenshu.conf").write_text(site)
    (tmp_path / "nginx.conf").write_text(
        f"pid {tmp_path}/nginx.pid; error_log {tmp_path}/error.log;\n"
        "events {}\n"
        f"http {{ include /etc/nginx/mime.types; include {tmp_path}/kenshu.conf; }}\n"
    )
    result = subprocess.run(
        ["nginx", "-t", "-c", str(tmp_path / "nginx.conf")],
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert result.returncode == 0, result.stderr


def test_the_example_environment_reads_in_sh_and_passes_check_deploy():
    """The file as the units and cron read it (sh's `set -a; .`): every value parses, and the
    production settings accept the combination (a store behind nginx, addressed by path).
    Only its placeholder secret is swapped for a strong one."""
    import sys

    script = (
        'set -a; . "$1"; set +a; export SECRET_KEY="$2"; '
        'exec "$3" manage.py check --deploy --fail-level WARNING'
    )
    strong = "x7#kq9!mZ2@vL5$wR8^nB3&tY6*pH1(cD4)fG0_jS" + "a" * 10
    result = subprocess.run(
        ["sh", "-c", script, "sh", str(DEPLOY / "kenshu.env.example"), strong, sys.executable],
        cwd=ROOT,
        env={"PATH": "/usr/bin:/bin", "HOME": "/tmp"},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues (0 silenced)" in result.stdout
