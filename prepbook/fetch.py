"""``prepbook fetch``: the one command that touches the network.

For each source of the ``tracker_sources`` option it asks the tracker for its export (``gh``
for GitHub, with the credentials gh has from the environment: ``GH_TOKEN`` or its own
login; an HTTPS download for Jira, with ``PREPBOOK_JIRA_USER`` and ``PREPBOOK_JIRA_TOKEN``),
checks that what came back is an export of that kind, and replaces the file in the
trackers folder with it, atomically (a file beside it, then renamed over it), with the time
it was taken: a ``NAME.taken`` file beside gh's JSON, a ``# taken:`` first line in a CSV.
It writes nothing else: no other path, and never anything to a tracker. What the new
exports say that the old ones did not is printed, item by item, so that the commit, or the
pull request ``--pr`` opens, reads as the tracker's news.

A source that fails (gh missing or refused, an answer that is no export) is said in one
line and leaves its file as it was; the others are still fetched.
"""

from __future__ import annotations

import base64
import datetime as dt
import json
import os
import subprocess
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from prepbook.config import Project
from prepbook.errors import FetchError
from prepbook.folder_swap import write_atomically
from prepbook.load.regular import resolved
from prepbook.trackers.folder import SIDECAR_SUFFIX, Trackers, read_trackers
from prepbook.trackers.sources import Source, parse_sources

JIRA_USER = "PREPBOOK_JIRA_USER"
JIRA_TOKEN = "PREPBOOK_JIRA_TOKEN"
TIMEOUT_SECONDS = 300  # gh pages through thousands of issues; a hung call still ends


@dataclass(frozen=True, slots=True)
class Fetched:
    """One source's outcome: the file written, or why not."""

    source: Source
    written: bool
    message: str


Runner = Callable[[list[str]], bytes]


def run_gh(command: list[str]) -> bytes:
    """What ``command`` prints; FetchError when it cannot run or fails."""
    try:
        done = subprocess.run(
            command,
            capture_output=True,
            timeout=TIMEOUT_SECONDS,
            check=False,
            stdin=subprocess.DEVNULL,
        )
    except FileNotFoundError:
        raise FetchError(
            "gh is not installed or not on the PATH: install GitHub's CLI (https://cli.github.com)"
        ) from None
    except subprocess.TimeoutExpired:
        raise FetchError(f"gh did not answer within {TIMEOUT_SECONDS} s") from None
    if done.returncode != 0:
        said = done.stderr.decode("utf-8", "replace").strip().splitlines()
        raise FetchError(
            f"gh failed (exit {done.returncode}): {said[-1] if said else 'no message'}; "
            "check that GH_TOKEN is set or gh is logged in (gh auth status)"
        )
    return done.stdout


def download_jira(url: str, max_bytes: int) -> bytes:
    """The CSV at ``url``, with the credentials of the environment."""
    user, token = os.environ.get(JIRA_USER, ""), os.environ.get(JIRA_TOKEN, "")
    if not user or not token:
        raise FetchError(f"set {JIRA_USER} and {JIRA_TOKEN} to read the Jira export")
    request = urllib.request.Request(url)
    pair = base64.b64encode(f"{user}:{token}".encode()).decode("ascii")
    request.add_header("Authorization", f"Basic {pair}")
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as answer:
            body: bytes = answer.read(max_bytes + 1)
    except urllib.error.HTTPError as exc:
        raise FetchError(f"Jira answered {exc.code} {exc.reason}") from None
    except (urllib.error.URLError, TimeoutError, OSError) as exc:
        raise FetchError(f"cannot reach Jira: {exc}") from None
    if len(body) > max_bytes:
        raise FetchError(f"the export is larger than max_file_bytes ({max_bytes:,} bytes)")
    return body


def _checked(source: Source, body: bytes) -> bytes:
    """``body`` if it is an export of the source's kind; FetchError if it is not."""
    if source.kind == "jira-csv":
        text = body.decode("utf-8-sig", "replace")
        if "Issue key" not in text.split("\n", 1)[0]:
            raise FetchError("the answer is not a Jira CSV export (no 'Issue key' column)")
        return text.encode("utf-8")
    try:
        data = json.loads(body)
    except ValueError:
        raise FetchError("gh's answer is not JSON") from None
    wanted = list if source.kind == "gh-issues" else dict
    if not isinstance(data, wanted) or (wanted is dict and "items" not in data):
        raise FetchError(f"gh's answer is not what {source.command(1)} prints")
    return body if body.endswith(b"\n") else body + b"\n"


def _target(folder: Path, source: Source) -> Path:
    """The export's path, refused unless it is a regular file (or none yet) inside the
    trackers folder: a link that leads out of it is never written through."""
    path = folder / source.file
    base = resolved(folder)
    if path.is_symlink() or not resolved(path.parent).is_relative_to(base):
        raise FetchError(f"{source.file} is a link or leads outside the trackers folder")
    if path.exists() and not path.is_file():
        raise FetchError(f"{source.file} is not a regular file")
    return path


def fetch(
    project: Project,
    *,
    now: dt.datetime | None = None,
    run: Runner = run_gh,
    download: Callable[[str, int], bytes] = download_jira,
) -> list[Fetched]:
    """Fetch every source of the project (see the module's docstring)."""
    settings = project.settings
    sources = parse_sources(settings.tracker_sources)
    folder = project.trackers_dir
    taken = (now or dt.datetime.now(dt.UTC)).astimezone(dt.UTC).replace(microsecond=0)
    stamp = taken.isoformat().replace("+00:00", "Z")
    out = []
    for source in sources:
        try:
            path = _target(folder, source)
            command = source.command(settings.tracker_fetch_limit)
            raw = (
                run(command)
                if command is not None
                else download(source.url, settings.max_file_bytes)
            )
            body = _checked(source, raw)
            path.parent.mkdir(parents=True, exist_ok=True)
            if source.kind == "jira-csv":
                write_atomically(path, f"# taken: {stamp}\n".encode() + body)
            else:
                write_atomically(path, body)
                write_atomically(path.with_name(path.name + SIDECAR_SUFFIX), f"{stamp}\n".encode())
        except FetchError as exc:
            out.append(Fetched(source, False, str(exc)))
            continue
        except OSError as exc:
            out.append(Fetched(source, False, f"cannot write it: {exc.strerror or exc}"))
            continue
        out.append(Fetched(source, True, f"taken from {source.where} at {stamp}"))
    return out


def changes(before: Trackers, after: Trackers) -> list[str]:
    """What the exports say now that they did not: each item added, gone, or in another
    status, in the order of the exports and their items."""

    def states(trackers: Trackers) -> dict[tuple[str, str], tuple[str, str]]:
        return {
            (e.file, i.ref.ident): (i.ref.text, i.status or i.state)
            for e in trackers.exports
            for i in e.items
        }

    old, new = states(before), states(after)
    lines = []
    for key, (text, status) in new.items():
        if key not in old:
            lines.append(f"{key[0]}: {text} is new ({status})")
        elif old[key][1] != status:
            lines.append(f"{key[0]}: {text} {old[key][1]} -> {status}")
    lines += [
        f"{key[0]}: {text} is no longer listed" for key, (text, _) in old.items() if key not in new
    ]
    return lines


def read_folder(project: Project) -> Trackers:
    settings = project.settings
    return read_trackers(
        project.trackers_dir, settings.max_file_bytes, states=settings.tracker_states
    )


def written_files(project: Project, fetched: list[Fetched]) -> list[Path]:
    """The files fetch wrote, each export with its ``.taken`` file."""
    folder = project.trackers_dir
    paths = []
    for f in fetched:
        if f.written:
            path = folder / f.source.file
            paths.append(path)
            sidecar = path.with_name(path.name + SIDECAR_SUFFIX)
            if f.source.kind != "jira-csv":
                paths.append(sidecar)
    return paths


def open_pull_request(
    project: Project, paths: list[Path], news: list[str], day: dt.date, run: Runner = run_gh
) -> str:
    """Commit ``paths`` on a new branch, push it and open a pull request with ``news`` as
    its text; what gh printed (the request's address). Only the exports are committed,
    whatever else the working tree holds."""
    root = project.root
    branch = f"prepbook-fetch-{day.isoformat()}"

    def git(*args: str) -> str:
        done = subprocess.run(
            ["git", *args], cwd=root, capture_output=True, text=True, check=False, timeout=120
        )
        if done.returncode != 0:
            said = done.stderr.strip().splitlines()
            raise FetchError(f"git {args[0]} failed: {said[-1] if said else done.returncode}")
        return done.stdout

    names = [os.path.relpath(p, root) for p in paths]
    if not git("status", "--porcelain", "--", *names).strip():
        return ""
    git("switch", "-c", branch)
    git("add", "--", *names)
    title = f"Tracker exports taken on {day.isoformat()}"
    git("commit", "-m", title, "--", *names)
    git("push", "-u", "origin", branch)
    body = "What the tracker says now:\n\n" + "\n".join(
        f"- {line}" for line in news or ["no item changed"]
    )
    answer = run(["gh", "pr", "create", "--head", branch, "--title", title, "--body", body])
    return answer.decode("utf-8", "replace").strip()
