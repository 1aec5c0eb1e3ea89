"""Tracker exports: what the team's issue tracker says about the work, read offline.

A roadmap step names the items that deliver it (``tracks:``, :mod:`prepbook.model.tracks`);
the team commits what its tracker exports (``gh issue list``, ``gh project item-list``, a
Jira or Linear CSV, a plain CSV) in the trackers folder, and :func:`prepbook.trackers.folder.
read_trackers` reads them: every item with its state normalised to todo, doing, done or
dropped (:mod:`prepbook.trackers.states`), every malformed line a problem at its place. The
build never asks a tracker anything: an export is a file like a workshop, reviewed in a pull
request, and reading it twice gives the same answer.

A core layer: it reads files and returns data. It knows nothing of pages, MkDocs or the
command line.
"""
