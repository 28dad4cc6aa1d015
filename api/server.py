"""``voicecheck serve``: the app on uvicorn, one process (scale out with more instances on PostgreSQL)."""

from __future__ import annotations

import os
from pathlib import Path

__all__ = ["serve", "app_from_env"]


def serve(host: str = "127.0.0.1", port: int = 8000, models_dir: str | os.PathLike[str] | None = None,
          db_url: str | None = None, *, log_level: str = "info") -> None:
    """Run the service until interrupted. Arguments win over the ``VOICECHECK_*`` environment."""
    import uvicorn

    from .app import create_app
    from .settings import Settings

    settings = Settings.from_env(models_dir=Path(models_dir) if models_dir else None, db_url=db_url)
    # One worker process: the embedding model is loaded once and batching needs all requests in one place.
    uvicorn.run(create_app(settings), host=host, port=port, log_level=log_level, access_log=False,
                timeout_graceful_shutdown=10)


def app_from_env():
    """Factory for ``uvicorn --factory api.server:app_from_env`` (settings from the environment)."""
    from .app import create_app

    return create_app()
