"""Legislature mode on >= 20 million member votes through the roll-call model, against a per-roll-call loop;
and reading Mexico's LXI matrix (dipMex) into the model.

The real 116th Senate files (72,000 member votes after the President's rows are set aside) are read
into the model and REPLICATED: the roll calls are copied with new ids until there are at least 20
million member votes. The vectorised ``votes.legislature`` runs on all of them. The baseline is a
straightforward pandas loop over the same model, one roll call at a time (group-by iteration,
party counts, party majorities, party-line flag, member loyalty); it is timed on a subset and
extrapolated linearly to the full size (said in the output). Both are checked to give the same
answers on the subset. Reading and validating CSV files is not part of the legislature timing.
Targets: legislature mode < 1.5 s and >= 100x faster than the loop; reading the LXI matrix < 1 s.
"""

from __future__ import annotations

import dataclasses
import math
import time

import numpy as np
import pandas as pd

from dictamen import votes
from dictamen.votes.model import NO, YES

TARGET_ROWS = 20_000_000
LOOP_SUBSET = 1_500  # roll calls timed in the loop baseline
S116 = ("data/votes/voteview_S116_votes.csv", "data/votes/voteview_S116_members.csv",
        "data/votes/voteview_S116_rollcalls.csv")
LXI = ("data/votes/dipmex/rc61.csv", "data/votes/dipmex/dipdat61.csv", "data/votes/dipmex/votdat61.csv")


def replicate(data: votes.RollCalls, copies: int) -> votes.RollCalls:
    """The same members voting the same way on ``copies`` copies of every roll call."""
    n = len(data.rollcalls)
    offsets = np.repeat(np.arange(copies, dtype=np.int32) * n, len(data.votes))
    frame = pd.DataFrame({
        "rollcall": np.tile(data.votes["rollcall"].to_numpy(), copies) + offsets,
        "member": np.tile(data.votes["member"].to_numpy(), copies),
        "option": np.tile(data.votes["option"].to_numpy(), copies),
    })
    rollcalls = pd.concat([data.rollcalls.assign(vote_id=data.rollcalls["vote_id"] + f"-{i}") for i in range(copies)],
                          ignore_index=True)
    return dataclasses.replace(data, votes=frame, rollcalls=rollcalls)


def loop_legislature(data: votes.RollCalls, positions: np.ndarray, major: tuple[str, str]):
    """The straightforward way: one roll call at a time."""
    party_of = data.members["party"]
    subset = data.votes[data.votes["rollcall"].isin(positions)]
    rows = []
    with_party = pd.Series(dtype="float64")
    eligible = pd.Series(dtype="float64")
    for rollcall, group in subset.groupby("rollcall", sort=True):
        party = party_of.iloc[group["member"].to_numpy()].to_numpy()
        yes = pd.Series(group["option"].to_numpy() == YES)
        no = pd.Series(group["option"].to_numpy() == NO)
        majority = np.sign(yes.groupby(party).sum() - no.groupby(party).sum())
        party_line = majority.get(major[0], 0) * majority.get(major[1], 0) == -1
        voting = int(yes.sum() + no.sum())
        margin = int(yes.sum()) - (voting // 2 + 1)
        if party_line:
            direction = np.where(yes, 1, np.where(no, -1, 0))
            party_majority = pd.Series(party).map(majority).to_numpy()
            counted = (direction != 0) & (party_majority != 0)
            loyal = counted & (direction == party_majority)
            ids = data.members["member_id"].to_numpy()[group["member"].to_numpy()]
            eligible = eligible.add(pd.Series(counted, index=ids), fill_value=0)
            with_party = with_party.add(pd.Series(loyal, index=ids), fill_value=0)
        rows.append((rollcall, int(yes.sum()), int(no.sum()), margin, party_line))
    table = pd.DataFrame(rows, columns=["rollcall", "yes", "no", "margin", "party_line"]).set_index("rollcall")
    return table, (with_party / eligible.where(eligible > 0)).dropna()


def main() -> None:
    with open("/proc/loadavg") as handle:
        print(f"load average at start: {handle.read().split()[:3]}")
    real = votes.read_voteview(*S116)
    copies = math.ceil(TARGET_ROWS / len(real.votes))
    data = replicate(real, copies)
    print(f"data: the real S116 Senate votes ({len(real.votes):,} member votes, {len(real.rollcalls)} roll calls) "
          f"REPLICATED x{copies} -> {len(data.votes):,} member votes, {len(data.rollcalls):,} roll calls (the model)")

    timings = []
    for _ in range(3):
        start = time.perf_counter()
        result = votes.legislature(data, "simple")
        timings.append(time.perf_counter() - start)
    vectorised = min(timings)
    print(f"vectorised legislature mode: {vectorised:.2f} s (best of 3 runs: {', '.join(f'{t:.2f}' for t in timings)} s)")

    positions = np.arange(LOOP_SUBSET)
    start = time.perf_counter()
    loop_table, loop_unity = loop_legislature(data, positions, result.major_parties)
    loop_subset = time.perf_counter() - start
    loop_full = loop_subset * len(data.rollcalls) / LOOP_SUBSET
    print(f"per-roll-call loop: {loop_subset:.2f} s on {LOOP_SUBSET:,} roll calls; EXTRAPOLATED linearly to "
          f"{len(data.rollcalls):,} roll calls: {loop_full:.0f} s")

    check = result.rollcalls.iloc[loop_table.index]
    same = ((check["yes"].to_numpy() == loop_table["yes"].to_numpy()).all()
            and (check["no"].to_numpy() == loop_table["no"].to_numpy()).all()
            and (check["margin"].astype(int).to_numpy() == loop_table["margin"].to_numpy()).all()
            and (check["party_line"].to_numpy() == loop_table["party_line"].to_numpy()).all())
    unity = votes.legislature(data.subset(positions), "simple").members.set_index("member_id")["unity"]
    unity_same = np.allclose(unity.loc[loop_unity.index].to_numpy(dtype=float), loop_unity.to_numpy(dtype=float))
    print(f"same answers on the subset: roll-call results {'yes' if same else 'NO'}; member unity "
          f"{'yes' if unity_same else 'NO'}")
    ratio = loop_full / vectorised
    print(f"speed-up: {ratio:.0f}x (target >= 100x: {'met' if ratio >= 100 else 'NOT met'}); "
          f"legislature mode target < 1.5 s: {'met' if vectorised < 1.5 else 'NOT met'}")

    reads = []
    for _ in range(3):
        start = time.perf_counter()
        lxi = votes.read_dipmex(*LXI)
        reads.append(time.perf_counter() - start)
    start = time.perf_counter()
    pd.read_csv(LXI[0])
    bare = time.perf_counter() - start
    print(f"reading the LXI matrix, votdat and dipdat into the model (validated): {min(reads):.2f} s best of 3 "
          f"({len(lxi.rollcalls)} roll calls x {len(lxi.members):,} seats, {lxi.member_votes:,} member votes); "
          f"bare pandas read_csv of the matrix alone: {bare:.2f} s; target < 1 s: "
          f"{'met' if min(reads) < 1 else 'NOT met'}")
    with open("/proc/loadavg") as handle:
        print(f"load average at end: {handle.read().split()[:3]}")


if __name__ == "__main__":
    main()
