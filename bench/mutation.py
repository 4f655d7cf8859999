"""Mutation testing of the modules that guard people and data: do their tests notice a bug?

    .venv/bin/python bench/mutation.py conditions access     # some modules (names below)
    .venv/bin/python bench/mutation.py --all                  # every module: hours on 2 cores
    .venv/bin/python bench/mutation.py --list                 # the modules and their tests

For each module, mutmut (a dev dependency) plants small bugs one at a time (`<` for `<=`,
`and` for `or`, a constant changed, a call dropped) and runs the module's tests against each;
a mutant the tests do not fail is a *survivor*: a change to that line that nobody would notice.
This prints the mutation score per module (killed / (killed + survived); mutants no test
reaches count as survivors, timeouts as killed) and lists the survivors, with
`mutmut show NAME` (run in the module's work folder) to see one. docs/quality.md keeps the
table of the latest run.

Each module runs in its own work folder, `bench/out/mutation/<module>/`, holding a
pyproject.toml with the `[tool.mutmut]` section built from MODULES below (the source file to
mutate and the tests that guard it) and links to the repository's folders; mutmut copies
them into `mutants/` there. One worker by default (`--jobs`): the machine is shared.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "bench" / "out" / "mutation"
# What each run needs from the repository besides the source package (copied by mutmut).
LINKED = ["kiosk", "admin", "tests", "content"]

# name: (the module's file, the tests that guard it). Keep the tests to those of the module:
# mutmut runs, for each mutant, only the tests that executed the mutated function.
MODULES: dict[str, tuple[str, list[str]]] = {
    "conditions": ("kiosk/content/conditions.py", ["tests/content/test_conditions.py"]),
    "access": ("admin/access.py", ["tests/admin/test_admin_access.py"]),
    # test_properties (hypothesis, 300 packs) is left out: ~10 s a mutant for crash-fuzzing
    "validate": ("kiosk/content/validate.py", ["tests/content/test_rules.py",
                                                "tests/content/test_rules_edges.py"]),
    # test_rules is left out: every one of its packs runs has_statistic, ~10 s a survivor
    "figures": ("kiosk/content/figures.py", ["tests/content/test_figures.py",
                                              "tests/content/test_figures_arabic.py"]),
    "packstore": ("kiosk/content/packstore.py", ["tests/content/test_packstore.py",
                                                  "tests/content/test_bundle_checks.py",
                                                  "tests/content/test_bundles.py",
                                                  "tests/content/test_overlay_bundles.py",
                                                  "tests/content/test_pack_paths.py"]),
    "bundle": ("kiosk/content/bundle.py", ["tests/content/test_bundle_checks.py",
                                            "tests/content/test_bundles.py",
                                            "tests/content/test_overlay_bundles.py",
                                            "tests/content/test_pack_paths.py"]),
    "store": ("kiosk/record/store.py", ["tests/record/test_store.py",
                                         "tests/record/test_recorder.py"]),
    # test_crash.py left out: its 25 kills must land while events are written, which a
    # loaded machine under mutmut does not promise (its own check fails on the clean run)
    "journal": ("kiosk/record/journal.py", ["tests/record/test_journal.py"]),
    "suppress": ("admin/feedback/suppress.py", ["tests/feedback/test_feedback_suppress.py"]),
    # the one-pass timing test and the 300-example property test (13 of the 18 s a mutant
    # costs) are left out: a hang shows as a timeout anyway, and a run takes 90 min with them
    "subtitles": ("kiosk/media/subtitles.py", [
        "tests/media/test_subtitle_parsing.py", "tests/media/test_subtitles.py",
        "--deselect", "tests/media/test_subtitle_parsing.py::test_pathological_files_are_read_in_one_pass",
        "--deselect", "tests/media/test_subtitle_parsing.py::test_any_text_parses_without_raising"]),
    # the idle and staff-corner tests only: every screen test runs idle.update each frame,
    # and the two whole files took minutes a mutant
    "idle": ("kiosk/app/idle.py", [
        "tests/kiosk/test_screens.py::test_idle_reset_after_the_countdown",
        "tests/kiosk/test_screens.py::test_the_packs_own_idle_timeout_decides_not_the_default",
        "tests/kiosk/test_screens.py::test_idle_waits_while_narration_plays",
        "tests/kiosk/test_unattended.py::test_five_taps_in_the_corner_then_the_pin",
        "tests/kiosk/test_unattended.py::test_slow_corner_taps_do_not_open_the_staff_menu",
        "tests/kiosk/test_idle.py"]),
}
KILLED = {"killed", "timeout", "caught by type check"}


def _toml_list(items: list[str]) -> str:
    return "[" + ", ".join(json.dumps(i) for i in items) + "]"


def prepare(name: str) -> Path:
    """A fresh work folder for one module: the project's pytest setup plus its mutmut section."""
    source, tests = MODULES[name]
    package = source.split("/")[0]
    work = OUT / name
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    for entry in LINKED:
        if (ROOT / entry).exists():
            (work / entry).symlink_to(ROOT / entry)
    project = (ROOT / "pyproject.toml").read_text("utf-8")
    section = (
        "\n[tool.mutmut]\n"
        f'source_paths = ["{package}"]\n'
        f'only_mutate = ["{source}"]\n'
        f"pytest_add_cli_args_test_selection = {_toml_list(tests)}\n"
        'pytest_add_cli_args = ["-p", "no:cacheprovider", "-x", "-q"]\n'
        # "fork" reaps with os.wait() and stops at a child the tests left (the admin's
        # servers); the fork server waits for its own workers only
        'process_isolation = "forkserver"\n'
        f"also_copy = {_toml_list([e for e in LINKED if e not in (package, 'tests')])}\n"
    )
    (work / "pyproject.toml").write_text(project + section, "utf-8")
    return work


def results(work: Path, source: str) -> dict[str, str]:
    """Each mutant's status, from mutmut's record of the run (mutants/<file>.meta)."""
    meta = json.loads((work / "mutants" / f"{source}.meta").read_text("utf-8"))
    from mutmut.stats import status_by_exit_code

    # mutmut files exit 255 under "timeout", but it is also what the tests' runs gave when
    # test ids held YAML (newlines, braces), the tests never judging the mutant: not a kill
    return {key: "no test run (exit 255)" if code == 255 else status_by_exit_code[code]
            for key, code in meta["exit_code_by_key"].items()}


def run(name: str, jobs: int) -> dict:
    """Mutate one module and run its tests against every mutant; its score and survivors."""
    source, _tests = MODULES[name]
    work = prepare(name)
    # PYTEST_TIMEOUT (pytest-timeout): a mutant that makes a parser loop fails in a minute
    # instead of running to mutmut's own CPU limit, minutes on a busy machine
    env = {"PYTEST_TIMEOUT": "60", **os.environ, "SDL_VIDEODRIVER": "dummy",
           "SDL_AUDIODRIVER": "dummy"}
    started = time.monotonic()
    done = subprocess.run([sys.executable, "-m", "mutmut", "run", "--max-children", str(jobs)],
                          cwd=work, env=env, capture_output=True, text=True)
    seconds = time.monotonic() - started
    (work / "mutmut.log").write_text(done.stdout + done.stderr, "utf-8")
    try:
        status = results(work, source)
    except (OSError, ValueError, KeyError) as exc:
        raise SystemExit(f"{name}: mutmut gave no results ({exc}); see {work / 'mutmut.log'}") from None
    killed = sum(s in KILLED for s in status.values())
    survivors = sorted(k for k, s in status.items() if s not in KILLED)
    total = killed + len(survivors)
    return {"module": name, "file": source, "mutants": total, "killed": killed,
            "score": killed / total if total else 1.0, "seconds": round(seconds),
            "survivors": {k: status[k] for k in survivors}, "work": str(work)}


def main(argv: list[str] | None = None) -> int:
    """Run the chosen modules, print a table and the survivors; exit 0."""
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("modules", nargs="*", metavar="MODULE",
                   help=f"modules to mutate: {', '.join(MODULES)}")
    p.add_argument("--all", action="store_true", help="every module (slow)")
    p.add_argument("--list", action="store_true", help="list the modules and their tests")
    p.add_argument("--jobs", type=int, default=1, help="mutants tested at once (default 1)")
    p.add_argument("--json", type=Path, help="also write the results to this file")
    args = p.parse_args(argv)
    if args.list:
        for name, (source, tests) in MODULES.items():
            print(f"{name:11} {source:30} {' '.join(tests)}")
        return 0
    names = list(MODULES) if args.all else args.modules
    if not names:
        p.error("name a module, or --all (see --list)")
    unknown = [n for n in names if n not in MODULES]
    if unknown:
        p.error(f"no module {', '.join(unknown)} (see --list)")
    rows = [run(name, args.jobs) for name in names]
    print(f"{'module':11} {'file':30} {'mutants':>7} {'killed':>6} {'score':>6} {'time':>6}")
    for r in rows:
        print(f"{r['module']:11} {r['file']:30} {r['mutants']:7} {r['killed']:6} "
              f"{r['score']:6.0%} {r['seconds']:5}s")
    for r in rows:
        if r["survivors"]:
            print(f"\nsurvivors in {r['file']} (mutmut show NAME, in {r['work']}):")
            for key, status in r["survivors"].items():
                print(f"  {key}  [{status}]")
    if args.json:
        args.json.write_text(json.dumps(rows, indent=2), "utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
