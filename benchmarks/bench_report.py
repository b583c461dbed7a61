"""`make bench`: run every benchmark of issue 16 one after another (never two at once: they
would share the two cores) and rewrite the generated part of docs/benchmarks.md, between
`<!-- bench:begin -->` and `<!-- bench:end -->`; the hand-written sections stay as they are.

Each step is a child process whose last line is `RESULT {json}`; a step that fails is written
as failed (with the end of its error) and the command exits 1 after writing the rest.

    .venv/bin/python benchmarks/bench_report.py            # full sizes (the lead's run)
    BENCH_QUICK=1 .venv/bin/python benchmarks/bench_report.py   # small sizes, to prove it works

Environment (each optional): BENCH_SIZES (e.g. 10000,100000,1000000), BENCH_UNCHANGED_ROWS,
BENCH_TRAFFIC_SECONDS, BENCH_SCALED_SECONDS, BENCH_NAIVE_ROWS, BENCH_NAIVE_SECONDS,
BENCH_DOC (the file to write).
"""
from __future__ import annotations

import json
import os
import shlex
import subprocess
import sys
import time
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
import bench_tables as tables  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
BEGIN, END = "<!-- bench:begin -->", "<!-- bench:end -->"
# The real-limits run lasts at least two minutes (issue 16); the scaled one and the naive loop's
# bound are shorter: the naive loop is blocked (425, for 30 minutes) within seconds.
FULL = {"BENCH_SIZES": "10000,100000,1000000", "BENCH_UNCHANGED_ROWS": "100000",
        "BENCH_TRAFFIC_SECONDS": "125", "BENCH_SCALED_SECONDS": "65", "BENCH_NAIVE_ROWS": "250",
        "BENCH_NAIVE_SECONDS": "60"}
QUICK = {"BENCH_SIZES": "10000", "BENCH_UNCHANGED_ROWS": "10000", "BENCH_TRAFFIC_SECONDS": "30",
         "BENCH_SCALED_SECONDS": "30", "BENCH_NAIVE_ROWS": "250", "BENCH_NAIVE_SECONDS": "30"}


@dataclass
class Step:
    name: str
    args: list[str]
    result: dict | None = None
    error: str | None = None
    seconds: float = 0.0
    output: list[str] = field(default_factory=list)

    @property
    def command(self) -> str:
        return ".venv/bin/python " + " ".join(shlex.quote(a) for a in self.args)


def settings() -> dict[str, str]:
    base = QUICK if os.environ.get("BENCH_QUICK") or "--quick" in sys.argv else FULL
    return {k: os.environ.get(k, v) for k, v in base.items()}


def steps(cfg: dict[str, str]) -> list[Step]:
    s = cfg
    out = [Step("views", ["benchmarks/bench_views.py", "--sizes", s["BENCH_SIZES"]]),
           Step("unchanged", ["benchmarks/bench_unchanged.py", "--rows", s["BENCH_UNCHANGED_ROWS"]]),
           Step("traffic_real", ["benchmarks/traffic_speed.py", "--only", "one", "--scale", "1",
                                 "--latency-ms", "5-15", "--seconds", s["BENCH_TRAFFIC_SECONDS"]]),
           Step("traffic_scaled", ["benchmarks/traffic_speed.py", "--only", "parallel",
                                   "--parallel-scale", "5", "--latency-ms", "5-15",
                                   "--seconds", s["BENCH_SCALED_SECONDS"]]),
           Step("naive", ["benchmarks/bench_naive.py", "--rows", s["BENCH_NAIVE_ROWS"],
                          "--seconds", s["BENCH_NAIVE_SECONDS"]])]
    if (ROOT / "benchmarks" / "call_cpu.py").exists():
        out.append(Step("call_cpu", ["benchmarks/call_cpu.py", "--rows", "2000"]))
    return out


def run(step: Step) -> None:
    """Run one step, its output shown as it comes; keep its RESULT."""
    print(f"\n### {step.command}", flush=True)
    started = time.monotonic()
    child = subprocess.Popen([sys.executable, *step.args], cwd=ROOT, stdout=subprocess.PIPE,
                             stderr=subprocess.STDOUT, text=True, bufsize=1)
    for line in child.stdout:
        step.output.append(line.rstrip("\n"))
        print(line, end="", flush=True)
    code = child.wait()
    step.seconds = time.monotonic() - started
    last = [line for line in step.output if line.startswith("RESULT ")]
    if code == 0 and last:
        step.result = json.loads(last[-1].removeprefix("RESULT "))
    else:
        tail = "\n".join(line for line in step.output[-15:] if not line.startswith("RESULT "))
        step.error = f"exit {code}: {tail}"


def machine() -> dict[str, str]:
    """What the figures were measured on."""
    from importlib import metadata

    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), "unknown")
    mem = next((int(line.split()[1]) for line in Path("/proc/meminfo").read_text().splitlines()
                if line.startswith("MemTotal")), 0)
    versions = []
    for name in ("omie-push", "polars", "duckdb", "pyarrow", "pandas", "great_expectations", "httpx"):
        try:
            versions.append(f"{name} {metadata.version(name)}")
        except metadata.PackageNotFoundError:
            versions.append(f"{name} (not installed)")
    git = lambda *a: subprocess.run(["git", *a], cwd=ROOT, capture_output=True, text=True).stdout.strip()
    commit = (git("rev-parse", "--short", "HEAD") or "unknown") + \
        (" (with uncommitted changes)" if git("status", "--porcelain", "--untracked-files=no", "--", ".",
                                               ":!docs/benchmarks.md") else "")
    return {"cpus": str(os.cpu_count()), "cpu": cpu, "ram": f"{mem / 1024 / 1024:.1f} GiB",
            "python": sys.version.split()[0], "versions": ", ".join(versions), "commit": commit,
            "load": " / ".join(f"{x:.2f}" for x in os.getloadavg())}


def write(doc: Path, section: str) -> None:
    """Replace what lies between the markers (or append the markers and the section)."""
    text = doc.read_text() if doc.exists() else "# Benchmarks\n"
    block = f"{BEGIN}\n{section.rstrip()}\n{END}"
    if BEGIN in text and END in text:
        head, rest = text.split(BEGIN, 1)
        text = head + block + rest.split(END, 1)[1]
    else:
        text = text.rstrip() + "\n\n" + block + "\n"
    doc.write_text(text)


def main() -> int:
    cfg = settings()
    started, when = time.monotonic(), datetime.now(timezone.utc)
    before = machine()
    done = steps(cfg)
    for step in done:
        run(step)
    total = time.monotonic() - started
    after_load = " / ".join(f"{x:.2f}" for x in os.getloadavg())
    section = tables.render(done, cfg, before, after_load, when, total,
                            quick=cfg["BENCH_SIZES"] != FULL["BENCH_SIZES"])
    doc = Path(os.environ.get("BENCH_DOC", ROOT / "docs" / "benchmarks.md"))
    write(doc, section)
    print(f"\nmake bench: {total:.0f} s in all; wrote {doc}")
    return 1 if any(s.error for s in done) else 0


if __name__ == "__main__":
    sys.exit(main())
