"""The benchmark's results as text tables: one per run, then scaling and the targets."""
from __future__ import annotations

from typing import Any

from pipeline.analysis.bench_stability import describe
from pipeline.analysis.benchmark import PEER, STAND_IN, cold_runs, reference_of


def lines(results: dict[str, Any]) -> list[str]:
    """Everything `qda bench` prints after it has run."""
    m = results["machine"]
    out = [f"machine: {m['machine']}, {m['cores']} cores ({m['usable_cores']} usable), "
           f"{m['platform']}, Python {m['python']}; {results['date']}"]
    for scale, c in results["corpora"].items():
        styles = ", ".join(f"{k} {v}" for k, v in sorted(c["styles"].items()))
        out.append(f"corpus at {scale}x: {c['interviews']} interviews, {c['words']:,} words "
                   f"({styles}); generated in {c['seconds']:.1f} s")
    for run in results["runs"]:
        out += ["", *run_table(run)]
    out += ["", *scaling_table(results), "", *target_lines(results), *speed_lines(results)]
    return out


SPEED_SPREAD = 1.15  # a slower reference beyond this: the machine changed speed mid-run


def speed_lines(results: dict[str, Any]) -> list[str]:
    """The machine's speed over the runs, and a warning when it changed: the ratios between
    runs (scaling, BERTopic's time over ours) then mix the code's cost with the machine's."""
    refs = [r[k] for r in results["runs"] for k in ("reference_s", "reference_after_s")
            if r.get(k)]
    if not refs:
        return []
    low, high = min(refs), max(refs)
    out = ["", f"machine speed: the reference workload took {low:.3f}-{high:.3f} s around "
               f"the runs ({high / low:.2f}x)"]
    if high > SPEED_SPREAD * low:
        out.append("  the machine's speed changed during the benchmark: ratios between runs "
                   "are not the code's alone; run it again when the machine is steady")
    return out


def run_table(run: dict[str, Any]) -> list[str]:
    load = run.get("load") or [None, None]
    busy = (f"; load average {load[0]:.1f} before, {load[1]:.1f} after"
            if None not in load else "")
    if run.get("reference_s"):
        busy += f"; reference workload {run['reference_s']:.3f} s before"
        if run.get("reference_after_s"):
            busy += f", {run['reference_after_s']:.3f} s after"
    head = f"{run['label']} at {run['scale']:g}x ({run['command']}{busy})"
    if run["label"] == PEER:
        secs = ", ".join(f"{k} {v:.1f} s" for k, v in run.get("seconds", {}).items())
        return [head, f"  {run.get('model', '')}: {run.get('segments', 0):,} segments, "
                      f"{run.get('topics', 0)} topics, {run.get('outliers', 0):,} outliers; "
                      f"{secs}",
                f"  whole command {run['wall']:.1f} s wall, {run['cpu']:.1f} s CPU, peak "
                f"{run['peak_mb']:.0f} MB; {run['ratio_to_cold']:.1f}x our cold analysis"]
    if run["label"] == STAND_IN:
        secs = ", ".join(f"{k} {v:.1f} s" for k, v in run.get("seconds", {}).items())
        return [head, f"  {run.get('segments', 0):,} segments, {run.get('topics', 0)} topics; "
                      f"{secs}",
                f"  whole command {run['wall']:.1f} s wall, {run['cpu']:.1f} s CPU, peak "
                f"{run['peak_mb']:.0f} MB; {run['ratio_to_cold']:.2f}x our cold analysis, "
                f"{run['ratio_to_represent_compare'] or 0:.2f}x our represent + compare"]
    if run["stages"] and "cpu" not in run["stages"][0]:  # the real command: statuses only
        fresh = sum(s["status"] == "up to date" for s in run["stages"])
        return [head, f"  {fresh} of {len(run['stages'])} stages up to date; whole command "
                      f"{run['wall']:.2f} s wall, {run['cpu']:.2f} s CPU, peak "
                      f"{run['peak_mb']:.0f} MB (start-up and imports included)"]
    rows = [head, f"  {'stage':<17}{'status':<12}{'wall s':>9}{'cpu s':>9}{'peak MB':>9}"]
    for s in run["stages"]:
        rows.append(f"  {s['stage']:<17}{s['status']:<12}{s['wall']:9.2f}{s['cpu']:9.2f}"
                    f"{s['peak_mb']:9.0f}")
    if run["stages"]:
        rows.append(f"  {'stages':<29}{sum(s['wall'] for s in run['stages']):9.2f}"
                    f"{sum(s['cpu'] for s in run['stages']):9.2f}"
                    f"{max(s['peak_mb'] for s in run['stages']):9.0f}")
    rows.append(f"  {'whole command':<29}{run['wall']:9.2f}{run['cpu']:9.2f}"
                f"{run['peak_mb']:9.0f}   (start-up and imports included)")
    if run.get("stability"):
        rows.append(describe(run["stability"]))
    return rows


def scaling_table(results: dict[str, Any]) -> list[str]:
    """Cold wall time per stage at each scale, and the ratios to the base scale."""
    cold, base = cold_runs(results), results["base_scale"]
    scales = sorted(cold)
    if base not in cold:
        return []
    ratios = [s for s in scales if s != base]
    head = "".join(f"{f'{s:g}x':>9}" for s in scales) + "".join(
        f"{f'{s / base:g}x/1x':>9}" for s in ratios)
    out = [f"cold wall time by scale (s), ratios to {base:g}x", f"  {'stage':<17}{head}"]
    for i, s in enumerate(cold[base]["stages"]):
        walls = {sc: cold[sc]["stages"][i]["wall"] for sc in scales}
        out.append(f"  {s['stage']:<17}" + "".join(f"{walls[sc]:9.2f}" for sc in scales)
                   + "".join(_ratio(walls[sc], walls[base]) for sc in ratios))
    for key, name in (("wall", "whole command"), ("cpu", "cpu (whole)"),
                      ("peak_mb", "peak MB")):
        vals = {sc: cold[sc][key] for sc in scales}
        out.append(f"  {name:<17}" + "".join(f"{vals[sc]:9.1f}" for sc in scales)
                   + "".join(_ratio(vals[sc], vals[base]) for sc in ratios))
    if all(reference_of(cold[sc]) for sc in scales):
        refs = {sc: reference_of(cold[sc]) for sc in scales}
        out.append(f"  {'reference s':<17}" + "".join(f"{refs[sc]:9.3f}" for sc in scales)
                   + "".join(_ratio(refs[sc], refs[base]) for sc in ratios)
                   + "   (the machine's speed: see README, Performance)")
    words = {sc: results["corpora"][f"{sc:g}"]["words"] for sc in scales}
    out.append(f"  {'words (M)':<17}" + "".join(f"{words[sc] / 1e6:9.2f}" for sc in scales)
               + "".join(_ratio(words[sc], words[base]) for sc in ratios))
    return out


def _ratio(value: float, base: float) -> str:
    return f"{value / base:9.2f}" if base else f"{'':>9}"


def target_lines(results: dict[str, Any]) -> list[str]:
    if not results["targets"]:
        return ["targets (issue 15) are for scale 1 (2M words): not measured in this run"]
    out = ["targets (issue 15)"]
    for t in results["targets"]:
        verdict = "not run" if t["met"] is None else "met" if t["met"] else "NOT met"
        value = "-" if t["measured"] is None else f"{t['measured']:.2f}"
        out.append(f"  {t['target']:<40} {value:>9} ({t.get('bound', '<=')} {t['limit']:g})  "
                   f"{verdict}")
    return out
