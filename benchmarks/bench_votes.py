"""Legislature mode of dictamen.votes on >= 20 million member votes, against a per-roll-call loop.

The real 116th Senate files (72,000 member votes after the President's rows are set aside) are
REPLICATED: the roll calls are copied with new roll-call numbers until there are at least 20
million member votes. The vectorised ``votes.legislature`` runs on all of them. The baseline is a
straightforward pandas loop, one roll call at a time (group-by iteration, party counts, party
majorities, party-line flag, member loyalty); it is timed on a subset and extrapolated linearly
to the full size (said in the output). Both are checked to give the same answers on the subset.
Loading and validating the CSV files is not timed. Targets: >= 100x faster than the loop, < 3 s.
"""

from __future__ import annotations

import dataclasses
import math
import time

import numpy as np
import pandas as pd

from dictamen import votes

TARGET_ROWS = 20_000_000
LOOP_SUBSET = 1_500  # roll calls timed in the loop baseline


def replicate(data: votes.VoteviewData, copies: int) -> votes.VoteviewData:
    stride = int(data.rollcalls["rollnumber"].max())
    offsets = np.repeat(np.arange(copies, dtype=np.int32) * stride, len(data.votes))
    frame = pd.DataFrame({
        "rollnumber": np.tile(data.votes["rollnumber"].to_numpy(), copies) + offsets,
        "icpsr": np.tile(data.votes["icpsr"].to_numpy(), copies),
        "cast_code": np.tile(data.votes["cast_code"].to_numpy(), copies),
    })
    rollcalls = pd.concat([data.rollcalls.assign(rollnumber=data.rollcalls["rollnumber"] + i * stride)
                           for i in range(copies)], ignore_index=True)
    return dataclasses.replace(data, votes=frame, rollcalls=rollcalls)


def loop_legislature(data: votes.VoteviewData, rollnumbers: np.ndarray, major: tuple[str, str]):
    """The straightforward way: one roll call at a time."""
    party_of = data.members.set_index("icpsr")["party"]
    subset = data.votes[data.votes["rollnumber"].isin(rollnumbers)]
    rows = []
    with_party = pd.Series(dtype="float64")
    eligible = pd.Series(dtype="float64")
    for rollnumber, group in subset.groupby("rollnumber", sort=True):
        party = group["icpsr"].map(party_of)
        yes = group["cast_code"] == 1
        no = group["cast_code"] == 6
        majority = np.sign(yes.groupby(party).sum() - no.groupby(party).sum())
        party_line = majority.get(major[0], 0) * majority.get(major[1], 0) == -1
        voting = int(yes.sum() + no.sum())
        margin = int(yes.sum()) - (voting // 2 + 1)
        if party_line:
            direction = np.where(yes, 1, np.where(no, -1, 0))
            party_majority = party.map(majority).to_numpy()
            counted = (direction != 0) & (party_majority != 0)
            loyal = counted & (direction == party_majority)
            eligible = eligible.add(pd.Series(counted, index=group["icpsr"].to_numpy()), fill_value=0)
            with_party = with_party.add(pd.Series(loyal, index=group["icpsr"].to_numpy()), fill_value=0)
        rows.append((rollnumber, int(yes.sum()), int(no.sum()), margin, party_line))
    table = pd.DataFrame(rows, columns=["rollnumber", "yes", "no", "margin", "party_line"]).set_index("rollnumber")
    return table, (with_party / eligible.where(eligible > 0)).dropna()


def main() -> None:
    real = votes.load_voteview("data/votes/voteview_S116_votes.csv", "data/votes/voteview_S116_members.csv",
                               "data/votes/voteview_S116_rollcalls.csv")
    copies = math.ceil(TARGET_ROWS / len(real.votes))
    data = replicate(real, copies)
    print(f"data: the real S116 Senate votes ({len(real.votes):,} member votes, {len(real.rollcalls)} roll calls) "
          f"REPLICATED x{copies} -> {len(data.votes):,} member votes, {len(data.rollcalls):,} roll calls")

    timings = []
    for _ in range(3):
        start = time.perf_counter()
        result = votes.legislature(data, "simple")
        timings.append(time.perf_counter() - start)
    vectorised = min(timings)
    print(f"vectorised legislature mode: {vectorised:.2f} s (best of 3 runs: {', '.join(f'{t:.2f}' for t in timings)} s; "
          f"median {sorted(timings)[1]:.2f} s; the first run includes memory warm-up)")

    subset = data.rollcalls["rollnumber"].to_numpy()[:LOOP_SUBSET]
    start = time.perf_counter()
    loop_table, loop_unity = loop_legislature(data, subset, result.major_parties)
    loop_subset = time.perf_counter() - start
    loop_full = loop_subset * len(data.rollcalls) / LOOP_SUBSET
    print(f"per-roll-call loop: {loop_subset:.2f} s on {LOOP_SUBSET:,} roll calls; EXTRAPOLATED linearly to "
          f"{len(data.rollcalls):,} roll calls: {loop_full:.0f} s")

    check = result.rollcalls.set_index("rollnumber").loc[loop_table.index]
    same = ((check["yes"] == loop_table["yes"]).all() and (check["no"] == loop_table["no"]).all()
            and (check["margin"].astype(int) == loop_table["margin"]).all()
            and (check["party_line"] == loop_table["party_line"]).all())
    on_subset = dataclasses.replace(data, votes=data.votes[data.votes["rollnumber"].isin(subset)],
                                    rollcalls=data.rollcalls.iloc[:LOOP_SUBSET])
    unity = votes.legislature(on_subset, "simple").members.set_index("icpsr")["unity"]
    unity_same = np.allclose(unity.loc[loop_unity.index].to_numpy(dtype=float), loop_unity.to_numpy(dtype=float))
    print(f"same answers on the subset: roll-call results {'yes' if same else 'NO'}; member unity "
          f"{'yes' if unity_same else 'NO'}")

    ratio = loop_full / vectorised
    print(f"speed-up: {ratio:.0f}x (target >= 100x: {'met' if ratio >= 100 else 'NOT met'}); "
          f"vectorised time target < 3 s: {'met' if vectorised < 3 else 'NOT met'}")
    print(f"party-unity votes: {result.party_line_share:.1%} of roll calls (same share as the real data, replicated)")


if __name__ == "__main__":
    main()
