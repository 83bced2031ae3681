"""facsimile against Typst, WeasyPrint and pdflatex: medians of alternated rounds.

    python bench/run.py                       # 5 rounds, every engine that is installed
    python bench/run.py --quick               # under a minute: up to 3 rounds, ~50 pages
    python bench/run.py --engines facsimile,typst --markdown /tmp/bench.md

Each round measures every (measure, engine) pair once, the engines of a measure in turn and
the turn rotated from round to round, so that noise on the machine falls on all of them
alike; the table gives the median of the rounds. bench/README.md says what each measure is.
Everything is written into a temporary folder: never into source/ or out/.
"""

from __future__ import annotations

import argparse
import importlib.metadata
import json
import os
import platform
import re
import select
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import traceback
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from bench import synthetic  # noqa: E402  (stdlib only: the peers' Python can import it too)

LOOKS = ("clean", "typescript", "cyclostyle")
PEERS = ("typst", "weasyprint", "pdflatex")
ALL_ENGINES = ("facsimile",) + PEERS
WARM_PEERS = ("typst", "weasyprint")  # pdflatex has no in-process compile
EDIT_FILE = "letter.txt"  # the part whose word changes
EDIT_PATTERN = r"proletarian political [a-z]+"  # once in letter.txt and in the peers' inputs
EDIT_FIRST = "organization"
QUICK_BUDGET = 50.0  # seconds: --quick starts no round that would end after this
DEFAULT_PEERS_PYTHON = Path("/tmp/benchvenv/bin/python")

# A fresh parent per cold measurement: it runs the command, times it, and reports its
# children's peak resident set (ru_maxrss of RUSAGE_CHILDREN, KiB on Linux: the largest single
# process, not a sum over processes) and CPU time (summed over every process waited for).
# With sample=1 it also samples, every 50 ms, the proportional set size (Pss) of the whole
# process tree from /proc: the memory of a command that forks workers, added up.
MEASURE_CHILD = r"""
import json, os, resource, signal, subprocess, sys, tempfile, threading, time
argv, cwd, timeout, sample = json.loads(sys.argv[1]), sys.argv[2], float(sys.argv[3]), sys.argv[4] == "1"

def tree_pss(root):
    children = {}
    for name in os.listdir("/proc"):
        if name.isdigit():
            try:
                with open(f"/proc/{name}/stat", "rb") as f:
                    ppid = int(f.read().rsplit(b")", 1)[1].split()[1])
            except (OSError, ValueError, IndexError):
                continue
            children.setdefault(ppid, []).append(int(name))
    total, stack, found = 0, [root], False
    while stack:
        pid = stack.pop()
        try:
            with open(f"/proc/{pid}/smaps_rollup", "rb") as f:
                for line in f:
                    if line.startswith(b"Pss:"):
                        total += int(line.split()[1])
                        found = True
                        break
        except OSError:
            pass
        stack.extend(children.get(pid, ()))
    return total if found else None

errors = tempfile.TemporaryFile()
tree = [None]
stop = threading.Event()

def sampler():
    while True:
        pss = tree_pss(proc.pid)
        if pss is not None:
            tree[0] = max(tree[0] or 0, pss)
        if stop.wait(0.05):
            return

started = time.perf_counter()
proc = subprocess.Popen(argv, cwd=cwd, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                        stderr=errors, start_new_session=True)
thread = threading.Thread(target=sampler, daemon=True)
if sample:
    thread.start()
expired = []

def expire():
    expired.append(True)
    os.killpg(proc.pid, signal.SIGKILL)

timer = threading.Timer(timeout, expire)  # (wait(timeout=...) polls, late by up to 50 ms)
timer.start()
rc = proc.wait()  # a blocking waitpid: returns as the child ends
seconds = time.perf_counter() - started
timer.cancel()
if expired:
    rc = "timeout"
stop.set()
if sample:
    thread.join()
errors.seek(0)
err = errors.read()
usage = resource.getrusage(resource.RUSAGE_CHILDREN)
print(json.dumps({"rc": rc, "seconds": seconds, "maxrss_kib": usage.ru_maxrss,
                  "cpu": usage.ru_utime + usage.ru_stime, "tree_pss_kib": tree[0],
                  "stderr": err[-3000:].decode("utf-8", "replace")}))
"""


# Whether each package's modules are byte-compiled (a fresh .pyc beside each .py), in the
# Python given: an interpreter that finds none compiles the modules again in every process,
# as it does under PYTHONDONTWRITEBYTECODE=1 once the caches are gone.
BYTECODE_CHECK = r"""
import importlib.util, json, os, sys
out = {}
for name in sys.argv[1:]:
    try:
        spec = importlib.util.find_spec(name)
    except Exception:
        spec = None
    folders = list(getattr(spec, "submodule_search_locations", None) or [])
    sources = [os.path.join(d, f) for folder in folders for d, _, fs in os.walk(folder)
               for f in fs if f.endswith(".py")] if folders else [getattr(spec, "origin", None) or ""]
    sources = [p for p in sources if p.endswith(".py")]
    fresh = 0
    for path in sources:
        try:
            pyc = importlib.util.cache_from_source(path)
            fresh += os.path.getmtime(pyc) >= os.path.getmtime(path)
        except (OSError, ValueError, NotImplementedError):
            pass
    out[name] = [fresh, len(sources)]
print(json.dumps({"dont_write": bool(sys.flags.dont_write_bytecode), "prefix": sys.pycache_prefix,
                  "packages": out}))
"""


def bytecode_state(python: str, packages: list[str]) -> str:
    """'facsimile 52/52 modules compiled, click ...' as the given Python finds them now."""
    try:
        done = subprocess.run([python, "-c", BYTECODE_CHECK, *packages], capture_output=True, text=True,
                              timeout=60, cwd=tempfile.gettempdir())
        state = json.loads(done.stdout)
    except Exception as exc:  # noqa: BLE001
        return f"bytecode: not known ({short(exc)})"
    parts = [f"{name} {fresh}/{total}" for name, (fresh, total) in state["packages"].items() if total]
    flag = "PYTHONDONTWRITEBYTECODE set" if state["dont_write"] else "bytecode written on import"
    return f"{', '.join(parts)} modules byte-compiled ({flag})"


def compile_facsimile(python: str) -> str:
    """Byte-compile facsimile's modules, as pip does when it installs a wheel (an editable
    install under PYTHONDONTWRITEBYTECODE=1 would otherwise compile them in every process)."""
    done = subprocess.run([python, "-c", "import compileall, facsimile, os, sys; "
                           "sys.exit(not compileall.compile_dir(os.path.dirname(facsimile.__file__), quiet=1))"],
                          capture_output=True, text=True, timeout=300, cwd=tempfile.gettempdir())
    return "" if done.returncode == 0 else f"compileall failed: {short(done.stderr)}"


# ---------------------------------------------------------------------------------------------
# The worker: one long-lived process that builds (or compiles) again and again


def worker_main() -> None:
    """Answer JSON requests, one a line on stdin, with one JSON line each on stdout."""
    proto = os.fdopen(os.dup(1), "w", buffering=1, encoding="utf-8")
    os.dup2(2, 1)  # anything an engine prints goes to the log, not into the answers
    sys.stdout = sys.stderr
    for line in sys.stdin:
        try:
            request = json.loads(line)
            answer = {"ok": True, **_handle(request)}
        except BaseException as exc:  # noqa: BLE001 - reported to the parent
            answer = {"ok": False, "error": f"{type(exc).__name__}: {exc}",
                      "trace": traceback.format_exc()[-2000:]}
        proto.write(json.dumps(answer) + "\n")


def code_digest() -> str:
    """A digest of facsimile's modules as they are on disk now (the part cache's keys cover
    them: a change of code between two builds makes the second draw everything)."""
    import hashlib

    import facsimile

    h = hashlib.sha256()
    root = Path(facsimile.__file__).resolve().parent
    for path in sorted(root.rglob("*.py")):
        h.update(path.relative_to(root).as_posix().encode() + b"\0" + path.read_bytes())
    return h.hexdigest()[:16]


def _set_word(path: Path, word: str) -> None:
    """Put ``word`` in place of the last word of EDIT_PATTERN's one match in the file."""
    text = path.read_text(encoding="utf-8")
    found = re.findall(EDIT_PATTERN, text)
    if len(found) != 1:
        raise RuntimeError(f"{path.name}: {EDIT_PATTERN!r} found {len(found)} times, not once")
    path.write_text(re.sub(EDIT_PATTERN, "proletarian political " + word, text), encoding="utf-8")


_WATCHING: list = []  # what to call after each in-process build, as the watch does after each rebuild


def _handle(req: dict) -> dict:
    op = req["op"]
    if op == "ping":
        return {"python": sys.version.split()[0]}
    if op in ("fac_build", "fac_edit"):
        from facsimile.build import build_document

        folder, out = Path(req["folder"]), Path(req["out"])
        if op == "fac_edit":
            _set_word(folder / req["file"], req["word"])
        if not _WATCHING:  # builds in one process: only a watch makes them, so set up as it sets up its own
            from facsimile.buildcmd import long_lived

            _WATCHING.append(long_lived())
        code = code_digest()
        started = time.perf_counter()
        report = build_document(folder, out, {"look": req["look"]}, use_cache=req["use_cache"])
        seconds = time.perf_counter() - started
        _WATCHING[0]()  # as the watch does once the PDF is in place, outside the time of the rebuild
        return {"seconds": seconds, "pages": report.pages, "size": report.size,
                "unchanged": report.unchanged,
                "redrawn": [p.id for p in report.parts if not p.cached],
                "parts": len(report.parts), "code": code}
    if op in ("peer_compile", "peer_edit"):
        from bench import peers

        workdir = Path(req["workdir"])
        if op == "peer_edit":
            _set_word(workdir / req["file"], req["word"])
        started = time.perf_counter()
        peers.compile_in_process(req["engine"], workdir)
        return {"seconds": time.perf_counter() - started}
    raise ValueError(f"unknown request {op!r}")


class WorkerError(RuntimeError):
    pass


class Worker:
    """The parent's end of a worker process (started again if it died)."""

    def __init__(self, python: str, name: str, logdir: Path, env: dict[str, str]) -> None:
        self.python, self.name, self.env = python, name, env
        self.log = logdir / f"worker-{name}.log"
        self.proc: subprocess.Popen | None = None

    def start(self) -> None:
        log = open(self.log, "ab")
        self.proc = subprocess.Popen(
            [self.python, str(Path(__file__).resolve()), "--worker"], stdin=subprocess.PIPE,
            stdout=subprocess.PIPE, stderr=log, text=True, encoding="utf-8", bufsize=1,
            cwd=self.log.parent, env=self.env)
        log.close()

    def request(self, timeout: float = 900.0, **req: object) -> dict:
        if self.proc is None or self.proc.poll() is not None:
            self.start()
        assert self.proc and self.proc.stdin and self.proc.stdout
        try:
            self.proc.stdin.write(json.dumps(req) + "\n")
            self.proc.stdin.flush()
        except (BrokenPipeError, OSError) as exc:
            raise WorkerError(f"{self.name} worker: {exc}; {self._tail()}") from None
        ready, _, _ = select.select([self.proc.stdout], [], [], timeout)
        if not ready:
            self.stop()
            raise WorkerError(f"{self.name} worker: no answer in {timeout:.0f} s")
        line = self.proc.stdout.readline()
        if not line:
            rc = self.proc.wait()
            raise WorkerError(f"{self.name} worker exited ({rc}); {self._tail()}")
        answer = json.loads(line)
        if not answer.get("ok"):
            raise WorkerError(answer.get("error", "failed"))
        return answer

    def _tail(self) -> str:
        try:
            return self.log.read_text(errors="replace")[-600:].strip()
        except OSError:
            return ""

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            try:
                self.proc.stdin.close()  # type: ignore[union-attr]
                self.proc.wait(timeout=10)
            except Exception:  # noqa: BLE001
                self.proc.kill()
                self.proc.wait()
        self.proc = None


# ---------------------------------------------------------------------------------------------
# Measurements


@dataclass
class Cell:
    """The samples of one (measure, engine) pair."""

    samples: list[dict] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)

    def median(self, name: str = "seconds") -> float | None:
        values = [s[name] for s in self.samples if s.get(name) is not None]
        return statistics.median(values) if values else None


MEASURES = ("cold", "warm", "edit", "undo", "unchanged", "coldedit", "big")

# The targets of issue 15, each a ratio of facsimile's value to Typst's in the same run:
# (measure, look, row kind, Typst's measure, goal, "max" or "min", what it says).
TARGETS = [
    *[("cold", look, "ms", "cold", 2.5, "max", f"cold build, Document 4, {look}") for look in LOOKS],
    *[("unchanged", look, "ms", "cold", 1.0, "max", f"nothing changed, cold process, {look}") for look in LOOKS],
    *[("coldedit", look, "ms", "cold", 1.5, "max", f"one-word change, cold process, {look}") for look in LOOKS],
    *[("edit", look, "ms", "cold", 1.0, "max", f"one-word change under watch (the rebuild), {look}")
      for look in LOOKS],
    ("big", "clean", "pps", "big", 0.4, "min", "N pages: pages/s, clean"),
    ("big", "cyclostyle", "pps", "big", 0.25, "min", "N pages: pages/s, cyclostyle"),
    *[("big", look, "mib", "big", 1.0, "below", f"N pages: peak memory, {look}") for look in LOOKS],
]


def applies(measure: str, key: str) -> bool:
    if measure in ("warm", "edit", "undo"):
        return key.startswith("facsimile:") or key in WARM_PEERS
    return True


def short(text: str, limit: int = 160) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[: limit - 3] + "..."


class Bench:
    def __init__(self, args: argparse.Namespace, tmp: Path) -> None:
        self.args, self.tmp = args, tmp
        self.quick = args.quick
        self.target_pages = 50 if args.quick else 500
        self.env = dict(os.environ, PEERS_PYTHON=args.peers_python)
        self.cells: dict[tuple[str, str], Cell] = {}
        self.notes: list[str] = []
        self.unavailable: dict[str, str] = {}
        self.peer_workers: dict[str, Worker] = {}
        self.peer_argv: dict[tuple[str, str], list[str]] = {}
        self.peer_dirs: dict[tuple[str, str], Path] = {}
        self.words: dict[str, list[str]] = {}  # the spellings each engine's edit input has had
        self.undo_to: dict[str, str] = {}  # the spelling the undo of this round sets
        self.last_edit: dict[str, str] = {}  # the new spelling of the last edit
        self.code: dict[str, str | None] = {}  # facsimile's code digest at the last edit build
        self.pages: dict[str, int] = {}
        self.rounds_done = 0
        self.engines = self._engines(args.engines)
        self.keys = [f"facsimile:{look}" for look in LOOKS] + [e for e in self.engines if e != "facsimile"]

    # -- set-up ---------------------------------------------------------------------------

    def _engines(self, spec: str | None) -> list[str]:
        wanted = [e.strip() for e in spec.split(",") if e.strip()] if spec else list(ALL_ENGINES)
        unknown = [e for e in wanted if e not in ALL_ENGINES]
        if unknown:
            raise SystemExit(f"run.py: unknown engine(s) {', '.join(unknown)}; "
                             f"choose among {', '.join(ALL_ENGINES)}")
        engines = ["facsimile"]
        peers_wanted = [e for e in PEERS if e in wanted]
        if peers_wanted:
            os.environ["PEERS_PYTHON"] = self.args.peers_python  # read by bench.peers on import
            try:
                from bench import peers
                for engine in peers_wanted:
                    if peers.available(engine):
                        engines.append(engine)
                    else:
                        self.unavailable[engine] = "not installed"
            except Exception as exc:  # noqa: BLE001
                for engine in peers_wanted:
                    self.unavailable[engine] = f"bench.peers failed: {short(exc)}"
        if spec:  # asked for by name: show the column even if it is missing here
            return engines + [e for e in peers_wanted if e in self.unavailable]
        return engines

    def setup(self) -> None:
        tmp = self.tmp
        self.doc4 = tmp / "doc4" / synthetic.DOC4.name
        shutil.copytree(synthetic.DOC4, self.doc4)
        self.edit_docs = {}
        for look in LOOKS:
            folder = tmp / f"edit-{look}" / synthetic.DOC4.name
            shutil.copytree(synthetic.DOC4, folder)
            self.edit_docs[look] = folder
        self.coldedit_docs = {}
        for look in LOOKS:
            folder = tmp / f"coldedit-{look}" / synthetic.DOC4.name
            shutil.copytree(synthetic.DOC4, folder)
            self.coldedit_docs[look] = folder
        # The word that changes, one spelling a round, each new: the part cache keeps the
        # latest versions of a part, so a spelling seen before would not be a change to draw.
        seen: list[str] = []
        for word in synthetic.document_words(synthetic.DOC4):
            word = word.strip(".,;:!?()'\u2018\u2019\"")
            if re.fullmatch(r"[a-z]{5,}", word) and word != EDIT_FIRST and word not in seen:
                seen.append(word)
        self.pool = seen
        if not self.args.no_compile:
            failed = compile_facsimile(sys.executable)
            if failed:
                self.notes.append(f"set-up: {failed}")
        self.fac = Worker(sys.executable, "facsimile", tmp, self.env)
        self.fac.request(op="ping", timeout=120)
        # The synthetic document: copies of the three text parts, as many as make ~N pages.
        probe = synthetic.write_copies(tmp / "probe" / "probe", 1)
        try:
            per_copy = self.fac.request(op="fac_build", folder=str(probe), out=str(tmp / "probe-out"),
                                        look="clean", use_cache=False)["pages"]
        except WorkerError as exc:
            per_copy = 4  # Document 4's three text parts, as of November 2026
            self.notes.append(f"set-up: the probe build failed ({short(exc)}); assumed 4 pages a copy")
        self.copies = max(1, round(self.target_pages / max(1, per_copy)))
        self.big_pages = self.copies * per_copy
        self.big = synthetic.write_copies(tmp / "big" / f"synthetic-{self.copies}-copies", self.copies)
        self.big_words = sum(len(p.split()) for p in synthetic.document_paragraphs(self.big, False))
        self.notes.append(f"synthetic document: {self.copies} copies of Document 4's three text "
                          f"parts ({3 * self.copies} parts, {self.big_words:,} words; "
                          f"{per_copy} pages a copy with the clean look)")
        # Warm-ups, not timed: byte-compiled modules, the page cache, the workers' imports.
        # (A failure here shows again in the rounds, where it is reported.)
        for look in LOOKS:
            self.words[f"facsimile:{look}"] = [EDIT_FIRST]
            for folder, out, cache in ((self.doc4, f"warm-{look}", False),
                                       (self.edit_docs[look], f"edit-out-{look}", True)):
                try:
                    self.fac.request(op="fac_build", folder=str(folder), out=str(tmp / out),
                                     look=look, use_cache=cache)
                except WorkerError:
                    pass
        try:
            self.cold_run(self.fac_argv(self.doc4, tmp / "warmup-out", "clean", cache=False), timeout=300)
        except RuntimeError:
            pass
        for engine in self.engines:
            if engine == "facsimile" or engine in self.unavailable:
                continue
            try:
                self._setup_peer(engine)
            except Exception as exc:  # noqa: BLE001
                self.unavailable[engine] = f"failed in set-up: {short(exc)}"

    def _setup_peer(self, engine: str) -> None:
        from bench import peers

        font = synthetic.font_file()
        inputs = {"doc4": synthetic.document_paragraphs(self.doc4),
                  "big": synthetic.document_paragraphs(self.big, corrections=False)}
        if engine in WARM_PEERS:
            inputs["edit"] = inputs["doc4"]
        for name, paragraphs in inputs.items():
            workdir = self.tmp / f"peer-{engine}-{name}"
            self.peer_argv[(engine, name)] = peers.prepare(engine, paragraphs, font, workdir)
            self.peer_dirs[(engine, name)] = workdir
        self.cold_peer(engine, "doc4", timeout=300)  # warm-up, and a check that it works
        if engine in WARM_PEERS:
            worker = Worker(self.args.peers_python, engine, self.tmp, self.env)
            self.peer_workers[engine] = worker
            worker.request(op="peer_compile", engine=engine, workdir=str(self.peer_dirs[(engine, "doc4")]),
                           timeout=300)
            worker.request(op="peer_compile", engine=engine, workdir=str(self.peer_dirs[(engine, "edit")]),
                           timeout=300)
            self.words[engine] = [EDIT_FIRST]

    # -- running --------------------------------------------------------------------------

    def fac_argv(self, folder: Path, out: Path, look: str, cache: bool) -> list[str]:
        argv = [sys.executable, "-m", "facsimile", "build", str(folder), "-o", str(out),
                "--look", look, "-q"]
        return argv + ([] if cache else ["--no-cache"])

    def cold_run(self, argv: list[str], timeout: float, sample: bool = False) -> dict:
        """Run argv as a child of a fresh parent; its wall time, CPU time and peak memory."""
        done = subprocess.run([sys.executable, "-I", "-c", MEASURE_CHILD, json.dumps(argv),
                               str(self.tmp), str(timeout), "1" if sample else "0"],
                              capture_output=True, text=True,
                              env=self.env, timeout=timeout + 60)
        if done.returncode != 0:
            raise RuntimeError(f"measuring parent failed: {short(done.stderr)}")
        result = json.loads(done.stdout)
        if result["rc"] != 0:
            raise RuntimeError(f"exit {result['rc']}: {short(result['stderr'][-400:])}")
        return result

    def cold_peer(self, engine: str, name: str, timeout: float, sample: bool = False) -> dict:
        out = self.peer_dirs[(engine, name)] / "out.pdf"
        out.unlink(missing_ok=True)
        result = self.cold_run(self.peer_argv[(engine, name)], timeout, sample)
        if not out.is_file():
            raise RuntimeError(f"{engine} wrote no PDF: {short(result['stderr'][-400:])}")
        result["size"] = out.stat().st_size
        result["pdf"] = str(out)
        return result

    def measure(self, measure: str, key: str, round_no: int) -> dict:
        engine, _, look = key.partition(":")
        tmp = self.tmp
        if engine in self.unavailable:
            raise RuntimeError(self.unavailable[engine])
        if measure == "cold":
            if look:
                return self.cold_run(self.fac_argv(self.doc4, tmp / f"cold-{look}", look, False), 300)
            return self.cold_peer(engine, "doc4", 300)
        if measure == "warm":
            if look:
                return self.fac.request(op="fac_build", folder=str(self.doc4), out=str(tmp / f"warm-{look}"),
                                        look=look, use_cache=False)
            return self.peer_workers[engine].request(op="peer_compile", engine=engine,
                                                     workdir=str(self.peer_dirs[(engine, "doc4")]))
        if measure in ("edit", "undo"):
            spellings = self.words[key]  # the spellings set so far, the current one last
            if measure == "edit":  # a spelling this folder has never had: the part is drawn
                word = self.pool[round_no % len(self.pool)]
            else:  # back to the spelling of the last round's edit: its part is still cached
                word = self.undo_to.pop(key, None)
                if word is None:
                    raise RuntimeError("no edit to undo in this round")
            if look:
                if measure == "edit":  # as under --watch, the last save was built: the cache is warm
                    primed = self.fac.request(op="fac_build", folder=str(self.edit_docs[look]),
                                              out=str(tmp / f"edit-out-{look}"), look=look, use_cache=True)
                    self.code[key] = primed.get("code")
                answer = self.fac.request(op="fac_edit", folder=str(self.edit_docs[look]), file=EDIT_FILE,
                                          word=word, out=str(tmp / f"edit-out-{look}"), look=look,
                                          use_cache=True)
                if self.code.get(key) not in (None, answer.get("code")):
                    answer["code_changed"] = True  # the code changed since the folder's last build
                self.code[key] = answer.get("code")
            else:
                answer = self.peer_workers[engine].request(
                    op="peer_edit", engine=engine, workdir=str(self.peer_dirs[(engine, "edit")]),
                    file="in.typ" if engine == "typst" else "in.html", word=word)
            if measure == "edit":
                # Not back to the spelling before this edit: that one has been the same since
                # the first round, and a part taken from the cache is not kept longer for it
                # (facsimile/cache.py keeps the latest KEEP_VERSIONS drawn), so after a few
                # rounds it would be drawn again. The last round's new spelling was drawn
                # one edit ago.
                self.undo_to[key] = self.last_edit.get(key, EDIT_FIRST)
                self.last_edit[key] = word
            spellings.append(word)
            return answer
        if measure == "coldedit":
            if not look:  # the peers keep nothing between processes: their cold compile
                return self.cold_peer(engine, "doc4", 300)
            folder, out = self.coldedit_docs[look], tmp / f"coldedit-out-{look}"
            # As after the last save's build: the cache holds the folder as it is (not timed).
            self.fac.request(op="fac_build", folder=str(folder), out=str(out), look=look, use_cache=True)
            word = self.pool[(round_no + len(self.pool) // 2) % len(self.pool)]  # new to this folder
            _set_word(folder / EDIT_FILE, word)
            result = self.cold_run(self.fac_argv(folder, out, look, cache=True), 300)
            result["word"] = word
            return result
        if measure == "unchanged":
            if not look:
                return self.cold_peer(engine, "doc4", 300)
            out = tmp / f"unchanged-{look}"
            # The cache made warm just before (the code under facsimile/ may change meanwhile).
            self.fac.request(op="fac_build", folder=str(self.doc4), out=str(out), look=look, use_cache=True)
            pdf = out / f"{self.doc4.name}.pdf"
            before = pdf.stat().st_mtime_ns
            result = self.cold_run(self.fac_argv(self.doc4, out, look, cache=True), 300)
            result["rewrote"] = pdf.stat().st_mtime_ns != before
            return result
        if measure == "big":
            if look:
                out = tmp / f"big-{look}"
                result = self.cold_run(self.fac_argv(self.big, out, look, False), 1800, sample=True)
                pdf = out / f"{self.big.name}.pdf"
                result["size"], result["pdf"] = pdf.stat().st_size, str(pdf)
            else:
                result = self.cold_peer(engine, "big", 1800, sample=True)
            if key not in self.pages:
                self.pages[key] = count_pages(Path(result["pdf"]))
            return result
        raise ValueError(measure)

    def run_round(self, round_no: int) -> None:
        for measure in MEASURES:
            keys = [k for k in self.keys if applies(measure, k) and k not in self.unavailable]
            shift = round_no % len(keys)
            for key in keys[shift:] + keys[:shift]:
                cell = self.cells.setdefault((measure, key), Cell())
                try:
                    cell.samples.append(self.measure(measure, key, round_no))
                except Exception as exc:  # noqa: BLE001 - a failing engine does not stop the run
                    cell.failures.append(short(exc, 300))

    def run(self) -> None:
        started = time.perf_counter()
        rounds = self.args.rounds if self.args.rounds else (3 if self.quick else 5)
        if self.quick:
            rounds = min(rounds, 3)
        self.setup()
        longest = 0.0
        print(f"set-up: {time.perf_counter() - started:.1f} s", file=sys.stderr)
        for round_no in range(rounds):
            round_started = time.perf_counter()
            self.run_round(round_no)
            self.rounds_done += 1
            now = time.perf_counter()
            print(f"round {round_no + 1}/{rounds}: {now - round_started:.1f} s", file=sys.stderr)
            longest = max(longest, now - round_started)
            if self.quick and round_no + 1 < rounds and now - started + 1.25 * longest > QUICK_BUDGET:
                self.notes.append(f"--quick: stopped after {self.rounds_done} of {rounds} rounds "
                                  f"(time budget {QUICK_BUDGET:.0f} s)")
                break
        self.seconds = time.perf_counter() - started

    def close(self) -> None:
        if hasattr(self, "fac"):
            self.fac.stop()
        for worker in self.peer_workers.values():
            worker.stop()

    # -- the table ------------------------------------------------------------------------

    def rows(self) -> list[tuple[str, str, dict[str, tuple[float | None, str]]]]:
        """(measure, look, {engine: (value, text)}); value None when there is none."""
        peers = [e for e in self.engines if e != "facsimile"]
        n = self.big_pages if hasattr(self, "big_pages") else self.target_pages
        specs = [
            ("cold", "cold build, Document 4 (ms)", "ms"),
            ("warm", "warm rebuild in-process (ms)", "ms"),
            ("edit", "one-word change, warm (ms)", "ms"),
            ("undo", "changed back, part cached (ms)", "ms"),
            ("unchanged", "nothing changed, cold (ms)", "ms"),
            ("coldedit", "one-word change, cold (ms)", "ms"),
            ("cold", "cold build, Document 4: CPU time (ms)", "cpu"),
            ("unchanged", "nothing changed, cold: CPU time (ms)", "cpu"),
            ("coldedit", "one-word change, cold: CPU time (ms)", "cpu"),
            ("big", f"{n} pages: cold build (ms)", "ms"),
            ("big", f"{n} pages: CPU time (ms)", "cpu"),
            ("big", f"{n} pages: pages/s", "pps"),
            ("big", f"{n} pages: peak memory (MiB)", "mib"),
            ("big", f"{n} pages: memory, all processes (MiB)", "pss"),
            ("big", f"{n} pages: PDF bytes/page", "bpp"),
        ]
        out = []
        for measure, label, kind in specs:
            for look in LOOKS:
                values = {"facsimile": self.value(measure, f"facsimile:{look}", kind)}
                for engine in peers:
                    values[engine] = self.value(measure, engine, kind) if applies(measure, engine) \
                        else (None, "n/a")
                out.append((label, look, values))
        return out

    def value(self, measure: str, key: str, kind: str) -> tuple[float | None, str]:
        engine = key.partition(":")[0]
        if engine in self.unavailable:
            return None, "failed" if "failed" in self.unavailable[engine] else "not installed"
        cell = self.cells.get((measure, key))
        if cell is None or not cell.samples:
            return None, "failed" if cell and cell.failures else "-"
        seconds = cell.median("seconds")
        if kind == "ms":
            v = seconds * 1000
        elif kind == "pps":
            pages = self.pages.get(key)
            v = pages / seconds if pages and seconds else None
        elif kind == "cpu":
            cpu = cell.median("cpu")
            v = cpu * 1000 if cpu is not None else None
        elif kind == "mib":
            kib = cell.median("maxrss_kib")
            v = kib / 1024 if kib else None
        elif kind == "pss":
            kib = cell.median("tree_pss_kib")
            v = kib / 1024 if kib else None
        elif kind == "bpp":
            pages = self.pages.get(key)
            v = cell.samples[-1]["size"] / pages if pages else None
        else:
            raise ValueError(kind)
        if v is None:
            return None, "-"
        text = fmt(v)
        if cell.failures:
            text += "*"
        return v, text

    def header(self) -> str:
        versions = [f"reportlab {pkg_version('reportlab')}", f"pypdf {pkg_version('pypdf')}"]
        if any(e in PEERS for e in self.engines) or os.path.exists(self.args.peers_python):
            versions.append(peer_versions(self.args.peers_python))
        if "pdflatex" in self.engines:
            versions.append(pdftex_version())
        bytecode = [f"facsimile's Python: "
                    f"{bytecode_state(sys.executable, ['facsimile', 'click', 'reportlab', 'pypdf', 'PIL'])}"]
        if any(e in ("typst", "weasyprint") for e in self.engines):
            bytecode.append(f"peers' Python: {bytecode_state(self.args.peers_python, ['typst', 'weasyprint'])}")
        return (f"machine: {platform.platform()}, {os.cpu_count()} CPUs, "
                f"Python {platform.python_version()}; {', '.join(v for v in versions if v)}; "
                f"facsimile {git_state()}; {self.rounds_done} rounds, medians; "
                f"{time.strftime('%Y-%m-%d %H:%M %Z')}\nbytecode: {'; '.join(bytecode)}")

    def table(self, markdown: bool = False) -> str:
        peers = [e for e in self.engines if e != "facsimile"]
        head = ["measure", "facsimile (look)"]
        for engine in peers:
            head.append(engine)
            if engine == "typst":
                head.append("ratio")
        body = []
        rows = self.rows()
        wv = max(len(values["facsimile"][1]) for _, _, values in rows)
        wl = max(len(look) for look in LOOKS) + 2
        for label, look, values in rows:
            fac_value, fac_text = values["facsimile"]
            row = [label, f"{fac_text} ({look})" if markdown
                   else f"{fac_text.rjust(wv)} {('(' + look + ')').ljust(wl)}"]
            for engine in peers:
                value, text = values[engine]
                ratio = fmt_ratio(fac_value / value) if fac_value is not None and value else ""
                if engine == "typst":
                    row += [text, ratio]
                else:
                    row.append(f"{text} ({ratio})" if ratio else text)
            body.append(row)
        if markdown:
            lines = ["| " + " | ".join(head) + " |", "|" + "|".join(["---"] + ["---:"] * (len(head) - 1)) + "|"]
            lines += ["| " + " | ".join(r) + " |" for r in body]
            return "\n".join(lines)
        widths = [max(len(r[i]) for r in [head] + body) for i in range(len(head))]
        fmt_row = lambda r: "  ".join(  # noqa: E731
            c.ljust(w) if i == 0 else c.rjust(w) for i, (c, w) in enumerate(zip(r, widths))).rstrip()
        return "\n".join([fmt_row(head), "  ".join("-" * w for w in widths)] + [fmt_row(r) for r in body])

    def target_rows(self) -> list[list[str]]:
        """Each target of issue 15: facsimile's value, Typst's, their ratio, the goal, met or not."""
        n = self.big_pages if hasattr(self, "big_pages") else self.target_pages
        typst = "typst" in self.engines and "typst" not in self.unavailable
        rows = []
        for measure, look, kind, peer_measure, goal, sense, label in TARGETS:
            fac_value, fac_text = self.value(measure, f"facsimile:{look}", kind)
            peer_value, peer_text = self.value(peer_measure, "typst", kind) if typst else (None, "-")
            ratio = fac_value / peer_value if fac_value is not None and peer_value else None
            if sense == "min":
                wanted, met = f">= {goal:g}x", ratio is not None and ratio >= goal
            elif sense == "below":
                wanted, met = f"< {goal:g}x", ratio is not None and ratio < goal
            else:
                wanted, met = f"<= {goal:g}x", ratio is not None and ratio <= goal
            verdict = "no Typst" if not typst else "-" if ratio is None else "met" if met else "NOT met"
            cpu = "-"  # the same ratio of CPU time (user + system), where a cold process was timed
            if typst and kind == "ms" and measure in ("cold", "unchanged", "coldedit"):
                fac_cpu = self.value(measure, f"facsimile:{look}", "cpu")[0]
                peer_cpu = self.value(peer_measure, "typst", "cpu")[0]
                cpu = fmt_ratio(fac_cpu / peer_cpu) if fac_cpu is not None and peer_cpu else "-"
            rows.append([label.replace("N pages", f"{n} pages"), fac_text, peer_text,
                         fmt_ratio(ratio) if ratio is not None else "-", wanted, verdict, cpu])
        return rows

    def targets_table(self, markdown: bool = False) -> str:
        head = ["target (issue 15)", "facsimile", "typst", "ratio", "goal", "", "CPU ratio"]
        body = self.target_rows()
        if markdown:
            lines = ["| " + " | ".join(head) + " |", "|---|---:|---:|---:|---|---|---:|"]
            return "\n".join(lines + ["| " + " | ".join(r) + " |" for r in body])
        widths = [max(len(r[i]) for r in [head] + body) for i in range(len(head))]
        fmt_row = lambda r: "  ".join(  # noqa: E731
            c.ljust(w) if i in (0, 4, 5) else c.rjust(w) for i, (c, w) in enumerate(zip(r, widths))).rstrip()
        return "\n".join([fmt_row(head), "  ".join("-" * w for w in widths)] + [fmt_row(r) for r in body])

    def legend(self) -> list[str]:
        lines = ["ratio, and (x) after a peer's value: facsimile / that peer, of the value shown "
                 "(times and sizes: above 1 means facsimile takes more; pages/s: below 1 means "
                 "facsimile is slower). * some rounds failed (see below). n/a: the engine has "
                 "no such mode.",
                 "targets: the ratio of wall times (goal and met); CPU ratio: the same of CPU times, "
                 "steadier on a shared machine. "
                 "CPU time: user + system of the build process and every process it waited for. "
                 "peak memory: ru_maxrss, the largest single process; memory, all processes: the "
                 "peak of the summed Pss of the process tree, sampled every 50 ms (a build that "
                 "forks workers shows here)."]
        lines += self.notes
        big_pages = [f"{k.replace('facsimile:', 'facsimile ')} {v}" for k, v in self.pages.items()]
        if big_pages:
            lines.append(f"{self.big_pages}-page measure, pages made from the same words: "
                         + ", ".join(big_pages))
        for look in LOOKS:
            cell = self.cells.get(("edit", f"facsimile:{look}"))
            undo = self.cells.get(("undo", f"facsimile:{look}"))
            if cell and cell.samples:
                lines.append(f"one-word change, {look}: parts drawn again: {redrawn(cell)}; "
                             f"changed back: {redrawn(undo) if undo else '-'}")
        rewrites = []
        for look in LOOKS:
            cell = self.cells.get(("unchanged", f"facsimile:{look}"))
            if cell and cell.samples:
                rewrote = sum(1 for s in cell.samples if s.get("rewrote"))
                rewrites.append(f"{look} {len(cell.samples) - rewrote}/{len(cell.samples)}")
        if rewrites:
            lines.append("nothing changed: builds that wrote nothing (the cache held): " + ", ".join(rewrites))
        for engine, why in self.unavailable.items():
            lines.append(f"{engine}: {why}")
        for (measure, key), cell in self.cells.items():
            for failure in dict.fromkeys(cell.failures):
                lines.append(f"failed: {measure} {key} ({cell.failures.count(failure)}x): {failure}")
        lines.append(f"whole run: {self.seconds:.0f} s")
        return lines


def redrawn(cell: Cell) -> str:
    counts: dict[str, int] = {}
    for sample in cell.samples:
        name = ", ".join(sample.get("redrawn", [])) or "none"
        if sample.get("code_changed"):
            name += " [facsimile/ changed since the build before]"
        counts[name] = counts.get(name, 0) + 1
    return "; ".join(f"{name} ({n}x)" for name, n in counts.items())


def fmt(v: float) -> str:
    if v >= 1000:
        return f"{v:,.0f}"
    if v >= 100:
        return f"{v:.0f}"
    if v >= 10:
        return f"{v:.1f}"
    return f"{v:.2f}"


def fmt_ratio(r: float) -> str:
    return f"{r:.2f}x" if r < 10 else f"{r:.1f}x" if r < 100 else f"{r:.0f}x"


def count_pages(pdf: Path) -> int | None:
    try:
        import pypdf

        return len(pypdf.PdfReader(str(pdf)).pages)
    except Exception:  # noqa: BLE001
        pass
    try:
        info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, timeout=60).stdout
        return int(re.search(r"^Pages:\s+(\d+)", info, re.M).group(1))  # type: ignore[union-attr]
    except Exception:  # noqa: BLE001
        return None


def pkg_version(name: str) -> str:
    try:
        return importlib.metadata.version(name)
    except importlib.metadata.PackageNotFoundError:
        return "not installed"


def peer_versions(python: str) -> str:
    code = ("import importlib.metadata as m, sys\n"
            "def v(n):\n"
            "    try: return m.version(n)\n"
            "    except Exception: return 'not installed'\n"
            "print(f\"typst {v('typst')}, weasyprint {v('weasyprint')} (peers' Python "
            "{sys.version.split()[0]}, pypdf {v('pypdf')})\")")
    try:
        done = subprocess.run([python, "-c", code], capture_output=True, text=True, timeout=60)
        return done.stdout.strip() or f"peers' Python failed: {short(done.stderr)}"
    except Exception as exc:  # noqa: BLE001
        return f"peers' Python failed: {short(exc)}"


def pdftex_version() -> str:
    try:
        done = subprocess.run(["pdflatex", "--version"], capture_output=True, text=True, timeout=30)
        return done.stdout.splitlines()[0].strip()
    except Exception:  # noqa: BLE001
        return ""


def git_state() -> str:
    try:
        head = subprocess.run(["git", "-C", str(REPO), "rev-parse", "--short", "HEAD"],
                              capture_output=True, text=True, timeout=30).stdout.strip()
        dirty = subprocess.run(["git", "-C", str(REPO), "status", "--porcelain", "--", "facsimile"],
                               capture_output=True, text=True, timeout=30).stdout.strip()
        return f"{head or 'unknown'}{' + uncommitted changes' if dirty else ''}"
    except Exception:  # noqa: BLE001
        return "unknown"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true",
                        help="under a minute: up to 3 rounds and a ~50-page synthetic document")
    parser.add_argument("--rounds", type=int, default=None, help="rounds (default 5; 3 with --quick)")
    parser.add_argument("--engines", default=None,
                        help="comma list among facsimile,typst,weasyprint,pdflatex "
                             "(default: all that are installed; facsimile always)")
    parser.add_argument("--markdown", type=Path, help="also write the table as markdown to this file")
    parser.add_argument("--peers-python", default=None,
                        help=f"Python with typst and weasyprint (default: {DEFAULT_PEERS_PYTHON} "
                             "if it exists, else this Python); passed as PEERS_PYTHON")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder and print it")
    parser.add_argument("--no-compile", action="store_true",
                        help="do not byte-compile facsimile's modules before the rounds (the header "
                             "says what was compiled)")
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.worker:
        worker_main()
        return 0
    if args.rounds is not None and args.rounds < 1:
        parser.error("--rounds must be at least 1")
    if args.peers_python is None:
        args.peers_python = str(DEFAULT_PEERS_PYTHON) if DEFAULT_PEERS_PYTHON.exists() else sys.executable
    tmp = Path(tempfile.mkdtemp(prefix="facsimile-bench-"))
    bench = Bench(args, tmp)
    try:
        bench.run()
    except KeyboardInterrupt:
        print("run.py: interrupted", file=sys.stderr)
        return 130
    finally:
        bench.close()
        if args.keep:
            print(f"kept: {tmp}", file=sys.stderr)
        else:
            shutil.rmtree(tmp, ignore_errors=True)
    header = bench.header()
    text = "\n".join([header, "", bench.table(), "", bench.targets_table(), ""] + bench.legend())
    print(text)
    if args.markdown:
        md = "\n".join([header, "", bench.table(markdown=True), "", bench.targets_table(markdown=True), ""]
                       + [f"- {line}" for line in bench.legend()])
        args.markdown.write_text(md + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
