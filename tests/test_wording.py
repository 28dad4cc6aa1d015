"""The words voicecheck explains in: numbers, dates and names in English and Italian."""

import datetime as dt

import pytest

from voicecheck.errors import InputError
from voicecheck.style import FEATURES
from voicecheck.wording import (SPOKEN, count, day_text, explain_language, feature_words, fixed, language_name,
                                month_text, number)


def test_the_profile_language_is_spoken_when_voicecheck_speaks_it():
    assert explain_language(None, "it") == "it"
    assert explain_language(None, "en") == "en"
    assert explain_language(None, "de") == "en"  # not spoken: English
    assert explain_language("EN", "it") == "en"
    assert explain_language(" it ", "en") == "it"


def test_an_unspoken_language_is_refused_with_the_choices():
    with pytest.raises(InputError, match=r"explain_in 'fr'.*en or it"):
        explain_language("fr", "it")


def test_numbers_take_the_languages_decimal_mark_and_grouping():
    assert number(3.14, "en") == "3.1" and number(3.14, "it") == "3,1"
    assert number(12.0, "it") == "12" and number(12.5, "it") == "12,5"
    assert number(1234.4, "en") == "1,234" and number(1234.4, "it") == "1.234"
    assert count(12345, "it") == "12.345"
    assert fixed(0.456, "it", 2) == "0,46"
    assert number(-2.25, "it") == "-2,2"
    assert number(94.95, "it") == "95" and number(9.96, "en") == "10"  # as shown: not "95,0" beside "79"


def test_dates_name_the_month_whatever_the_locale():
    day = dt.date(2026, 3, 1)
    assert day_text(day, "en") == "1 March 2026"
    assert day_text(day, "it") == "1º marzo 2026"
    assert day_text(dt.date(2026, 3, 30), "it", year=False) == "30 marzo"
    assert month_text(dt.date(2026, 12, 5), "it") == "dicembre 2026"
    assert month_text(dt.date(2026, 12, 5), "en", year=False) == "December"


def test_every_style_feature_has_words_in_every_spoken_language():
    for lang in SPOKEN:
        for f in FEATURES:
            label, unit = feature_words(f.name, lang)
            assert label, (lang, f.name)
            if f.unit:
                assert unit, (lang, f.name)
    assert feature_words("exclamation_rate", "en") == ("exclamation marks", "per 100 words")
    assert feature_words("exclamation_rate", "it") == ("punti esclamativi", "ogni 100 parole")


def test_language_names():
    assert language_name("en", "it") == "inglese"
    assert language_name("it", "en") == "Italian"
    assert language_name("xx", "it") == "xx"


def test_italian_articles_before_numbers():
    from voicecheck.wording import article_it, month_span, percent_after

    assert article_it("84", "di", plural=True) == "degli 84" and article_it("48", "di", plural=True) == "dei 48"
    assert article_it("11", plural=True) == "gli 11" and article_it("18", plural=True) == "i 18"
    assert article_it("8%", "in") == "nell'8%" and article_it("1.000", "di") == "del 1.000"
    assert article_it("8.000", "di") == "dell'8.000" and article_it("1º marzo", "da") == "dal 1º marzo"
    assert [percent_after(p, "in", "it") for p in (1, 5, 11, 18, 80)] == ["nell'1%", "nel 5%", "nell'11%", "nel 18%",
                                                                          "nell'80%"]
    assert month_span(dt.date(2026, 6, 1), dt.date(2026, 8, 1), "it") == "da giugno ad agosto 2026"
    # zero is read "zero": "lo 0%", "nello 0%" (a review found "il 0%" in a report)
    assert article_it("0%") == "lo 0%" and percent_after(0, "in", "it") == "nello 0%"
    assert article_it("0,5%", "da") == "dallo 0,5%" and article_it("10%") == "il 10%"
