"""Print how long `omie-push --help` takes (the foundation issue asks for under 0.5 s).

Run: .venv/bin/python benchmarks/cli_startup.py
"""
from __future__ import annotations

import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path


def main(runs: int = 10) -> None:
    exe = shutil.which("omie-push") or str(Path(sys.executable).with_name("omie-push"))
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run([exe, "--help"], capture_output=True, check=True)
        times.append(time.perf_counter() - start)
    print(f"omie-push --help: median {statistics.median(times):.3f} s, "
          f"max {max(times):.3f} s over {runs} runs")


if __name__ == "__main__":
    main()
