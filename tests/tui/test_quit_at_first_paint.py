"""An app that ends at its first paint (as the benchmark's does, or a user quitting at once)
ends cleanly: the widgets mounted after the first paint are not mounted on a screen taken down."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

BENCH = Path(__file__).parents[1] / "perf" / "bench_tui.py"
ROOT = Path(__file__).parents[2]


def test_quitting_at_the_first_paint_raises_nothing(tmp_path: Path) -> None:
    board = tmp_path / "b.json"
    build = f"import sys; sys.path.insert(0, {str(BENCH.parent)!r}); import bench_tui; bench_tui.build_board({str(board)!r}, 2, 5, 20)"
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    subprocess.run([sys.executable, "-c", build], check=True, env=env, timeout=120)
    out = subprocess.run(
        [sys.executable, str(BENCH), "--child", "kamboard", "--file", str(board)],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert out.returncode == 0, out.stderr
    assert "first_paint_ms" in out.stdout
    assert "Error" not in out.stderr and "Traceback" not in out.stderr, out.stderr[-2000:]
