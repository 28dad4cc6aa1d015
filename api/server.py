"""``voicecheck serve``: the app on uvicorn, one process (scale out with more instances on PostgreSQL)."""

from __future__ import annotations

import os
import sys
from pathlib import Path

from voicecheck.errors import VoicecheckError

__all__ = ["serve", "app_from_env"]


def log_config(log_level: str = "info", access_log: bool = False) -> dict:
    """uvicorn's logging, plus voicecheck's own logger with time and level (start-up, warnings, errors), and with
    ``access_log`` its line per request (time, method, path, status, duration, request id) in place of uvicorn's."""
    import copy

    from uvicorn.config import LOGGING_CONFIG

    config = copy.deepcopy(LOGGING_CONFIG)
    config["formatters"]["voicecheck"] = {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}
    config["handlers"]["voicecheck"] = {"formatter": "voicecheck", "class": "logging.StreamHandler",
                                        "stream": "ext://sys.stderr"}
    config["loggers"]["voicecheck"] = {"handlers": ["voicecheck"], "level": log_level.upper(), "propagate": False}
    config["loggers"]["voicecheck.access"] = {"handlers": ["voicecheck"], "propagate": False,
                                              "level": "INFO" if access_log else "WARNING"}
    return config


def serve(host: str = "127.0.0.1", port: int = 8000, models_dir: str | os.PathLike[str] | None = None,
          db_url: str | None = None, *, log_level: str = "info", access_log: bool = False) -> None:
    """Run the service until interrupted. Arguments win over the ``VOICECHECK_*`` environment."""
    import uvicorn

    from .app import create_app
    from .settings import Settings

    settings = Settings.from_env(models_dir=Path(models_dir) if models_dir else None, db_url=db_url)
    _prepare(settings)
    _check_can_listen(host, port)
    # One worker process: the embedding model is loaded once and batching needs all requests in one place.
    uvicorn.run(create_app(settings), host=host, port=port, log_level=log_level, access_log=False,
                log_config=log_config(log_level, access_log), timeout_graceful_shutdown=10)


def _prepare(settings) -> None:
    """The models folder and the history database, checked before the server starts: a file where the folder goes,
    a wrong URL or an unreachable server is then a one-line error (exit 2) at the door, not a traceback from the
    app's start-up (``serve`` and the uvicorn factory alike)."""
    from voicecheck.errors import InputError
    from voicecheck.store import describe_url, open_store, sqlite_path

    folder = settings.models_dir
    if folder.exists() and not folder.is_dir():
        raise InputError(f"the models folder {folder} is a file, not a folder", field="models")
    if folder.is_symlink() and not folder.exists():  # it had said "created empty", then "File exists" (a review)
        raise InputError(f"the models folder {folder} is a symbolic link to {os.readlink(folder)}, which does not "
                         "exist", field="models")
    if folder.exists() and not os.access(folder, os.R_OK | os.W_OK | os.X_OK):  # a traceback and exit 3 (a review)
        raise InputError(f"the models folder {folder} cannot be read and written by this user (permission denied)",
                         field="models")
    if not folder.exists():  # a typo in --models would otherwise serve an empty folder silently
        print(f"voicecheck: note: the models folder {folder} does not exist; it is created empty "
              "(learn profiles with POST /v1/profiles)", file=sys.stderr)
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        raise InputError(f"cannot create the models folder {folder}: {e.strerror or e}", field="models") from None
    url = settings.database_url
    path = sqlite_path(url)
    if path is not None and not path.exists():  # a mistyped path is a new, empty history (an operations review)
        print(f"voicecheck: note: the history database {describe_url(url)} does not exist; it is created empty",
              file=sys.stderr)
    open_store(url).close()


def _check_can_listen(host: str, port: int) -> None:
    """A port already in use (or a host that is not this machine's) is a one-line error before the models load.

    uvicorn would log it and exit 1 after start-up, which the CLI cannot tell from a crash.
    """
    import socket

    from voicecheck.errors import InputError

    if not 0 <= port <= 65535:  # 99999 was taken, and uvicorn listened on another port than it logged (a review)
        raise InputError(f"cannot listen on {host}:{port}: a port is a number from 0 to 65535", field="port")
    try:
        family, kind, proto, _, address = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)[0]
    except (socket.gaierror, UnicodeError) as e:
        raise InputError(f"cannot listen on {host}:{port}: {getattr(e, 'strerror', None) or e}", field="host") from None
    with socket.socket(family, kind, proto) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as uvicorn does: TIME_WAIT is no conflict
        try:
            probe.bind(address)
        except OSError as e:
            raise InputError(f"cannot listen on {host}:{port}: {e.strerror or e}", field="port") from None


def app_from_env():
    """Factory for ``uvicorn --factory voicecheck_api.server:app_from_env`` (settings from the environment).

    voicecheck's own log lines (start-up, a client gone, warnings) get the handler ``serve`` gives them: under
    uvicorn's default logging they were dropped (an integrator's review). uvicorn's loggers are left as its
    command line set them. Its access log records query strings: ``--no-access-log`` leaves them out, and
    ``VOICECHECK_ACCESS_LOG=1`` gives voicecheck's line per request instead (docs/service.md).
    """
    import logging.config

    from .app import create_app

    config = log_config(access_log=os.environ.get("VOICECHECK_ACCESS_LOG", "") in ("1", "true", "yes"))
    logging.config.dictConfig({"version": 1, "disable_existing_loggers": False,
                               "formatters": {"voicecheck": config["formatters"]["voicecheck"]},
                               "handlers": {"voicecheck": config["handlers"]["voicecheck"]},
                               "loggers": {name: config["loggers"][name]
                                           for name in ("voicecheck", "voicecheck.access")}})
    from .settings import Settings

    try:
        settings = Settings.from_env()
        _prepare(settings)
        return create_app(settings)
    except VoicecheckError as e:
        # A bad setting (VOICECHECK_API_KEYS=" , ", a database that cannot be reached): the one line and exit 2
        # that `voicecheck serve` gives, not uvicorn's traceback (an operations review)
        print(f"voicecheck: error: {e}", file=sys.stderr)
        raise SystemExit(2) from None
