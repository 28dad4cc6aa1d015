"""Request and response models: what ``/openapi.json`` documents.

Request models check shapes and types only; the library checks contents (empty
text, dates, lengths) with the same rules as for files, through
``documents_from_records``. Score responses are sent exactly as
``ScoreResult.to_dict()``: these models describe them, they do not rebuild them.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StrictInt, StrictStr, model_validator
from pydantic_core import PydanticCustomError

__all__ = ["DocumentIn", "LearnRequest", "ScoreItem", "ScoreBatch", "ScoreResultOut", "ScoreBatchOut",
           "ProfileSummary", "ProfileList", "LearnResponse", "HistoryPageOut", "Health", "ErrorOut"]

# Strict: true is not the id "1" (pydantic's lax mode would make it one), as a JSON Lines file says.
Label = StrictStr | StrictInt | None
Markup = Literal["text", "markdown", "html"] | None
_MARKUP = Field(None, description="how to read text: as it is (text, the default), or its words only once "
                "Markdown or HTML (a CMS's post body) is set aside, as for .md and .html files")


class DocumentIn(BaseModel):
    """One piece of writing, as in a JSON Lines corpus file (other fields are kept as metadata)."""

    model_config = ConfigDict(extra="allow")
    text: str
    id: Label = None
    date: str | None = Field(None, description="ISO 8601 date or datetime", examples=["2026-03-02"])
    source: Label = None
    channel: Label = None
    author: Label = None
    lang: str | None = None
    markup: Markup = _MARKUP


class LearnRequest(BaseModel):
    """Learn (or learn again) a profile from the brand's own writing. A field it does not know is refused (422
    naming it): a misspelt "sinse" would learn from every document and replace the profile. The documents'
    own other fields stay allowed: they are metadata, as in a corpus file."""

    model_config = ConfigDict(extra="forbid")
    name: str = Field(pattern=r"^[a-z0-9][a-z0-9_-]{0,63}$", examples=["northwind"])
    documents: list[DocumentIn] = Field(min_length=1, description="the brand's own writing (at least 20 posts)")
    contrast: list[DocumentIn] = Field(default_factory=list, description="writing that is NOT the brand")
    lang: str = Field("auto", description="language code (en, it, ...) or auto", max_length=16)
    since: str | None = Field(None, description="learn only from documents dated from this day (ISO 8601, "
                              "inclusive; every document must be dated)", max_length=40)
    until: str | None = Field(None, description="learn only from documents dated up to this day (inclusive)",
                              max_length=40)


class _OneShape(BaseModel):
    """A score body is one draft or a batch: with both ``text`` and ``items`` one would be silently ignored."""

    @model_validator(mode="before")
    @classmethod
    def _not_both(cls, data: Any) -> Any:
        if isinstance(data, dict) and "text" in data and "items" in data:
            raise PydanticCustomError("text_and_items", "send either text (one draft) or items (a batch), not both")
        return data


class ScoreItem(_OneShape):
    """One draft to score. A field it does not know is refused (422 naming it): a ScoreResult keeps no other
    field, so a misspelt "published_at" or "Source" would silently leave the post undated or unlabelled."""

    model_config = ConfigDict(extra="forbid")
    text: str = Field(examples=["We're open again after the winter stock-take."])
    id: Label = None
    date: str | None = Field(None, description="ISO 8601 date or datetime (drift reports group by it)")
    source: Label = None
    channel: Label = None
    author: Label = None
    lang: str | None = Field(None, description="the draft's language, when known (it, en-GB, Italian...): a draft "
                             "marked as another language than the profile's says so as its first reason",
                             max_length=40)
    markup: Markup = _MARKUP


class ScoreBatch(_OneShape):
    """Several drafts, embedded in one batch; results come back in the same order."""

    model_config = ConfigDict(extra="forbid")
    items: list[ScoreItem] = Field(min_length=1)


class ReasonOut(BaseModel):
    feature: str
    dimension: str
    message: str
    draft: float | str | None
    voice: float | str | None
    severity: Literal["info", "warning", "error"]


class ProfileInfo(BaseModel):
    name: str
    version: str
    lang: str


class ScoreResultOut(BaseModel):
    """ScoreResult (design 3.3): the same JSON the CLI prints."""

    id: str
    score: float = Field(ge=0, le=100)
    verdict: Literal["on-voice", "borderline", "off-voice", "too-short"]
    dimensions: dict[str, float]
    reasons: list[ReasonOut]
    profile: ProfileInfo
    words: int
    date: str | None
    source: str | None
    channel: str | None
    author: str | None
    learned_from: bool = Field(description="the profile learned from this very text, so its score is higher "
                                           "than a new post written the same way would get")


class ScoreBatchOut(BaseModel):
    results: list[ScoreResultOut]


class ProfileSummary(BaseModel):
    name: str
    version: str | None = None
    lang: str | None = None
    learned_at: str | None = None
    n_documents: int | None = None
    usable: bool = True
    problem: str | None = None


class ProfileList(BaseModel):
    profiles: list[ProfileSummary]


class LearnResponse(BaseModel):
    profile: ProfileInfo
    card: dict[str, Any]
    warnings: list[str] = Field(default_factory=list,
                                description="what to know about the writing learned (as `voicecheck learn` prints)")


class HistoryEntry(BaseModel):
    seq: int
    profile_version: str
    created_at: str
    explained_in: str | None = Field(None, description="the language of the result's reasons (en, it); null for "
                                                       "posts stored before it was recorded")
    result: dict[str, Any]


class HistoryPageOut(BaseModel):
    items: list[HistoryEntry]
    next_cursor: str | None = Field(None, description="pass as ?cursor= for the next (older) page")
    limit: int
    offset: int


class Health(BaseModel):
    status: Literal["ok", "starting", "unavailable"]
    checks: dict[str, Any]
    embedding_models: list[str]
    profiles_loaded: int


class ErrorProblem(BaseModel):
    field: str | None = None
    message: str


class ErrorDetail(BaseModel):
    code: str
    message: str
    field: str | None = None
    details: list[ErrorProblem] | None = Field(None, description="every problem found (at most 20), the first being "
                                               "code/message/field: a 422's bad items of a batch, say")


class ErrorOut(BaseModel):
    error: ErrorDetail
