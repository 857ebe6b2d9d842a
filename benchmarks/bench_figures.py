"""What writing a run's figures costs: save_figure's PNG + SVG against the plain savefig calls it replaces.

Two steps, so that both are timed on the very figures a run draws:

    # 1. run the code cells of executed notebooks in this process and keep every figure save_figure writes,
    #    pickled as it is at the call (REWRITE: a path in the notebooks' parameters and what to use instead)
    python benchmarks/bench_figures.py capture RUN/notebooks/03-*.ipynb ... --into /tmp/figs \\
        --rewrite /old/run=/tmp/scratch-run
    # 2. write each figure with save_figure's writer and with the plain savefig calls, alternating, in CPU seconds;
    #    the files are compared too (PNG pixels, SVG elements)
    python benchmarks/bench_figures.py time /tmp/figs --rounds 3

Step 1 needs what the notebooks need (their articles, NEWSKIT_CACHE); figures are drawn in the house style.
"""

from __future__ import annotations

import argparse
import json
import os
import pickle
import re
import tempfile
import time
from pathlib import Path


def capture(notebooks: list[Path], into: Path, rewrites: list[str]) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from helpers.runs import outputs

    into.mkdir(parents=True, exist_ok=True)
    write = outputs._write_figure

    def keeping(fig, paths, dpi):
        with open(into / f"{paths[0].stem}.pkl", "wb") as file:
            pickle.dump((fig, dpi), file)
        return write(fig, paths, dpi)

    outputs._write_figure = keeping
    pairs = [rewrite.split("=", 1) for rewrite in rewrites]
    for notebook in notebooks:
        cells = json.loads(notebook.read_text())["cells"]
        namespace = {"display": lambda *args, **kwargs: None, "__name__": "__main__"}
        for cell in (c for c in cells if c["cell_type"] == "code"):
            source = "\n".join(line for line in "".join(cell["source"]).splitlines() if not line.startswith("%"))
            for old, new in pairs:
                source = source.replace(old, new)
            exec(compile(source, notebook.name, "exec"), namespace)  # noqa: S102  (the user's own notebooks)
            plt.close("all")
        print(f"{notebook.name}: {len(list(into.glob('*.pkl')))} figures kept so far")


def plain_savefig(fig, paths, dpi):
    """What save_figure wrote with before: savefig's own tight box for each file."""
    fig.savefig(paths[0], dpi=dpi, bbox_inches="tight", metadata={"Software": None})
    engine = fig.get_layout_engine()
    if engine is not None:
        fig.set_layout_engine("none")
    fig.savefig(paths[1], bbox_inches="tight", metadata={"Date": None})
    if engine is not None:
        fig.set_layout_engine(engine)


def canonical_svg(text: str) -> str:
    """ids renamed in order of first use (matplotlib salts them at random unless rcParams["svg.hashsalt"] is set)."""
    names: dict[str, str] = {}
    return re.sub(r'(?<=id=")[^"]+|(?<=#)[a-z][0-9a-f]{10}\b',
                  lambda found: names.setdefault(found.group(0), f"id{len(names)}"), text)


def time_figures(folder: Path, rounds: int) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.image
    import matplotlib.pyplot as plt
    import numpy as np

    from helpers.charts.style import use_style
    from helpers.runs import outputs

    use_style()
    print(f"load average (1, 5, 15 min) at the start: {os.getloadavg()}")
    writers = {"plain": plain_savefig, "kit": outputs._write_figure}
    scratch = Path(tempfile.mkdtemp())
    totals = dict.fromkeys(writers, 0.0)
    marks = {"plain": 0.0, "kit": 0.0}
    differ = []
    for kept in sorted(folder.glob("*.pkl")):
        seconds: dict[str, list[float]] = {name: [] for name in writers}
        for round_ in range(rounds):
            for name in (list(writers) if round_ % 2 == 0 else list(writers)[::-1]):
                fig, dpi = pickle.loads(kept.read_bytes())
                paths = [scratch / f"{name}.png", scratch / f"{name}.svg"]
                start = time.process_time()
                writers[name](fig, paths, dpi)
                seconds[name].append(time.process_time() - start)
                plt.close(fig)
        png = [matplotlib.image.imread(scratch / f"{name}.png") for name in writers]
        svg = [canonical_svg((scratch / f"{name}.svg").read_text()) for name in writers]
        if png[0].shape != png[1].shape or not np.array_equal(*png) or svg[0] != svg[1]:
            differ.append(kept.stem)
        fig, _ = pickle.loads(kept.read_bytes())
        start = time.process_time()
        outputs.drawn_marks(fig)
        marks["kit"] += time.process_time() - start
        plt.close(fig)
        medians = {name: float(np.median(values)) for name, values in seconds.items()}
        for name, value in medians.items():
            totals[name] += value
        print(f"{kept.stem:32s} plain {medians['plain']:.3f} s  kit {medians['kit']:.3f} s")
    print(f"{len(list(folder.glob('*.pkl')))} figures, median of {rounds} alternating rounds, CPU s: "
          f"plain savefig {totals['plain']:.2f}, save_figure's writer {totals['kit']:.2f} "
          f"({totals['kit'] / totals['plain']:.2f}x), saved {totals['plain'] - totals['kit']:.2f} s; "
          f"drawn_marks {marks['kit']:.2f} s in all")
    print("files differ: " + (", ".join(differ) if differ else "none (PNG pixels, SVG elements)"))
    print(f"load average (1, 5, 15 min) at the end: {os.getloadavg()}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    steps = parser.add_subparsers(dest="step", required=True)
    keep = steps.add_parser("capture")
    keep.add_argument("notebooks", nargs="+", type=Path)
    keep.add_argument("--into", type=Path, required=True)
    keep.add_argument("--rewrite", action="append", default=[], metavar="OLD=NEW")
    timing = steps.add_parser("time")
    timing.add_argument("folder", type=Path)
    timing.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    if args.step == "capture":
        capture(args.notebooks, args.into, args.rewrite)
    else:
        time_figures(args.folder, args.rounds)


if __name__ == "__main__":
    main()
