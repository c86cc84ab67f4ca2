"""Working-day provider: official calendar, overrides, estimate, strict mode, warnings.

Estimate tests use 2099 so they do not change when chinesecalendar publishes a new year.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest

from models import Source
from planner.workdays.official import (
    DayInfo,
    EstimatedYearRefused,
    WorkdayProvider,
    chinese_calendar_lookup,
    estimate_year,
    official_known_years,
)


def _fake_official(d: date) -> tuple[bool, str]:
    """Knows 2030 only: every weekday works except 2030-01-01 (元旦); Sat 2030-01-05 works."""
    if d.year != 2030:
        raise NotImplementedError(d.year)
    if d == date(2030, 1, 1):
        return False, "元旦"
    if d == date(2030, 1, 5):
        return True, "调休上班"
    return (True, "") if d.weekday() < 5 else (False, "周末")


# --- official ---------------------------------------------------------------------------------


def test_official_range_covers_2026() -> None:
    first, last = official_known_years()
    assert first <= 2024 and last >= 2026


def test_official_makeup_saturday_2026_02_14_is_working() -> None:
    wp = WorkdayProvider()
    info = wp.info(date(2026, 2, 14))
    assert date(2026, 2, 14).weekday() == 5
    assert info == DayInfo(date(2026, 2, 14), True, Source.OFFICIAL, "调休上班")


def test_official_spring_festival_2026_is_off() -> None:
    wp = WorkdayProvider()
    # 2026 notice: 2月15日(周日)至23日(周一)放假调休,共9天
    for offset in range(9):
        d = date(2026, 2, 15) + timedelta(days=offset)
        assert not wp.is_working(d), d
    assert wp.info(date(2026, 2, 17)).name == "春节"
    assert wp.is_working(date(2026, 2, 24))


def test_official_national_day_2025_is_off() -> None:
    wp = WorkdayProvider()
    # 2025: 10月1日至8日放假调休 (国庆节 + 中秋 on Oct 6); Sat Oct 11 works
    assert not any(wp.is_working(date(2025, 10, day)) for day in range(1, 9))
    assert wp.info(date(2025, 10, 1)).name == "国庆节"
    assert wp.info(date(2025, 10, 6)).name == "中秋"
    assert wp.is_working(date(2025, 10, 11))
    assert wp.source(date(2025, 10, 1)) is Source.OFFICIAL


def test_official_ordinary_weekend_and_weekday() -> None:
    wp = WorkdayProvider()
    assert wp.info(date(2025, 3, 8)) == DayInfo(date(2025, 3, 8), False, Source.OFFICIAL, "周末")
    assert wp.info(date(2025, 3, 10)) == DayInfo(date(2025, 3, 10), True, Source.OFFICIAL, "")


# --- overrides --------------------------------------------------------------------------------


def test_override_closed_beats_official_workday() -> None:
    wp = WorkdayProvider(closed=[date(2026, 2, 14), date(2025, 3, 10)])
    for d in (date(2026, 2, 14), date(2025, 3, 10)):
        assert wp.info(d) == DayInfo(d, False, Source.OVERRIDE, "放假")


def test_override_workday_beats_official_holiday() -> None:
    wp = WorkdayProvider(workdays=[date(2025, 10, 8)])
    assert wp.info(date(2025, 10, 8)) == DayInfo(
        date(2025, 10, 8), True, Source.OVERRIDE, "调休上班"
    )
    assert not wp.is_working(date(2025, 10, 7))


def test_closed_wins_over_workdays_for_the_same_date() -> None:
    d = date(2026, 3, 2)
    wp = WorkdayProvider(closed=[d], workdays=[d])
    assert not wp.is_working(d)
    assert wp.source(d) is Source.OVERRIDE


# --- estimate ---------------------------------------------------------------------------------


def test_2099_is_estimated_with_spring_festival_and_national_day_off() -> None:
    wp = WorkdayProvider()
    # 2099: 除夕 Tue Jan 20, so 春节 Jan 20–27; 中秋 Tue Sep 29 merges with 国庆节
    for offset in range(8):
        d = date(2099, 1, 20) + timedelta(days=offset)
        info = wp.info(d)
        assert not info.working and info.source is Source.ESTIMATED, d
    assert wp.info(date(2099, 1, 21)).name == "春节"
    oct1 = wp.info(date(2099, 10, 1))
    assert oct1 == DayInfo(date(2099, 10, 1), False, Source.ESTIMATED, "国庆节")
    assert wp.info(date(2099, 9, 29)).name == "中秋"
    # an ordinary day of an estimated year is estimated too
    assert wp.info(date(2099, 3, 3)) == DayInfo(date(2099, 3, 3), True, Source.ESTIMATED, "")


def test_estimate_make_up_days_2099() -> None:
    est = estimate_year(2099)
    makeups = sorted(d for d, i in est.items() if i.working and d.weekday() >= 5)
    # 元旦 Thu → Sun Jan 4; 春节 → Sun Jan 18, Sat Jan 31; 劳动节 → Sat May 9;
    # 端午 Tue Jun 23 → Sat Jun 20; 国庆节+中秋 → Sun Sep 27, Sat Oct 10
    assert [d.isoformat() for d in makeups] == [
        "2099-01-04",
        "2099-01-18",
        "2099-01-31",
        "2099-05-09",
        "2099-06-20",
        "2099-09-27",
        "2099-10-10",
    ]
    assert all(i.name == "调休上班" for d, i in est.items() if d in makeups)
    assert len(est) == 365


@pytest.mark.parametrize("year", [2025, 2026])
def test_estimate_agrees_with_published_years_under_2025_rules(year: int) -> None:
    est = estimate_year(year)
    agree = sum(i.working == chinese_calendar_lookup(d)[0] for d, i in est.items())
    assert agree / len(est) >= 0.97


def test_estimate_outside_lunar_range_raises() -> None:
    with pytest.raises(ValueError, match="1900"):
        estimate_year(2100)


def test_strict_refuses_2099_but_not_official_or_overridden_days() -> None:
    wp = WorkdayProvider(workdays=[date(2099, 1, 24)], strict=True)
    with pytest.raises(EstimatedYearRefused) as caught:
        wp.info(date(2099, 10, 1))
    assert caught.value.year == 2099
    assert "2099" in str(caught.value) and "calendar.toml" in str(caught.value)
    with pytest.raises(EstimatedYearRefused):
        wp.is_working(date(2099, 3, 3))
    with pytest.raises(EstimatedYearRefused):
        wp.working_days(date(2099, 1, 1), date(2099, 1, 31))
    assert wp.is_working(date(2099, 1, 24))
    assert wp.is_working(date(2026, 2, 14))


# --- ranges, warnings, injection --------------------------------------------------------------


def test_working_days_counts() -> None:
    wp = WorkdayProvider()
    # Feb 2026: 20 weekdays − 6 off for 春节 (16–20, 23) + 2 make-up Saturdays (14, 28) = 16
    feb = wp.working_days(date(2026, 2, 1), date(2026, 2, 28))
    assert len(feb) == 16
    assert date(2026, 2, 14) in feb and date(2026, 2, 16) not in feb
    assert wp.working_days(date(2026, 2, 14), date(2026, 2, 14)) == [date(2026, 2, 14)]
    assert wp.working_days(date(2026, 2, 15), date(2026, 2, 15)) == []
    # Oct 2025: 23 weekdays − 6 off (1–3, 6–8) + Sat Oct 11 = 18
    assert len(wp.working_days(date(2025, 10, 1), date(2025, 10, 31))) == 18


def test_estimated_years() -> None:
    wp = WorkdayProvider()
    assert wp.estimated_years(date(2025, 1, 1), date(2026, 12, 31)) == []
    assert wp.estimated_years(date(2098, 6, 1), date(2099, 2, 1)) == [2098, 2099]
    # a year whose days in range are all overridden does not count
    covered = WorkdayProvider(closed=[date(2099, 1, 1)], workdays=[date(2099, 1, 2)])
    assert covered.estimated_years(date(2098, 12, 31), date(2099, 1, 2)) == [2098]
    assert covered.estimated_years(date(2099, 1, 1), date(2099, 1, 2)) == []


def test_warnings_list_estimated_years() -> None:
    wp = WorkdayProvider()
    assert wp.warning_zh(date(2025, 9, 1), date(2026, 7, 1)) is None
    assert wp.warning_en(date(2025, 9, 1), date(2026, 7, 1)) is None
    zh = wp.warning_zh(date(2098, 9, 1), date(2099, 7, 1))
    assert zh is not None
    assert zh.startswith("2098、2099 年的国务院放假安排尚未收录")
    assert "估算" in zh and "calendar.toml 的 closed(放假日期)和 workdays" in zh
    assert "chinesecalendar" not in zh  # a clerk is never asked to upgrade a package
    en = wp.warning_en(date(2098, 9, 1), date(2099, 7, 1))
    assert en is not None and "2098, 2099" in en


def test_injected_official_and_estimate_for_unknown_years() -> None:
    wp = WorkdayProvider(official=_fake_official)
    assert wp.info(date(2030, 1, 1)) == DayInfo(date(2030, 1, 1), False, Source.OFFICIAL, "元旦")
    assert wp.is_working(date(2030, 1, 5))
    assert wp.source(date(2031, 1, 1)) is Source.ESTIMATED
    assert wp.estimated_years(date(2030, 1, 1), date(2031, 1, 1)) == [2031]


def test_datetime_argument_is_treated_as_its_date() -> None:
    wp = WorkdayProvider()
    assert wp.is_working(datetime(2026, 2, 14, 9, 30))
    assert wp.info(datetime(2026, 2, 15, 9, 30)).day == date(2026, 2, 15)
