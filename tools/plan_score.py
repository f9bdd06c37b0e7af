"""How well the plan reader reads plans, measured against ledgers a person built by reading them.

    python tools/plan_score.py                      # the figures, per plan and overall
    python tools/plan_score.py --errors             # and every disagreement, task by task
    python tools/plan_score.py --json
    python tools/plan_score.py --part held-out     # only the parts read after the rules were written

The gold ledgers (``tests/analytics/gold/ledgers.csv``, how they were made: the README beside it)
give, per task, the line where it starts, its number, its lead, responsible and cooperating units
and its deadline. The reader (:func:`gongjian.analytics.plantext.parse_plan`) reads the plan files
in ``../shared/seeds``; a proposed task is matched to a gold task by plan and line. Figures:

* task recall and precision (precision among the proposed tasks within the lines the gold covers);
* lead units exactly right (the set of lead units equal), of the matched tasks;
* responsible and cooperating units: recall and precision over all matched tasks' names;
* deadline agreement: the task's governing deadline (the latest due date it states, or the kind -
  ``ongoing``, ``yearly`` - when it states no date; empty when none), of the matched tasks;
* flagged errors: of the gold tasks with any unit error (a unit wrong or missing in any role, or
  the task missed), the share that the reader flagged (a flagged task, or a missed one listed as
  left out); and of the flagged tasks, the share that held an error.

Names are compared in the canonical form of :func:`gongjian.analytics.orgnames.normalise`
(full-width brackets as half-width, no spaces).

Besides per plan file, the figures are given per *part* (``parts.csv`` beside the ledgers: the line
span of one plan read into the gold) and for the parts held out (read into the gold before the reader
was run on them - the out-of-sample measurement) and those that were not; a proposed task counts
towards a part's precision when it lies within the part's span.
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GOLD = ROOT / "tests" / "analytics" / "gold" / "ledgers.csv"
PARTS = GOLD.with_name("parts.csv")
SEEDS = ROOT.parent / "shared" / "seeds"
ROLES = ("lead", "responsible", "cooperating")
GOALS = {"task_recall": 0.95, "task_precision": 0.95, "lead_exact": 0.95, "responsible_recall": 0.90,
         "cooperating_recall": 0.90, "deadline_agreement": 0.95, "errors_flagged": 0.90}


@dataclass
class Score:
    gold: int = 0
    proposed: int = 0
    matched: int = 0
    lead_exact: int = 0
    deadlines: int = 0
    units: dict[str, list[int]] = field(default_factory=lambda: {r: [0, 0, 0] for r in ROLES})  # gold, read, both
    with_error: int = 0
    error_flagged: int = 0
    flagged: int = 0
    flagged_with_error: int = 0
    errors: list[str] = field(default_factory=list)

    def figures(self) -> dict[str, float | None]:
        def share(a, b):
            return round(a / b, 3) if b else None  # no data, not full marks

        out = {"tasks": self.gold, "task_recall": share(self.matched, self.gold),
               "task_precision": share(self.matched, self.proposed), "lead_exact": share(self.lead_exact, self.matched)}
        for role in ("responsible", "cooperating"):
            gold, read, both = self.units[role]
            out[f"{role}_recall"], out[f"{role}_precision"] = share(both, gold), share(both, read)
        out["deadline_agreement"] = share(self.deadlines, self.matched)
        out["tasks_with_unit_error"] = self.with_error
        out["errors_flagged"] = share(self.error_flagged, self.with_error)
        out["flags_with_error"] = share(self.flagged_with_error, self.flagged)
        return out


def governing(deadlines) -> str:
    """The deadline a task is held to: the latest due date it states (a period's start does not
    count), else the kind of its first deadline, else ''."""
    dues = [d.due for d in deadlines if d.due and d.kind != "from"]
    if dues:
        return max(dues).isoformat()
    return deadlines[0].kind if deadlines else ""


def read_gold(path: Path = GOLD) -> dict[str, list[dict]]:
    by_plan: dict[str, list[dict]] = {}
    with path.open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            by_plan.setdefault(row["plan"], []).append(row)
    return by_plan


def read_parts(path: Path = PARTS) -> list[dict]:
    """The parts of the gold: plan file, first and last line, name, held out (``yes``/``no``)."""
    if not path.is_file():
        return []
    with path.open(encoding="utf-8") as fh:
        return [dict(row, first=int(row["first"]), last=int(row["last"])) for row in csv.DictReader(fh)]


def _add(total: Score, s: Score) -> None:
    for name in ("gold", "proposed", "matched", "lead_exact", "deadlines", "with_error", "error_flagged",
                 "flagged", "flagged_with_error"):
        setattr(total, name, getattr(total, name) + getattr(s, name))
    for role in ROLES:
        total.units[role] = [a + b for a, b in zip(total.units[role], s.units[role], strict=True)]
    total.errors += s.errors


def _names(text_or_list) -> set[str]:
    from gongjian.analytics.orgnames import normalise

    items = text_or_list.split(";") if isinstance(text_or_list, str) else text_or_list
    return {normalise(n) for n in items if n}


def score_rows(plan_file: str, rows: list[dict], proposed: dict, left_out: set[int]) -> Score:
    """One plan's gold rows against the tasks proposed (by line) within their span."""
    s = Score(gold=len(rows), proposed=len(proposed))
    for row in rows:
        line = int(row["line"])
        task = proposed.get(line)
        if task is None:
            s.with_error += 1
            s.error_flagged += line in left_out
            s.errors.append(f"{plan_file}:{line} task {row['number']} missed"
                            f"{' (listed as left out)' if line in left_out else ''}")
            continue
        s.matched += 1
        wrong = []
        for role in ROLES:
            gold, read = _names(row[role]), _names(getattr(task, role))
            s.units[role][0] += len(gold)
            s.units[role][1] += len(read)
            s.units[role][2] += len(gold & read)
            if gold != read:
                wrong.append(f"{role}: missing {sorted(gold - read)} extra {sorted(read - gold)}")
        s.lead_exact += _names(row["lead"]) == _names(task.lead)
        deadline = governing(task.deadlines)
        s.deadlines += deadline == row["deadline"]
        flagged = bool(task.problems)
        s.flagged += flagged
        if wrong:
            s.with_error += 1
            s.error_flagged += flagged
            s.flagged_with_error += flagged
        if wrong or deadline != row["deadline"]:
            reasons = "; ".join(f.code for f in task.problems)
            s.errors.append(f"{plan_file}:{line} task {row['number']}{f' [flagged: {reasons}]' if flagged else ''}: "
                            + "; ".join(wrong + ([f"deadline {deadline!r} not {row['deadline']!r}"]
                                                 if deadline != row["deadline"] else [])))
    return s

def score(seeds: Path = SEEDS, gold_path: Path = GOLD, parts_path: Path = PARTS) -> dict[str, Score]:
    """The scores per plan file, per part (``"part:<name>"``), for the held-out parts and the others
    (``"held-out"``, ``"tuned"``) and overall (``"all"``)."""
    parts = read_parts(parts_path)
    by_part = {p["part"]: Score() for p in parts}
    from gongjian.analytics.plantext import parse_plan

    scores = {"all": Score()}
    for plan_file, rows in read_gold(gold_path).items():
        parsed = parse_plan((seeds / plan_file).read_text(encoding="utf-8"))
        first, last = min(int(r["line"]) for r in rows), max(int(r["line"]) for r in rows)
        proposed = {t.line: t for t in parsed.tasks if first <= t.line <= last}
        left_out = {item.line for item in parsed.left_out}
        s = scores[plan_file] = score_rows(plan_file, rows, proposed, left_out)
        _add(scores["all"], s)
        for part in (p for p in parts if p["plan"] == plan_file):
            inside = [r for r in rows if part["first"] <= int(r["line"]) <= part["last"]]
            one = score_rows(plan_file, inside, {n: t for n, t in proposed.items()
                                                 if part["first"] <= n <= part["last"]}, left_out)
            _add(by_part[part["part"]], one)
    for group, held in (("held-out", "yes"), ("tuned", "no")):
        chosen = [p["part"] for p in parts if p["held_out"] == held]
        if chosen:
            total = scores[group] = Score()
            for name in chosen:
                _add(total, by_part[name])
    scores.update({f"part:{name}": s for name, s in by_part.items()})
    return scores


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--errors", action="store_true", help="list every disagreement")
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--part", help="only this group or part: held-out, tuned, a part's name, a plan file")
    args = parser.parse_args(argv)
    if not SEEDS.is_dir():
        print(f"needs the seed plans in {SEEDS}", file=sys.stderr)
        return 2
    sys.path.insert(0, str(ROOT / "src"))
    scores = score()
    if args.part:
        key = args.part if args.part in scores else f"part:{args.part}"
        if key not in scores:
            print(f"no part {args.part!r}: {', '.join(scores)}", file=sys.stderr)
            return 2
        scores = {key: scores[key]}
    if args.json:
        print(json.dumps({k: v.figures() for k, v in scores.items()}, ensure_ascii=False, indent=2))
        return 0
    for name, s in scores.items():
        print(name)
        for key, value in s.figures().items():
            goal = GOALS.get(key)
            mark = "" if goal is None or value is None else ("  ok" if value >= goal else f"  below {goal}")
            print(f"  {key:24} {'no data' if value is None else value}{mark}")
    if args.errors:
        print("\n".join(next(iter(scores.values())).errors if args.part else scores["all"].errors))
    return 0


if __name__ == "__main__":
    sys.exit(main())
