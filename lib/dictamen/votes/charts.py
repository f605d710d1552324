"""Vote charts: hemicycle, stacked bars by party, cohesion, stage comparison, margins, composition.

Each function takes a data frame from :mod:`dictamen.votes`, builds a figure without pyplot, and
returns a :class:`dictamen.figures.Chart` whose alt text is computed from the same data. Seat
geometry comes from ``parliamentarch`` (``get_seats_centers``), not from our own trigonometry.
Colours are the Okabe-Ito palette, distinguishable with the common colour-vision deficiencies.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.collections import PatchCollection
from matplotlib.patches import Circle, Patch
from parliamentarch.geometry import get_nrows_from_nseats, get_row_thickness, get_seats_centers

from dictamen.figures import Chart, new_figure
from dictamen.messages import _, say
from dictamen.prose import number, percent

VOTE_COLOURS = {"yes": "#0072B2", "no": "#D55E00", "abstain": "#E69F00", "present": "#F0E442",
                "absent": "#BBBBBB", "excused": "#999999", "paired": "#56B4E9", "invalid": "#CC79A7",
                "not_voting": "#BBBBBB", "vacant": "#FFFFFF"}


def vote_label(option: str) -> str:
    """A vote option's label in the language in use."""
    return {"yes": _("Yes"), "no": _("No"), "abstain": _("Abstain"), "present": _("Present, not voting"),
            "absent": _("Absent"), "excused": _("Excused"), "paired": _("Paired or announced"),
            "invalid": _("Invalid"), "not_voting": _("Not voting"), "vacant": _("Vacant")}[option]


def colour_name(option: str) -> str:
    """The colour of an option's dots, in words, for alt text."""
    return {"yes": _("blue"), "no": _("vermilion"), "abstain": _("orange"), "present": _("yellow"),
            "absent": _("grey"), "excused": _("dark grey"), "paired": _("light blue"), "invalid": _("pink"),
            "not_voting": _("grey"), "vacant": _("white")}[option]


GROUP_COLOURS = ["#0072B2", "#D55E00", "#009E73", "#E69F00", "#CC79A7", "#56B4E9", "#F0E442", "#000000",
                 "#999999", "#882255"]


def _shortened(label: str, limit: int = 70) -> str:
    """An axis label cut to ``limit`` characters (the alt text keeps the whole label)."""
    return label if len(label) <= limit else label[:limit - 1].rstrip() + "…"


def _joined(parts: list[str]) -> str:
    """Parts of an alt text, separated by semicolons."""
    return "; ".join(parts)


def _seat_positions(n_seats: int) -> tuple[np.ndarray, float]:
    """Seat centres from left to right (parliamentarch's order) and the seat radius."""
    centres = get_seats_centers(n_seats)
    ordered = sorted(centres, key=centres.__getitem__, reverse=True)
    radius = 0.8 * get_row_thickness(get_nrows_from_nseats(n_seats))
    return np.array(ordered), radius


def _draw_hemicycle(axes, colours: list[str], groups: list[str]) -> None:
    positions, radius = _seat_positions(len(colours))
    circles = [Circle((x, y), radius) for x, y in positions]
    edge = ["#444444" if c == VOTE_COLOURS["vacant"] else c for c in colours]
    axes.add_collection(PatchCollection(circles, facecolor=colours, edgecolor=edge, linewidth=0.5))
    labels = pd.Series(groups)
    if labels.ne("").any():
        for group, index in labels.groupby(labels, sort=False).groups.items():
            if not group:
                continue
            x, y = positions[list(index)].mean(axis=0) - (1, 0)
            angle = np.arctan2(y, x)
            axes.text(1 + 1.1 * np.cos(angle), 1.1 * np.sin(angle), f"{group} ({len(index)})",
                      ha="center", va="bottom", fontsize=9)
    axes.set_xlim(-0.1, 2.1)
    axes.set_ylim(-0.05, 1.25)
    axes.set_aspect("equal")
    axes.axis("off")


def seats_from_counts(counts: dict[str, int | None], unknown_label: str = "not_voting") -> pd.DataFrame:
    """One row per seat (group unknown) from counts per option; missing counts are skipped."""
    votes = [option for option, n in counts.items() if n for _ in range(int(n))]
    return pd.DataFrame({"group": "", "vote": votes})


def seats_from_members(member_votes: pd.DataFrame, seats: int) -> pd.DataFrame:
    """One row per seat: members by party (left to right) then vote; empty seats as vacant at the right."""
    table = member_votes[["party", "vote"]].rename(columns={"party": "group"})
    vacant = seats - len(table)
    if vacant > 0:
        table = pd.concat([table, pd.DataFrame({"group": "Vacant", "vote": ["vacant"] * vacant})], ignore_index=True)
    return table


def hemicycle(seats: pd.DataFrame, title: str, *, not_voting_label: str | None = None) -> Chart:
    """Parliament diagram, one dot per seat coloured by vote, grouped by party where known."""
    figure = new_figure(8, 4.6)
    axes = figure.add_subplot()
    colours = [VOTE_COLOURS[v] for v in seats["vote"]]
    _draw_hemicycle(axes, colours, seats["group"].tolist())
    counts = seats["vote"].value_counts()
    label = {o: vote_label(o) for o in VOTE_COLOURS}
    if not_voting_label:
        label["not_voting"] = not_voting_label
    shown = [option for option in VOTE_COLOURS if counts.get(option, 0)]
    axes.legend(handles=[Patch(facecolor=VOTE_COLOURS[o], edgecolor="#444444",
                               label=f"{label[o]}: {number(int(counts[o]))}") for o in shown],
                loc="lower center", ncol=min(len(shown), 3), frameon=False, fontsize=9,
                bbox_to_anchor=(0.5, -0.12))
    axes.set_title(title)
    parts = ", ".join(say("{n} {option} ({colour})", n=int(counts[o]), option=label[o].lower(), colour=colour_name(o))
                      for o in shown)
    alt = say("Hemicycle of {seats} seats, one dot per seat: {parts}.", seats=len(seats), parts=parts)
    groups = seats.loc[seats["group"] != ""]
    if len(groups):
        by_group = []
        for group, votes in groups.groupby("group", sort=False)["vote"]:
            detail = ", ".join(f"{number(int(n))} {label[o].lower()}" for o, n in votes.value_counts().items())
            by_group.append(f"{group} {number(len(votes))} ({detail})")
        alt += " " + say("Seats grouped left to right: {groups}.", groups=_joined(by_group))
    else:
        alt += " " + _("Party of each vote not known: seats are grouped by vote only.")
    return Chart(figure, alt=alt, caption=title)


def party_bars(breakdown: pd.DataFrame, title: str) -> Chart:
    """Stacked horizontal bars: each party's members by vote option."""
    options = [o for o in VOTE_COLOURS if o in breakdown and breakdown[o].sum() > 0]
    figure = new_figure(8, 1.2 + 0.6 * len(breakdown))
    axes = figure.add_subplot()
    left = np.zeros(len(breakdown))
    for option in options:
        values = breakdown[option].to_numpy()
        axes.barh(breakdown["party"], values, left=left, color=VOTE_COLOURS[option], edgecolor="white",
                  label=vote_label(option))
        for y, (x0, value) in enumerate(zip(left, values)):
            if value:
                axes.text(x0 + value / 2, y, str(int(value)), ha="center", va="center", fontsize=8,
                          color="white" if option in ("yes", "no") else "black")
        left += values
    axes.invert_yaxis()
    axes.set_xlabel(_("Members"))
    axes.legend(loc="lower center", bbox_to_anchor=(0.5, 1.0), ncol=len(options), frameon=False, fontsize=8)
    axes.set_title(title, pad=24)
    lines = [f"{row['party']}: " + ", ".join(f"{number(int(row[o]))} {vote_label(o).lower()}" for o in options)
             for _index, row in breakdown.iterrows()]
    return Chart(figure, alt=say("Stacked bars of members' votes by party. {lines}.", lines=_joined(lines)),
                 caption=title)


def cohesion_chart(table: pd.DataFrame, measures: dict[str, str], title: str) -> Chart:
    """Grouped horizontal bars of cohesion indices (0 to 1) per party."""
    figure = new_figure(8, 1.4 + 0.8 * len(table))
    axes = figure.add_subplot()
    height = 0.8 / len(measures)
    y = np.arange(len(table))
    palette = ["#0072B2", "#009E73", "#CC79A7", "#E69F00"]
    for i, (column, label) in enumerate(measures.items()):
        values = table[column].to_numpy(dtype="float64")
        axes.barh(y + i * height, np.nan_to_num(values), height=height, color=palette[i % len(palette)], label=label)
        for yy, value in zip(y + i * height, values):
            axes.text((0 if np.isnan(value) else value) + 0.01, yy, _("n/a") if np.isnan(value) else number(value, 2),
                      va="center", fontsize=8)
    axes.set_yticks(y + height * (len(measures) - 1) / 2, table["party"])
    axes.invert_yaxis()
    axes.set_xlim(0, 1.12)
    axes.set_xlabel(_("Index (1 = fully united)"))
    axes.legend(loc="lower center", bbox_to_anchor=(0.5, 1.0), ncol=len(measures), frameon=False, fontsize=8)
    axes.set_title(title, pad=24)
    lines = []
    for row in table.itertuples():
        values = ", ".join(f"{label} {_('not defined') if pd.isna(getattr(row, column)) else number(getattr(row, column), 2)}"
                           for column, label in measures.items())
        lines.append(f"{row.party}: {values}")
    return Chart(figure, alt=say("Bars of party cohesion indices from 0 to 1. {lines}.", lines=_joined(lines)),
                 caption=title)


def stage_chart(stages: pd.DataFrame, title: str) -> Chart:
    """Every stage of a law as a bar of shares of those present: yes, no, abstain (counts labelled)."""
    figure = new_figure(9, 1.4 + 0.6 * len(stages))
    axes = figure.add_subplot()
    present = (stages["yes"] + stages["no"] + stages["abstain"].fillna(0)).to_numpy(dtype="float64")
    left = np.zeros(len(stages))
    for option in ("yes", "no", "abstain"):
        counts = stages[option].fillna(0).to_numpy(dtype="float64")
        shares = counts / present
        axes.barh(np.arange(len(stages)), shares, left=left, color=VOTE_COLOURS[option], edgecolor="white",
                  label=vote_label(option))
        for y, (x0, share, count) in enumerate(zip(left, shares, counts)):
            if count:
                axes.text(x0 + share / 2, y, str(int(count)), ha="center", va="center", fontsize=8,
                          color="white" if option != "abstain" else "black")
        left += shares
    axes.set_yticks(np.arange(len(stages)), [_shortened(label) for label in stages["label"]])
    axes.invert_yaxis()
    axes.set_xlim(0, 1)
    axes.set_xlabel(_("Share of members present (yes + no + abstain reported)"))
    axes.legend(loc="lower center", bbox_to_anchor=(0.5, 1.0), ncol=3, frameon=False, fontsize=8)
    axes.set_title(title, pad=24)
    lines = []
    for row in stages.itertuples():
        abstain = (_("abstentions not reported") if pd.isna(row.abstain)
                   else say("{n} abstaining", n=int(row.abstain)))
        lines.append(say("{label}: {yes} yes, {no} no, {abstain}", label=row.label, yes=int(row.yes), no=int(row.no),
                         abstain=abstain))
    return Chart(figure, alt=say("Bars comparing the stages of the vote as shares of those present. {lines}.",
                                 lines=_joined(lines)), caption=title)


def margin_chart(rollcalls: pd.DataFrame, rule_description: str, title: str) -> Chart:
    """Histogram of every roll call's margin (yes votes minus votes needed) under a rule."""
    margins = rollcalls["margin"].dropna().astype(int).to_numpy()
    figure = new_figure(8, 4)
    axes = figure.add_subplot()
    bins = np.arange(margins.min() - 0.5, margins.max() + 1.5, max(1, (margins.max() - margins.min()) // 40 or 1))
    axes.hist(margins[margins >= 0], bins=bins, color=VOTE_COLOURS["yes"], label=_("Passed under the rule"))
    axes.hist(margins[margins < 0], bins=bins, color=VOTE_COLOURS["no"], label=_("Failed under the rule"))
    axes.axvline(0, color="black", linewidth=0.8)
    axes.set_xlabel(say("Margin: yes votes minus votes needed ({rule})", rule=rule_description))
    axes.set_ylabel(_("Roll calls"))
    axes.legend(frameon=False, fontsize=8)
    axes.set_title(title)
    passed = int((margins >= 0).sum())
    alt = say("Histogram of margins over {n} roll calls under {rule}: {passed} passed and {failed} failed; median "
              "margin {median}, from {low} to {high}; {close} roll calls within 5 votes of the threshold.",
              n=len(margins), rule=rule_description, passed=passed, failed=len(margins) - passed,
              median=float(np.median(margins)), low=int(margins.min()), high=int(margins.max()),
              close=int((np.abs(margins) <= 5).sum()))
    return Chart(figure, alt=alt, caption=title)


def composition_chart(composition: pd.DataFrame, title: str) -> Chart:
    """Hemicycle of seats per group on one date (context), one colour per group."""
    figure = new_figure(8, 4.6)
    axes = figure.add_subplot()
    groups = composition["group"].tolist()
    colour_of = {g: GROUP_COLOURS[i % len(GROUP_COLOURS)] for i, g in enumerate(groups)}
    seat_groups = [g for g, n in zip(groups, composition["seats"]) for _ in range(int(n))]
    _draw_hemicycle(axes, [colour_of[g] for g in seat_groups], [""] * len(seat_groups))
    axes.legend(handles=[Patch(facecolor=colour_of[g], label=f"{g}: {number(int(n))}")
                         for g, n in zip(groups, composition["seats"])],
                loc="lower center", ncol=5, frameon=False, fontsize=8, bbox_to_anchor=(0.5, -0.16))
    axes.set_title(title)
    total = int(composition["seats"].sum())
    parts = ", ".join(f"{g} {number(int(n))} ({percent(n / total)})" for g, n in zip(groups, composition["seats"]))
    alt = say("Hemicycle of {seats} seats coloured by group, left to right in file order: {parts}. {title}.",
              seats=total, parts=parts, title=title)
    return Chart(figure, alt=alt, caption=title)


def agreement_chart(agreement: pd.DataFrame, title: str) -> Chart:
    """Party x party matrix of agreement shares (0 to 1), numbers written in each cell."""
    n = len(agreement)
    figure = new_figure(2.2 + 0.9 * n, 1.6 + 0.8 * n)
    axes = figure.add_subplot()
    values = agreement.to_numpy(dtype="float64")
    image = axes.imshow(np.nan_to_num(values, nan=0.0), vmin=0, vmax=1, cmap="Blues")
    for i in range(n):
        for j in range(n):
            text = _("n/a") if np.isnan(values[i, j]) else percent(values[i, j], 0)
            axes.text(j, i, text, ha="center", va="center", fontsize=8,
                      color="white" if not np.isnan(values[i, j]) and values[i, j] > 0.6 else "black")
    axes.set_xticks(range(n), agreement.columns, rotation=45, ha="right")
    axes.set_yticks(range(n), agreement.index)
    figure.colorbar(image, ax=axes, label=_("Share of roll calls on which both majorities voted the same way"))
    axes.set_title(title)
    pairs = [say("{a} and {b} {share}", a=agreement.index[i], b=agreement.columns[j],
                 share=_("n/a") if np.isnan(values[i, j]) else percent(values[i, j], 0))
             for i in range(n) for j in range(i + 1, n)]
    alt = say("Matrix of how often each pair of parties' majorities voted the same way: {pairs}.",
              pairs=_joined(pairs) or _("only one party"))
    return Chart(figure, alt=alt, caption=title)


def cohesion_time_chart(by_month: pd.DataFrame, title: str) -> Chart:
    """One line per party: the mean Rice index of each month's roll calls."""
    figure = new_figure(9, 4)
    axes = figure.add_subplot()
    x = np.arange(len(by_month))
    for i, party in enumerate(by_month.columns):
        axes.plot(x, by_month[party].to_numpy(dtype="float64"), marker="o", markersize=3,
                  color=GROUP_COLOURS[i % len(GROUP_COLOURS)], label=party)
    step = max(1, len(x) // 12)
    axes.set_xticks(x[::step], [str(m) for m in by_month.index[::step]], rotation=45, ha="right")
    axes.set_ylim(0, 1.05)
    axes.set_ylabel(_("Mean Rice index (1 = fully united)"))
    axes.set_xlabel(_("Month"))
    axes.legend(frameon=False, fontsize=8, ncol=min(4, len(by_month.columns)))
    axes.set_title(title)
    lines = []
    for party in by_month.columns:
        series = by_month[party].dropna()
        if len(series):
            lines.append(say("{party}: from {low} to {high}, lowest in {month}", party=party,
                             low=number(float(series.min()), 2), high=number(float(series.max()), 2),
                             month=str(series.idxmin())))
    alt = say("Lines of each party's mean Rice index per month over {months} months. {lines}.",
              months=len(by_month), lines=_joined(lines))
    return Chart(figure, alt=alt, caption=title)
