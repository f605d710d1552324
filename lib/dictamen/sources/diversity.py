"""How concentrated or diverse the cited works are: counts, shares and four indices.

For shares p_i of the categories of one dimension (outlet, type, country, language):

* Shannon entropy H = -sum p_i ln p_i (natural log; 0 when one category has everything);
* Gini-Simpson 1 - sum p_i^2 (chance that two works drawn with replacement differ);
* effective number of sources exp(H) (how many equally used categories give the same H);
* Herfindahl-Hirschman index sum (100 p_i)^2 on the antitrust scale 0-10,000
  (10,000 = a single category).

Bootstrap intervals (percentile, fixed seed) resample the works of one article, or, for the
corpus aggregate, whole articles (works of one article are not independent draws).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

DIMENSIONS = ("outlet", "type", "country", "language")
INDICES = ("shannon", "gini_simpson", "effective_number", "hhi")
BOOTSTRAP_SEED = 20210111
BOOTSTRAP_REPLICATES = 2000


def indices_from_counts(counts: np.ndarray) -> dict[str, float]:
    """The four indices for one vector of category counts (NaN when there is nothing to count)."""
    counts = np.asarray(counts, dtype=float)
    total = counts.sum()
    if total <= 0:
        return {name: float("nan") for name in INDICES}
    shares = counts[counts > 0] / total
    shannon = float(-(shares * np.log(shares)).sum())
    simpson = float((shares**2).sum())
    return {"shannon": shannon, "gini_simpson": 1.0 - simpson,
            "effective_number": float(np.exp(shannon)), "hhi": 10_000.0 * simpson}


def _indices_matrix(counts: np.ndarray) -> dict[str, np.ndarray]:
    """Vectorised indices for each row of a (replicates x categories) count matrix."""
    totals = counts.sum(axis=1, keepdims=True)
    with np.errstate(divide="ignore", invalid="ignore"):
        shares = np.where(totals > 0, counts / totals, 0.0)
        logs = np.where(shares > 0, np.log(np.where(shares > 0, shares, 1.0)), 0.0)
    shannon = -(shares * logs).sum(axis=1)
    simpson = (shares**2).sum(axis=1)
    empty = totals[:, 0] <= 0
    result = {"shannon": shannon, "gini_simpson": 1 - simpson,
              "effective_number": np.exp(shannon), "hhi": 10_000 * simpson}
    for values in result.values():
        values[empty] = np.nan
    return result


def composition(works: pd.DataFrame, dimension: str) -> pd.DataFrame:
    """Counts and shares of one dimension over cited works, largest first (ties alphabetically)."""
    values = works[dimension].fillna("unknown").replace("", "unknown")
    counts = values.value_counts()
    frame = pd.DataFrame({dimension: counts.index, "works": counts.to_numpy()})
    frame = frame.sort_values(["works", dimension], ascending=[False, True], ignore_index=True)
    frame["share"] = frame["works"] / frame["works"].sum() if len(frame) else []
    return frame


def diversity_indices(works: pd.DataFrame, dimensions=DIMENSIONS) -> pd.DataFrame:
    """One row per dimension: works counted, categories, and the four indices."""
    rows = []
    for dimension in dimensions:
        table = composition(works, dimension)
        rows.append({"dimension": dimension, "works": int(table["works"].sum()),
                     "categories": len(table),
                     **indices_from_counts(table["works"].to_numpy())})
    return pd.DataFrame(rows)


def _count_matrix(works: pd.DataFrame, dimension: str) -> tuple[list[str], np.ndarray]:
    values = works[dimension].fillna("unknown").replace("", "unknown")
    table = pd.crosstab(works["article"], values)
    return list(table.index), table.to_numpy(dtype=float)


def bootstrap_intervals(works: pd.DataFrame, dimensions=DIMENSIONS,
                        replicates: int = BOOTSTRAP_REPLICATES,
                        seed: int = BOOTSTRAP_SEED) -> pd.DataFrame:
    """95% percentile intervals of each index: per article (works resampled) and for the corpus
    (articles resampled, when there are at least two). Columns: article, dimension, index,
    estimate, low, high, method."""
    rng = np.random.default_rng(seed)
    rows = []
    if works.empty:
        return pd.DataFrame(columns=["article", "dimension", "index", "estimate", "low", "high",
                                     "method"])
    for dimension in dimensions:
        articles, counts = _count_matrix(works, dimension)
        for article, row in zip(articles, counts):
            total = int(row.sum())
            draws = rng.multinomial(total, row / total, size=replicates)
            _append_rows(rows, article, dimension, row, draws, "works resampled within the article")
        if len(articles) >= 2:
            weights = rng.multinomial(len(articles), np.full(len(articles), 1 / len(articles)),
                                      size=replicates)
            pooled = weights @ counts
            _append_rows(rows, "all articles", dimension, counts.sum(axis=0), pooled,
                         "articles resampled (cluster bootstrap)")
    return pd.DataFrame(rows)


def _append_rows(rows: list, article: str, dimension: str, observed: np.ndarray,
                 draws: np.ndarray, method: str) -> None:
    estimate = indices_from_counts(observed)
    resampled = _indices_matrix(draws.astype(float))
    for name in INDICES:
        low, high = np.nanpercentile(resampled[name], [2.5, 97.5])
        rows.append({"article": article, "dimension": dimension, "index": name,
                     "estimate": estimate[name], "low": float(low), "high": float(high),
                     "method": method})
