"""The profile registry: names to folders under the models directory, loaded once and reused.

A name is checked against ``NAME_PATTERN`` before it becomes a path: one segment without
dots or slashes, so no name can reach outside the models directory. A folder there may be
a symbolic link the operator placed (a shared or synchronised profile): it is served, but
learning does not replace it and deleting removes the link, not what it points to.

A loaded profile is kept with the identity (inode, mtime, size) of every file in its
folder: a profile saved again (``VoiceProfile.save`` swaps the folder atomically), or one
file of it edited or truncated, is noticed on the next request and loaded again, so its
checksums are verified again (409 when they differ, as the command line refuses it).
Learning the same name twice at once is refused (409) rather than queued, so a client
never waits minutes blindly.

Deleting a name holds it until the caller has deleted its history too, and scored posts
are stored for a name only while it is neither deleted nor being deleted (``recording``):
a batch still being scored when its profile is deleted must not bring the history back.
"""

from __future__ import annotations

import logging
import os
import re
import shutil
import tempfile
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from voicecheck.errors import ProfileUnreadableError
from voicecheck.profile import (REPLACED_MARK, VoiceProfile, check_profile_target, discard_replaced_copies,
                                restore_interrupted_save)

from .errors import ApiError

log = logging.getLogger("voicecheck.api")

__all__ = ["NAME_PATTERN", "ProfileRegistry", "check_name", "invalid_name", "valid_name"]

NAME_PATTERN = r"^[a-z0-9][a-z0-9_-]{0,63}$"
_NAME = re.compile(r"[a-z0-9][a-z0-9_-]{0,63}")


def valid_name(name: Any) -> bool:
    return isinstance(name, str) and _NAME.fullmatch(name) is not None


def invalid_name() -> ApiError:
    """The 422 for a bad name; also answered for a path that reached no route because of its name."""
    return ApiError(422, "invalid_name", "a profile name is 1-64 characters: lower-case letters, digits, "
                    "'-' and '_', starting with a letter or digit", field="name")


def check_name(name: str) -> str:
    """Return ``name`` if it is a valid profile name, else raise a 422."""
    if not valid_name(name):
        raise invalid_name()
    return name


@dataclass
class _Entry:
    stamp: tuple
    profile: VoiceProfile


class ProfileRegistry:
    """Loaded profiles and shared embedders of one service process."""

    def __init__(self, models_dir: Path, *, embedder: Any = None) -> None:
        self.models_dir = Path(models_dir).resolve()
        self._override = embedder
        self._lock = threading.Lock()
        self._changed = threading.Condition(self._lock)  # a recording of a name ended
        self._entries: dict[str, _Entry] = {}
        self._learning: set[str] = set()
        self._deleting: set[str] = set()
        self._recording: dict[str, int] = {}  # name: scored batches being stored now
        self._models: dict[str, Any] = {}

    # ------------------------------------------------------------------ paths
    def path(self, name: str) -> Path:
        """The folder of profile ``name``: directly in the models directory, not resolved, so a symbolic link
        the operator placed there is served (a valid name is one segment: it cannot climb out)."""
        return self.models_dir / check_name(name)

    def names(self) -> list[str]:
        """Names of the profile folders (those with a manifest) in the models directory."""
        try:
            if not self.models_dir.is_dir():
                return []
            for aside in self.models_dir.glob(f".*{REPLACED_MARK}*"):
                name = aside.name[1:].split(REPLACED_MARK, 1)[0]
                if _NAME.fullmatch(name):
                    self._restore(name)
            return sorted(p.name for p in self.models_dir.iterdir()
                          if _NAME.fullmatch(p.name) and _is_file(p / "manifest.json"))
        except OSError as e:  # the operator's folder: 503 with the reason, not a 500
            raise ProfileUnreadableError(f"{self.models_dir}: the models folder cannot be read "
                                         f"({e.strerror or type(e).__name__})") from None

    def misnamed(self) -> dict[str, str]:
        """Profile folders that cannot be served because of their name, with why.

        Reported (``/healthz``, a log warning at start) so that a folder such as ``Acme.v2``
        does not vanish silently. Hidden folders are the service's own temporary ones.
        """
        if not self.models_dir.is_dir():
            return {}
        return {p.name: f"folder name must match {NAME_PATTERN} to be served"
                for p in sorted(self.models_dir.iterdir())
                if not p.name.startswith(".") and not _NAME.fullmatch(p.name) and (p / "manifest.json").is_file()}

    # ------------------------------------------------------------------ embedders
    def embedder_for(self, profile: VoiceProfile):
        """The shared embedder ``profile`` was learned with (loaded once per process)."""
        if self._override is not None:
            return self._override
        from voicecheck.embedding import load_embedder

        name = profile.embedding_model_["name"]
        emb = load_embedder(name)
        self._models[name] = emb
        return emb

    @property
    def loaded_count(self) -> int:
        with self._lock:
            return len(self._entries)

    @property
    def loaded_models(self) -> list[str]:
        if self._override is not None:
            return [self._override.name]
        return sorted(self._models)

    # ------------------------------------------------------------------ profiles
    def cached(self, name: str) -> VoiceProfile | None:
        """The loaded profile if it is still current on disk (cheap: one stat), else None."""
        path = self.path(name)
        stamp = _stamp(path)
        if stamp is None and self._restore(name):
            stamp = _stamp(path)
        if stamp is None:
            with self._lock:
                self._entries.pop(name, None)
            raise ApiError(404, "profile_not_found", f"no profile named {name!r}")
        with self._lock:
            entry = self._entries.get(name)
        return entry.profile if entry is not None and entry.stamp == stamp else None

    def get(self, name: str) -> VoiceProfile:
        """The current profile ``name``, loading it when it is new or changed on disk (blocking)."""
        hit = self.cached(name)
        if hit is not None:
            return hit
        path = self.path(name)
        stamp = _stamp(path)
        if stamp is None:
            raise ApiError(404, "profile_not_found", f"no profile named {name!r}")
        try:
            profile = VoiceProfile.load(path, embedder=self._override)  # None: the installed models
        except Exception:
            self.forget(name)  # no longer counted as loaded by /healthz (a re-check)
            raise
        mismatch = profile.style_mismatch()
        if mismatch:  # load's warning reaches no one in the service: the log says it, once per load
            log.warning("profile %s: %s", name, mismatch)
        with self._lock:
            self._entries[name] = _Entry(stamp, profile)
        return profile

    def _restore(self, name: str) -> bool:
        """Put back profile ``name`` when a learn killed between its two renames left it missing (a learn
        running here is left to finish its own renames)."""
        with self._lock:
            if name in self._learning:
                return False
        if not restore_interrupted_save(self.models_dir / name):
            return False
        log.warning("profile %r was left missing by an interrupted learn; its previous version was put back", name)
        return True

    def forget(self, name: str) -> None:
        with self._lock:
            self._entries.pop(name, None)

    # ------------------------------------------------------------------ learning and deleting
    @contextmanager
    def learning(self, name: str) -> Iterator[Path]:
        """Hold the right to write profile ``name``; a second holder gets 409."""
        path = self.path(name)
        with self._lock:
            if name in self._learning:
                raise ApiError(409, "learning_in_progress", f"profile {name!r} is being learned or deleted "
                               "right now; try again when that finishes")
            self._learning.add(name)
        try:
            with _instances_lock(self.models_dir, name):
                yield path
        finally:
            with self._lock:
                self._learning.discard(name)
                self._entries.pop(name, None)

    def learn(self, name: str, documents, contrast, lang: str) -> tuple[VoiceProfile, list[str]]:
        """Fit and save profile ``name`` (blocking, CPU-heavy: call from a worker thread).

        Returns the profile as it will be served, and the learning's warnings.
        """
        with self.learning(name) as path:
            if path.is_symlink():  # the operator's link: replacing it would write where they did not ask
                raise ApiError(409, "profile_conflict", f"profile {name!r} is a symbolic link in the models folder "
                               "(placed by its operator); it is not replaced: learn under another name, or ask "
                               "the operator to replace the link with a folder")
            check_profile_target(path)  # before learning: a folder that is not a profile is refused at once (409)
            profile = VoiceProfile(name=name, lang=lang).fit(documents, contrast, embedder=self._override,
                                                             warn=False)  # returned in the answer, not logged
            profile.save(path)
        return self.get(name), profile.warnings_

    @contextmanager
    def deleting(self, name: str) -> Iterator[bool]:
        """Remove profile folder ``name`` and hold the name while the caller deletes its history.

        Yields whether there was a folder. While held, the name cannot be learned (409) and
        no scored posts are stored for it; posts being stored when the deletion starts are
        waited for, so the caller's history deletion takes them too.
        """
        with self.learning(name) as path:
            with self._changed:
                self._deleting.add(name)
                self._changed.wait_for(lambda: not self._recording.get(name))
            try:
                yield self._remove(path)
            finally:
                with self._changed:
                    self._deleting.discard(name)

    def _remove(self, path: Path) -> bool:
        """Rename the folder away first, so readers see it whole or not at all; False when there is none.

        A folder of that name that is not a profile (no manifest.json) is the operator's, not
        the service's: it is left alone (409), as learning over it is refused.
        """
        if _stamp(path) is None and not path.is_dir():
            return False
        if not (path / "manifest.json").is_file():
            raise ApiError(409, "profile_conflict", f"the folder named {path.name!r} in the models folder is not a "
                           "voice profile (no manifest.json); it was not deleted")
        if path.is_symlink():  # the operator's link to a profile kept elsewhere: that folder is not ours to delete
            os.unlink(path)
            return True
        trash = Path(tempfile.mkdtemp(prefix=f".{path.name}.deleted-", dir=self.models_dir))
        os.rmdir(trash)
        os.rename(path, trash)
        discard_replaced_copies(path)  # a deleted profile must not come back as an interrupted save's
        shutil.rmtree(trash, ignore_errors=True)
        return True

    @contextmanager
    def recording(self, name: str) -> Iterator[None]:
        """Hold off a deletion of ``name`` while its scored posts are stored; 404 once it is deleted or being deleted.

        Why: a batch scored while its profile was deleted would otherwise be stored after
        the history was deleted, and the deleted history would come back.
        """
        path = self.path(name)
        with self._changed:
            if name in self._deleting or _stamp(path) is None:
                raise ApiError(404, "profile_not_found", f"profile {name!r} was deleted while the drafts were "
                               "scored; nothing was stored")
            self._recording[name] = self._recording.get(name, 0) + 1
        try:
            yield
        finally:
            with self._changed:
                self._recording[name] -= 1
                if not self._recording[name]:
                    del self._recording[name]
                self._changed.notify_all()


@contextmanager
def _instances_lock(models_dir: Path, name: str) -> Iterator[None]:
    """The right to write profile ``name`` among every service instance sharing the models folder: a lock on a
    hidden file beside it (``.<name>.lock``). Why: two instances (the documented scale-out) both answered 201 to
    learns of one name at once, and one silently lost (an operations review); the in-process set alone cannot
    see the other instance.

    The file is removed by its holder before the lock is let go: kept, one was left for every name ever learned
    or deleted, a 404 or a failed learn included, without limit (an integrator's review). An instance that
    opened the file before it was removed, and locks it after, holds a lock on a file no longer there: it sees
    so (the path names another file, or none) and opens the path again.
    """
    try:
        import fcntl
    except ImportError:  # not POSIX: one instance per models folder
        yield
        return
    path = models_dir / f".{name}.lock"
    while True:
        try:
            fd = os.open(path, os.O_CREAT | os.O_RDWR, 0o644)
        except OSError:  # a read-only models folder: learning will say why
            yield
            return
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            raise ApiError(409, "learning_in_progress", f"profile {name!r} is being learned or deleted right now "
                           "(by another instance of the service); try again when that finishes") from None
        try:
            current = os.stat(path).st_ino
        except FileNotFoundError:
            current = None
        if current == os.fstat(fd).st_ino:
            break
        os.close(fd)  # removed by its last holder after we opened it: the lock is on a file no one else sees
    try:
        yield
    finally:
        try:
            os.unlink(path)
        except OSError:
            pass
        fcntl.flock(fd, fcntl.LOCK_UN)
        os.close(fd)


def _is_file(p: Path) -> bool:
    """``p.is_file()``, and True where the system will not say: a profile folder that cannot be entered is listed,
    and loading it says why (503 profile_unreadable), rather than vanishing from the list."""
    try:
        return p.is_file()
    except OSError:
        return True


def _stamp(folder: Path) -> tuple | None:
    """The identity of every file of a profile folder, or None when it has no manifest (no profile).

    Every file, not only manifest.json: a file edited or truncated in place must be noticed,
    since loading is what verifies the checksums. A dozen stats a request, about 20 µs.
    """
    try:
        st = os.stat(folder / "manifest.json")
    except (FileNotFoundError, NotADirectoryError):
        return None
    except OSError as e:  # the models folder made unreadable under a served profile: 503, not a 500 (a re-check)
        raise ProfileUnreadableError(f"{folder / 'manifest.json'}: cannot be read "
                                     f"({e.strerror or type(e).__name__})") from None
    files = []
    try:
        for entry in os.scandir(folder):
            try:
                if entry.is_file():
                    f = entry.stat()
                    files.append((entry.name, f.st_ino, f.st_mtime_ns, f.st_size))
            except OSError:  # gone since listed: it is missed, so the stamp differs and loading says why
                continue
    except OSError:
        pass  # the folder itself went or cannot be listed: loading it says why
    return (st.st_ino, st.st_mtime_ns, st.st_size), tuple(sorted(files))
