"""Compare settings over seeds and state results as sentences.

A result measured on one seed can be luck: a different seed gives different
initial weights and a different shuffle, and the numbers move. ``compare``
runs every variant on the *same* seeds, so each seed gives a pair of runs
that differ only in the setting being compared; the **paired difference**
on each seed then shows the effect with the seed-to-seed noise taken out::

    runs = compare({"plain": train_plain, "l2": train_l2}, seeds=5, measure="val_loss")
    runs.plot()                  # l2 - plain on each seed, with the spread and a zero line
    runs.claim("l2 < plain")     # one sentence, or ClaimFailed with the per-seed numbers

``claim(condition, sentence)`` states a single fact the same way, so a
chapter reads its checks as sentences rather than ``assert`` lines.

Numbers in sentences are rounded to ``digits`` significant digits (2 by
default): a stored notebook output must not change when another CPU sums
in a different order and the last bits of a float32 result move.
"""
import numbers
import re

import matplotlib.pyplot as plt
import numpy as np

from .backend import seeded

_CLAIM = re.compile(r"^\s*(?P<left>[^<>]+?)\s*(?P<sign>[<>])\s*(?P<right>[^<>]+?)\s*$")


class ClaimFailed(AssertionError):
    """A claimed result does not hold. An ``AssertionError``, so a test run,
    nbval and an autograder all see it as a failed check."""


def claim(condition, sentence):
    """State one fact: print ``sentence`` with a check mark if ``condition``
    holds, raise ``ClaimFailed`` with it if not.

    Parameters
    ----------
    condition : bool
        The fact, already computed: ``np.isclose(by_hand, engine)``,
        ``accuracy > 0.9``. A single truth value (a NumPy bool works too);
        an array of several is refused, say ``.all()`` or ``.any()``.
    sentence : str
        What the condition means, in words, with any numbers the reader
        should see.

    Raises
    ------
    ClaimFailed
        When ``condition`` is false.
    """
    if not isinstance(sentence, str) or not sentence.strip():
        raise TypeError(f"claim expected a sentence (a non-empty str) as second argument, got {sentence!r}")
    if np.ndim(condition) != 0:
        raise TypeError(f"claim expected one True/False condition, got an array of shape {np.shape(condition)}: "
                        "say whether all or any must hold with .all() or .any()")
    if not bool(condition):
        raise ClaimFailed(f"Does not hold: {sentence}")
    print(f"\u2713 {sentence}")


def compare(variants, seeds=5, measure=None, label=None, digits=2):
    """Run every variant on the same seeds and collect one number per run.

    Parameters
    ----------
    variants : dict of str -> callable
        At least two named settings, ``{"plain": f, "l2": g}``. Each callable
        takes the seed (an int) and returns a number, or a dict from which
        ``measure`` picks one number (the dict may hold more: other numbers
        for ``Runs.using``, a loss curve to draw). Names may not contain ``<`` or ``>``
        (they are used in claim strings). The first name is the baseline that
        ``plot`` subtracts.
    seeds : int or sequence of int
        ``5`` means seeds 0, 1, 2, 3, 4; a list gives them explicitly.
    measure : str, optional
        The key to read when the variants return dicts (``"val_loss"``).
    label : str, optional
        What the number is, for sentences and axes (``"final loss"``);
        defaults to ``measure``.
    digits : int
        Significant digits of the numbers in sentences and in the table.

    Returns
    -------
    Runs
        ``runs.values[name]`` holds one number per seed, in seed order;
        ``runs.results[name]`` what each call returned.

    Notes
    -----
    Each call runs inside ``mlcore.backend.seeded(seed)``: everything drawn
    from mlcore's generator (initial weights, shuffles, dropout masks)
    depends on the seed alone, not on which variant ran before, and the
    notebook's own random numbers continue afterwards as if nothing had run.
    """
    if not isinstance(variants, dict) or len(variants) < 2:
        raise TypeError(f"compare expected a dict of at least two named variants, e.g. "
                        f"{{'plain': f, 'l2': g}}, got {variants!r}")
    for name, fn in variants.items():
        if not isinstance(name, str) or not name.strip() or "<" in name or ">" in name:
            raise ValueError(f"compare: a variant name must be a non-empty str without '<' or '>', got {name!r}")
        if not callable(fn):
            raise TypeError(f"compare: variant {name!r} must be a function of the seed, got {fn!r}")
    seeds = _seed_list(seeds)
    _check_digits(digits)
    results = {name: [_run(fn, seed) for seed in seeds] for name, fn in variants.items()}
    return Runs(results, seeds, measure=measure, label=label, digits=digits)


def _seed_list(seeds):
    if isinstance(seeds, (int, np.integer)) and not isinstance(seeds, bool):
        if seeds < 1:
            raise ValueError(f"compare: seeds must be at least 1, got {seeds}")
        return list(range(int(seeds)))
    try:
        listed = list(seeds)
    except TypeError:
        raise TypeError(f"compare: seeds must be an int or a list of ints, got {seeds!r}") from None
    if not listed or not all(isinstance(s, (int, np.integer)) and not isinstance(s, bool) and s >= 0
                             for s in listed):
        raise ValueError(f"compare: seeds must be a non-empty list of non-negative ints, got {seeds!r}")
    if len(set(listed)) != len(listed):
        raise ValueError(f"compare: seeds must not repeat (a repeated seed repeats a run), got {listed}")
    return [int(s) for s in listed]


def _check_digits(digits):
    if not isinstance(digits, (int, np.integer)) or isinstance(digits, bool) or digits < 1:
        raise ValueError(f"digits must be a whole number of significant digits, at least 1, got {digits!r}")


def _run(fn, seed):
    with seeded(seed):
        return fn(seed)


def _number(name, seed, result, measure):
    """The one number a variant's result stands for, or a clear error."""
    if isinstance(result, dict):
        if measure is None:
            raise TypeError(f"compare: variant {name!r} returned a dict with keys {sorted(result)} for seed {seed}; "
                            "pass measure= to say which one to compare")
        if measure not in result:
            raise ValueError(f"compare: measure={measure!r} is not among the keys variant {name!r} returned "
                             f"for seed {seed}: {sorted(result)}")
        result = result[measure]
    elif measure is not None:
        raise TypeError(f"compare: measure={measure!r} picks a key from a dict, but variant {name!r} returned "
                        f"{result!r} for seed {seed}; return a dict or leave measure out")
    if isinstance(result, np.ndarray) and result.size == 1:
        result = result.reshape(()).item()
    if isinstance(result, (bool, np.bool_)) or not isinstance(result, (numbers.Real, np.integer, np.floating)):
        what = f"{measure!r} of " if measure is not None else ""
        raise TypeError(f"compare: {what}variant {name!r} for seed {seed} is {result!r} "
                        f"({type(result).__name__}); expected a number")
    return float(result)


def _fmt(x, digits):
    """``x`` at ``digits`` significant digits, without exponent: 0.17, 0.010, 120, 0.00012."""
    if x == 0:
        return "0"
    if not np.isfinite(x):
        return str(x)
    rounded = float(f"{x:.{digits}g}")            # 0.09996 -> 0.1, which has 2 digits as 0.10
    decimals = max(0, digits - 1 - int(np.floor(np.log10(abs(rounded)))))
    return f"{rounded:.{decimals}f}"              # trailing zeros are significant digits too


class Runs:
    """The numbers ``compare`` measured: one per variant and seed.

    Attributes
    ----------
    results : dict of str -> list
        What each variant returned on each seed, in the order of ``seeds``.
    values : dict of str -> ndarray of shape (n_seeds,)
        The number compared: the result itself, or its ``measure`` entry.
    seeds : list of int
    measure : str or None
    label : str or None
        What the numbers are (``"val_loss"``), used in sentences and axes.
    digits : int
        Significant digits in sentences and in the table.
    """

    def __init__(self, results, seeds, measure=None, label=None, digits=2):
        self.results, self.seeds, self.measure, self.digits = results, list(seeds), measure, digits
        self.label = label if label is not None else measure
        self.values = {name: np.array([_number(name, seed, result, measure) for seed, result in zip(seeds, column)])
                       for name, column in results.items()}

    def using(self, measure, label=None):
        """The same runs compared on another entry of their dicts, without running them again."""
        return Runs(self.results, self.seeds, measure=measure, label=label, digits=self.digits)

    def difference(self, name, baseline):
        """Paired differences ``values[name] - values[baseline]``, one per seed."""
        return self.values[self._known(name)] - self.values[self._known(baseline)]

    def claim(self, statement, margin=0, digits=None):
        """State that one variant is lower (``"a < b"``) or higher (``"a > b"``)
        than another on **every** seed, and print it as a sentence.

        Parameters
        ----------
        statement : str
            ``"l2 < plain"``: l2's number is below plain's on each seed;
            ``"adam > sgd"``: above. A tie on any seed fails the claim.
        margin : float
            How much lower or higher, at least, on every seed (default 0).
        digits : int, optional
            Significant digits in the sentence (default: the ``digits``
            given to ``compare``).

        Raises
        ------
        ClaimFailed
            When any seed's paired difference is not beyond ``margin`` in
            the claimed direction; the message lists every seed's numbers.
        """
        left, sign, right = self._parse(statement)
        if not isinstance(margin, numbers.Real) or isinstance(margin, bool) or not margin >= 0:
            raise ValueError(f"claim: margin must be a number of at least 0, got {margin!r}")
        digits = self.digits if digits is None else digits
        _check_digits(digits)
        # the gap in the claimed direction: positive on a seed where the claim holds
        gap = self.difference(right, left) if sign == "<" else self.difference(left, right)
        wins, n = int(np.sum(gap > margin)), len(self.seeds)
        direction = "lower" if sign == "<" else "higher"
        by = f" by more than {margin:g}" if margin else ""          # as the reader wrote it
        said = (f"{left} gives a {direction} {self.label} than {right}{by}" if self.label
                else f"{left} is {direction} than {right}{by}")
        if wins == n and n == 1:
            print(f"\u2713 {said} on the one seed run, by {_fmt(gap[0], digits)} "
                  "(one seed proves little: run more to see the spread)")
            return
        if wins == n:
            print(f"\u2713 {said} on {n} of {n} seeds{':' if margin else ','} by {_fmt(gap.mean(), digits)} on average "
                  f"(paired differences {_fmt(gap.min(), digits)} to {_fmt(gap.max(), digits)})")
            return
        ties = [s for s, g in zip(self.seeds, gap) if g == margin]
        lines = [f"The claim {statement!r}{by} fails on {n - wins} of {n} seed{'s' if n > 1 else ''}: "
                 f"{said} on {wins} of {n}."]
        if ties:
            lines.append(f"Seed{'s' if len(ties) > 1 else ''} {', '.join(map(str, ties))}: a tie "
                         f"({'difference exactly ' + format(margin, 'g') if margin else 'equal numbers'}), "
                         "which is not a win.")
        gap_name = f"{right} \u2212 {left}" if sign == "<" else f"{left} \u2212 {right}"
        lines.append(self._table([left, right], 4, gap=gap, gap_name=gap_name))
        raise ClaimFailed("\n".join(lines))

    def plot(self, baseline=None, ax=None):
        """Draw each variant's paired difference from ``baseline`` on every seed.

        Points are seeds, a dashed line each variant's mean difference, a
        band its spread (lowest to highest seed), the black line zero:
        points all on one side of zero are an effect larger than the noise.

        Parameters
        ----------
        baseline : str, optional
            The variant subtracted (default: the first one given to ``compare``).
        ax : matplotlib Axes, optional
            Where to draw (default: a new figure).

        Returns
        -------
        matplotlib Axes
            End the cell with ``plt.show()`` (or a ``;``) so that the
            Axes' repr is not printed.
        """
        names = list(self.values)
        baseline = self._known(baseline) if baseline is not None else names[0]
        if ax is None:
            _, ax = plt.subplots(figsize=(6.4, 3.2), layout="constrained")
        x = np.arange(len(self.seeds))
        others = [name for name in names if name != baseline]
        colors = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9"]  # Okabe-Ito
        for k, name in enumerate(others):
            color = colors[k % len(colors)]
            diff = self.difference(name, baseline)
            ax.axhspan(diff.min(), diff.max(), color=color, alpha=0.15, lw=0)
            ax.axhline(diff.mean(), color=color, ls="--", lw=1)
            dodge = 0.12 * (k - (len(others) - 1) / 2)      # side by side, so equal values stay visible
            ax.plot(x + dodge, diff, "o", color=color, ms=7,
                    label=f"{name} \u2212 {baseline}: mean {_fmt(diff.mean(), self.digits)}")
        ax.axhline(0, color="black", lw=1)
        ax.set_xticks(x, [str(s) for s in self.seeds])
        ax.set_xlim(-0.5, len(x) - 0.5)
        ax.set_xlabel("seed")
        ax.set_ylabel(f"{self.label or 'value'}: difference\nfrom {baseline}")
        ax.set_title(f"Paired differences over {len(self.seeds)} seed{'s' if len(self.seeds) > 1 else ''} "
                     f"(above 0: higher than {baseline})", fontsize=10)
        ax.legend(fontsize=8)
        return ax

    def __repr__(self):
        names = list(self.values)
        baseline = names[0]
        gaps = {f"{name} \u2212 {baseline}": self.difference(name, baseline) for name in names[1:]}
        head = (f"Runs: {len(names)} variants on the same {len(self.seeds)} seed{'s' if len(self.seeds) > 1 else ''}"
                f"{', ' + self.label if self.label else ''}")
        table = self._table(names, self.digits, **({} if not gaps else {"gaps": gaps}))
        hint = ("Each row is one seed: the difference on that row is the setting's effect with the seed held fixed.\n"
                "runs.claim('a < b') states a result; runs.plot() draws the paired differences.")
        return f"{head}\n{table}\n{hint}"

    def _table(self, names, digits, gap=None, gap_name="gap", gaps=None):
        columns = {name: self.values[name] for name in names}
        if gap is not None:
            columns[gap_name] = gap
        columns.update(gaps or {})
        cells = [["seed"] + list(columns)]
        cells += [[str(s)] + [_fmt(col[i], digits) for col in columns.values()] for i, s in enumerate(self.seeds)]
        if len(self.seeds) > 1:
            cells.append(["mean"] + [_fmt(col.mean(), digits) for col in columns.values()])
        widths = [max(len(row[c]) for row in cells) for c in range(len(cells[0]))]
        return "\n".join("  ".join(cell.rjust(w) for cell, w in zip(row, widths)) for row in cells)

    def _known(self, name):
        if name not in self.values:
            raise ValueError(f"no variant named {name!r}; the variants are {list(self.values)}")
        return name

    def _parse(self, statement):
        match = _CLAIM.match(statement) if isinstance(statement, str) else None
        if match is None:
            raise ValueError(f"a claim reads 'a < b' or 'a > b' with two variant names from {list(self.values)}, "
                             f"got {statement!r}")
        left, right = self._known(match["left"]), self._known(match["right"])
        if left == right:
            raise ValueError(f"a claim compares two different variants, got {statement!r}")
        return left, match["sign"], right
