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

from voicecheck.typicality import LOW_POWER_BELOW, MIN_POSTS

__all__ = ["DocumentIn", "LearnRequest", "ScoreItem", "ScoreBatch", "ScoreResultOut", "ScoreBatchOut",
           "ProfileSummary", "ProfileList", "VoiceCardOut", "LearnResponse", "HistoryPageOut", "Health", "ErrorOut",
           "DriftReportOut"]

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
    channel: Label = Field(None, description="where it will be posted (newsletter, instagram): a channel the "
                           "profile keeps apart (its card's channels) explains and scores the draft against the "
                           "brand's posts there too")
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
    """ScoreResult (docs/reference.md): the same JSON the CLI prints."""

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
    warning: str | None = Field(None, description="served, but learned where style was measured otherwise: learn "
                                "it again (its style reasons and scores may be off)")


class ProfileList(BaseModel):
    profiles: list[ProfileSummary]


class _Described(BaseModel):
    """A documented shape of what the library returns as a dict (the voice card, the DriftReport): other fields are
    forbidden, so that the tests validating real cards and reports against these models fail when one gains a
    field docs/reference.md does not describe."""

    model_config = ConfigDict(extra="forbid")


# ---------------------------------------------------------------------- the voice card (docs/reference.md)
# Documentation of ``voice_card``'s dict (tests/test_card.py validates real cards against it).


class CardLearnedFrom(_Described):
    documents: int
    different_documents: int = Field(description="the same text given twice counts once")
    words: int
    contrast_documents: int
    background_documents: int = Field(description="the shipped generic writing it learned against")


class CardRegister(_Described):
    form: Literal["tu", "voi", "lei"] = Field(description="how the brand addresses its reader, most often")
    share: float = Field(description="of the posts that address the reader, the share in that form (0-1)")
    posts: int = Field(description="posts that address the reader")
    text: str


class CardHabit(_Described):
    feature: str = Field(description="the style feature's name (exclamation_rate, words...), or new_emoji and "
                         "new_hashtags (emoji or hashtags the brand never used)")
    label: str
    median: float
    typical_range: list[float] = Field(description="10th and 90th percentiles among the brand's posts",
                                       min_length=2, max_length=2)
    mean: float
    share_of_posts: float = Field(description="share of the brand's posts where it is not zero (0-1)")
    text: str


class CardRule(_Described):
    feature: str
    text: str = Field(description="a habit the brand never breaks, or shows only rarely and never as much: a draft "
                                  "that breaks it is off-voice")


class CardChannel(_Described):
    channel: str = Field(description="as the brand's posts write it most")
    posts: int = Field(description="the brand's different posts in it")
    words: float = Field(description="the median length of its posts there, in words")
    words_range: list[float] = Field(description="their 10th and 90th percentiles")
    sentence_length: float = Field(description="the median words per sentence there")
    text: str


class VoiceCardOut(_Described):
    """The voice card: the same JSON as ``voicecheck describe --format json``."""

    profile: ProfileInfo
    explained_in: Literal["en", "it"]
    language: str = Field(description="the profile's language, named in explained_in")
    learned_from: CardLearnedFrom
    learned_at: str | None = Field(description="ISO 8601, UTC")
    confidence: Literal["low", "normal"] = Field(description="low: learned from under 100 different posts or 2,000 words")
    embedding_model: str
    # "register" is also a method of every class (ABCMeta.register): named so in JSON only
    register_: CardRegister | None = Field(alias="register",
                                           description="null: the brand's posts do not address the reader")
    habits: list[CardHabit]
    rules: list[CardRule]
    characteristic_words: list[str]
    characteristic_names: list[str] = Field(description="words the brand writes with a capital: names")
    avoided_words: list[str] = Field(description="common elsewhere, never used by the brand so far")
    emoji_used: list[str] = Field(default_factory=list, description="the brand's emoji in 2 or more of its posts, "
                                  "most used first (up to 10; empty below 5 posts with emoji, or for a profile "
                                  "learned before they were kept)")
    hashtags_used: list[str] = Field(default_factory=list, description="the brand's hashtags in 2 or more of its "
                                     "posts as it writes them, most used first (up to 10; empty below 5 posts with "
                                     "hashtags)")
    channels: list[CardChannel] = Field(default_factory=list, description="the channels a draft is explained and "
                                        "scored against on their own too (10+ of the brand's posts there, not all of "
                                        "them)")
    score_meaning: str


class LearnResponse(BaseModel):
    profile: ProfileInfo
    card: VoiceCardOut
    warnings: list[str] = Field(default_factory=list,
                                description="what to know about the writing learned (as `voicecheck learn` prints)")


class StoredScoreResult(ScoreResultOut):
    """A ScoreResult as the history keeps it: fields added since a post was stored take their defaults, and a
    result a library caller stored by hand (``Store.add_results`` takes dicts) is passed on as it was stored."""

    model_config = ConfigDict(extra="allow")
    dimensions: dict[str, float] = Field(default_factory=dict)
    reasons: list[ReasonOut] = Field(default_factory=list)
    profile: ProfileInfo | None = None
    words: int = 0
    date: str | None = None
    source: str | None = None
    channel: str | None = None
    author: str | None = None
    learned_from: bool = False


class HistoryEntry(BaseModel):
    seq: int
    profile_version: str
    created_at: str
    explained_in: str | None = Field(None, description="the language of the result's reasons (en, it); null for "
                                                       "posts stored before it was recorded")
    result: StoredScoreResult


class HistoryPageOut(BaseModel):
    items: list[HistoryEntry]
    next_cursor: str | None = Field(None, description="pass as ?cursor= for the next (older) page")
    limit: int
    offset: int


class HistoryDeleted(BaseModel):
    deleted: int = Field(description="how many stored posts were deleted (every request stored counts: a retry too)")
    until: str = Field(description="the last day (or instant) whose posts were deleted: as given, a month or week "
                       "as its last day")


class Health(BaseModel):
    status: Literal["ok", "starting", "unavailable"]
    checks: dict[str, Any]
    embedding_models: list[str]
    profiles_loaded: int


class ErrorProblem(BaseModel):
    field: str | None = None
    message: str


#: Every error code the service answers with (its status in docs/service.md#errors); tests/test_api.py checks
#: that the code names no other.
ErrorCode = Literal[
    "bad_request", "unauthorized", "not_found", "profile_not_found", "method_not_allowed", "learning_in_progress",
    "profile_conflict", "profile_unusable", "body_too_large", "too_many_documents", "unsupported_media_type",
    "validation_error", "invalid_input", "invalid_body", "invalid_json", "invalid_name", "invalid_cursor",
    "invalid_date", "batch_too_large", "text_too_long", "too_little_data", "language", "unknown_parameter",
    "repeated_parameter", "client_closed", "internal", "model_unavailable", "profile_unreadable", "shutting_down",
    "storage_unavailable", "busy", "http_error"]


class ErrorDetail(BaseModel):
    code: ErrorCode
    message: str
    field: str | None = None
    details: list[ErrorProblem] | None = Field(None, description="every problem found (at most 1,000), the first being "
                                               "message/field: a 422's bad items of a batch, say; every 422 has "
                                               "it, other statuses need not")
    omitted: int | None = Field(None, description="how many more problems were found than details lists (absent "
                                "when it lists them all)")


class ErrorOut(BaseModel):
    error: ErrorDetail


# ---------------------------------------------------------------------- the DriftReport (docs/reference.md)
# Documentation only: /drift sends the library's report as it is (``drift.drift_report``); these models say
# its shape in /openapi.json (tests/test_drift.py validates every report it makes; tests/test_api.py too).


class DriftStats(_Described):
    n: int
    surprise: float = Field(description="mean surprise -ln(score/100) of the window's tested posts")
    surprise_sd: float
    mean: float
    sd: float
    off_voice: float = Field(description="the share of the window's tested posts scoring under 5")


class DriftTest(_Described):
    p_value: float
    value: float


class MovedFeature(_Described):
    feature: str = Field(description="the style feature's name (exclamation_rate, words...), new_emoji and "
                         "new_hashtags (emoji or hashtags the brand never used), or rules_broken (the posts breaking "
                         "one of the brand's rules, counted together, where no rule moved on its own)")
    window: float = Field(description="its value in the window's posts")
    voice: float = Field(description="its value in the brand's own writing")
    direction: Literal["up", "down"]
    p_value: float
    shift: float = Field(description="the change in the mean percentile among the brand's posts (-1 to 1)")
    label: str
    unit: str
    message: str = Field(description="the change in words, in the report's language")
    since: str | None = Field(None, description="the first window of the run of windows where it moved")
    posts: int | None = Field(None, description="new_emoji, new_hashtags: the posts holding one the brand never "
                              "used; rules_broken: the posts breaking a rule")
    of_posts: int | None = Field(None, description="new_emoji, new_hashtags: the window's posts with such marks; "
                                 "rules_broken: the window's posts")
    marks: list[str] | None = Field(None, description="new_emoji, new_hashtags: the most frequent of them, up to 5")
    rules: list[str] | None = Field(None, description="rules_broken: the features of the rules broken most often, up "
                                    "to 3")


#: A window's (or a group's) status, as typicality.window_test and drift_report set it.
WindowStatus = Literal["tested", "low-power", "too-few-posts", "learned", "empty"]


class GroupFigures(_Described):
    n: int
    n_scored: int
    learned: int = 0
    mean_score: float | None
    median_score: float | None = None
    off_voice_rate: float | None
    drift: bool | None = Field(description="null: too few posts to test, alone or with the small windows by it")
    p_value: float | None
    status: WindowStatus
    evidence: str | None = None
    stats: DriftStats | None = None


class DriftWindow(_Described):
    start: str = Field(description="first day (ISO date, inclusive)")
    end: str = Field(description="the day after the last (exclusive)")
    partial: bool = Field(description="since/until cut the window")
    n: int = Field(description="every post in the window")
    too_short: int
    learned: int = Field(description="posts the profile learned from: not tested")
    n_scored: int
    mean_score: float | None
    median_score: float | None
    off_voice_rate: float | None
    drift: bool | None = Field(description="null: too few posts to test, alone or with the small windows by it")
    p_value: float | None
    status: WindowStatus = Field(description=f"tested; low-power: tested, under {LOW_POWER_BELOW} posts; too-few-posts: "
                                             f"under {MIN_POSTS}, not tested alone (tested with the small windows "
                                             "next to it once they hold as many); learned: only posts the profile "
                                             "learned from; empty")
    evidence: str | None = Field(None, description="the test that judged the window, when not its own against "
                                                   "the profile ('against the earlier windows', 'with the window "
                                                   "next to it': drifting; 'with the small windows next to it': "
                                                   "drifting or not)")
    tests: dict[str, DriftTest] | None = None
    stats: DriftStats | None = None
    by: dict[str, GroupFigures] = Field(default_factory=dict, description="figures per group, with by=")
    top_features: list[MovedFeature] = Field(default_factory=list, description="at most five: a habit the brand never shows, now shown, first; then largest first")
    more_features: list[MovedFeature] = Field(default_factory=list)
    summary: str


class AlertFigures(_Described):
    n_scored: int
    mean_score: float
    off_voice_rate: float
    windows: int | None = None
    since: str | None = None
    window_starts: list[str] | None = None


class AlertExample(_Described):
    id: str
    date: str
    score: float
    verdict: str
    reason: str | None
    source: str | None = None
    channel: str | None = None
    author: str | None = None


class DriftAlert(_Described):
    start: str
    raised: str = Field(description="the window in which the evidence became enough")
    end: str
    windows: int
    window_starts: list[str]
    p_value: float
    kind: Literal["drift", "worse"] = Field(description="worse: clearly worse than the report's earlier windows")
    from_first_tested: bool
    message: str
    by: str | None = Field(None, description="with by=: the field of the group the alert is about")
    group: str | None = Field(None, description="with by=: the group the alert is about")
    overall: AlertFigures
    before: AlertFigures | None = Field(None, description="a worse alert: the windows it was compared with")
    after: AlertFigures | None = Field(None, description="a worse alert: the windows that raised it")
    examples: list[AlertExample] = Field(description="up to three of its lowest-scoring posts: what to read first")
    sources: list[str] | None = Field(None, description="the sources of its posts, when every one has one")


class PooledFigures(_Described):
    windows: int
    p_value: float
    drift: bool


class VersionCount(_Described):
    version: str
    n_posts: int
    last_scored_at: str | None = None


class OtherVersions(_Described):
    n_posts: int
    versions: list[VersionCount]


class ReportProfile(_Described):
    name: str
    version: str
    lang: str
    learned_at: str | None = None
    learned_period: list[str] | None = Field(None, description="the first and last day of the dated writing it "
                                                              "learned from", min_length=2, max_length=2)
    learned_sources: list[str] | None = Field(None, description="the sources of the writing it learned from")


class Reference(_Described):
    mean_score: float
    off_voice_rate: float
    score_band: list[float] = Field(description="where the middle half of the brand's own writing scores",
                                    min_length=2, max_length=2)
    off_voice_below: float


class MinEffect(_Described):
    surprise_at_least: float
    mean_score_at_most: float
    off_voice_at_least: float


class Method(_Described):
    min_posts: int = Field(description="fewer scored posts in a window: too few to test")
    low_power_below: int
    alpha: float = Field(description="the level of one window's test")
    strong_p: float = Field(description="the level of two windows pooled, and of a worse alert")
    test: str
    null_exponent: float = Field(description="the tolerance: the brand's new writing may score P(score < s) = "
                                             "(s/100)^a")
    null_measured: bool
    null_reason: Literal["measured", "undated", "few-recent", "unknown"]
    null_off_voice_rate: float
    null_mean_score: float
    min_effect: MinEffect
    alert: str


class UntestedOffVoice(_Described):
    group: str | None = Field(None, description="with by: the group; absent: all posts taken together")
    n_scored: int = Field(description="untested posts, from the first off-voice one")
    off_voice: int
    mean_score: float
    first: str = Field(description="the first window holding them (its start)")
    last: str = Field(description="the last window holding them (its start)")


class LeftBefore(_Described):
    n_posts: int
    earliest: str


class LeftAfter(_Described):
    n_posts: int
    latest: str


class DriftReportOut(_Described):
    """DriftReport (docs/reference.md): the same JSON as ``voicecheck report --format json``."""

    profile: ReportProfile = Field(description="the fixed reference")
    explained_in: Literal["en", "it"]
    window: Literal["day", "week", "month"]
    by: Literal["source", "channel", "author"] | None
    since: str | None
    until: str | None
    n_posts: int
    n_dated: int
    undated: int
    learned: int
    reference: Reference = Field(description="the brand's own writing: mean score 50, about 5% off-voice")
    method: Method = Field(description="the tests, their levels and the tolerance used")
    groups: list[str]
    windows: list[DriftWindow]
    alerts: list[DriftAlert]
    between_alerts: PooledFigures | None
    between_alerts_by: dict[str, PooledFigures]
    relearn_advised: bool
    untested_off_voice: list[UntestedOffVoice] = Field(
        description="writing whose posts after its last alert (all, without one) no test could judge (too few) but "
                    "are at least half off-voice: named in the summary, without a p-value")
    summary: str
    other_versions: OtherVersions | None = Field(None, description="the service: posts other versions scored, "
                                                                  "left out")
    left_before: LeftBefore | None = Field(None, description="the service, asked without since: posts dated before "
                                                            "the latest 1,000 windows, left out")
    left_after: LeftAfter | None = Field(None, description="the service, asked without until: posts dated more than "
                                                          "a year ahead, left out")
