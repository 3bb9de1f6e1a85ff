"""What a resident may report, per brigade, and how soon a report must be triaged: the city's
list in ``police/data/report_categories.yaml`` (a category's code is its Open311
``service_code``), and the triage deadline counted in working days (weekends and the country's
public holidays, from python-holidays, are not)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

import holidays
import yaml

from police.errors import N_, InvalidInput
from police.roles import Brigade

DEFAULT_FILE = Path(__file__).parent / "data" / "report_categories.yaml"


@dataclass(frozen=True)
class ReportCategory:
    code: str
    brigade: Brigade
    name_fr: str
    name_ar: str
    hint_fr: str
    hint_ar: str

    def name(self, language: str) -> str:
        return self.name_ar if language == "ar" else self.name_fr

    def hint(self, language: str) -> str:
        return self.hint_ar if language == "ar" else self.hint_fr


@dataclass(frozen=True)
class ReportCategories:
    categories: dict[str, ReportCategory]
    triage_working_days: int
    holiday_country: str
    weekend: frozenset[int]

    @classmethod
    def load(cls, path: Path = DEFAULT_FILE) -> ReportCategories:
        doc = yaml.safe_load(path.read_text(encoding="utf-8"))
        found = {}
        for c in doc["categories"]:
            found[c["code"]] = ReportCategory(
                code=c["code"],
                brigade=Brigade(c["brigade"]),
                name_fr=c["name"]["fr"],
                name_ar=c["name"]["ar"],
                hint_fr=c.get("hint", {}).get("fr", ""),
                hint_ar=c.get("hint", {}).get("ar", ""),
            )
        return cls(
            categories=found,
            triage_working_days=int(doc.get("triage_working_days", 2)),
            holiday_country=str(doc.get("holidays", "")),
            weekend=frozenset(int(d) for d in doc.get("weekend", [5, 6])),
        )

    def get(self, code: str) -> ReportCategory:
        found = self.categories.get(code.strip())
        if found is None:
            raise InvalidInput(N_("Choisissez ce que vous signalez."), field="category")
        return found

    def of_brigade(self, brigade: Brigade) -> list[ReportCategory]:
        return [c for c in self.categories.values() if c.brigade is brigade]

    def is_working_day(self, day: date) -> bool:
        if day.weekday() in self.weekend:
            return False
        if not self.holiday_country:
            return True
        return day not in holidays.country_holidays(self.holiday_country, years=day.year)

    def triage_due(self, received_on: date) -> date:
        """The last day to triage a report received on ``received_on``: that many working
        days after it (a report received on a Friday evening is due on Tuesday)."""
        day, left = received_on, self.triage_working_days
        while left:
            day += timedelta(days=1)
            if self.is_working_day(day):
                left -= 1
        return day
