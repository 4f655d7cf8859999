"""The command line lives in one package: one module per command, argparse nowhere else."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

from kiosk.cli import build_parser

ROOT = Path(__file__).resolve().parents[2]

# The commands the README, the systemd unit, the admin's preview and the tests call by name.
COMMANDS = {"check", "pack", "record", "ui-strings", "sync", "play", "screenshot",
            "staff-pin", "screenshot-server", "school", "import", "export", "enroll",
            "fleet"}


def _imports_argparse(path: Path) -> bool:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import) and any(a.name == "argparse" for a in node.names):
            return True
        if isinstance(node, ast.ImportFrom) and node.module == "argparse":
            return True
    return False


def test_argparse_lives_only_in_the_cli_package():
    cli = ROOT / "kiosk" / "cli"
    offenders = [str(p.relative_to(ROOT)) for top in ("kiosk", "admin")
                 for p in sorted((ROOT / top).rglob("*.py"))
                 if cli not in p.parents and _imports_argparse(p)]
    assert offenders == []


def test_every_command_keeps_its_name():
    parser = build_parser()
    sub = next(a for a in parser._actions if a.dest == "command")
    assert set(sub.choices) == COMMANDS


def test_each_command_is_found_in_the_module_that_registers_it():
    from kiosk.cli import COMMAND_MODULES

    for command, module in COMMAND_MODULES.items():
        sub = next(a for a in build_parser(command)._actions if a.dest == "command")
        assert command in sub.choices, (command, module)
        assert {c for c, m in COMMAND_MODULES.items() if m == module} == set(sub.choices)


def test_kiosk_play_imports_no_other_command():
    """`kiosk play` is how a kiosk starts: the other commands' imports (the validator,
    bundles, Twine) would hold up its first frame (issue 24)."""
    probe = ("import sys; from kiosk.cli import build_parser; build_parser('play'); "
             "print(sorted(m for m in sys.modules if m.startswith('kiosk.cli.')))")
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                          cwd=ROOT, timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["['kiosk.cli.options',", "'kiosk.cli.play']"]


def test_data_dir_is_one_shared_option(tmp_path):
    # Each command that works in the kiosk's data folder takes it from --data-dir.
    for argv in (["record", "stats"], ["record", "export", "-o", str(tmp_path / "x.csv")],
                 ["sync", "--server", "http://127.0.0.1:9", "--token", "t"]):
        done = subprocess.run([sys.executable, "-m", "kiosk", *argv, "--data-dir",
                               str(tmp_path)], capture_output=True, text=True, cwd=ROOT,
                              timeout=60)
        assert done.returncode == 1, (argv, done.stderr)
        assert f"there is no record in {tmp_path} yet" in done.stderr, (argv, done.stderr)


def test_the_systemd_unit_starts_the_play_command():
    unit = (ROOT / "deploy" / "kiosk" / "storykiosk.service").read_text(encoding="utf-8")
    line = next(x for x in unit.splitlines() if x.startswith("ExecStart="))
    module = line.split(" -m ", 1)[1].split()[0]
    done = subprocess.run([sys.executable, "-m", module, "--help"], capture_output=True,
                          text=True, cwd=ROOT, timeout=60)
    assert done.returncode == 0, done.stderr
    assert "--fullscreen" in done.stdout
