"""Keys follow their categories from one run to the next."""
import pandas as pd

from pipeline.stages.compare.keys import follow, key_table


def members(site_keys: dict[str, str], cross_keys: dict[str, str]) -> pd.DataFrame:
    return pd.DataFrame({"segment_id": list(site_keys), "site": "O1",
                         "category_id": list(site_keys.values()),
                         "cross_category_id": [cross_keys[s] for s in site_keys]})


def test_without_history_fresh_keys_stand() -> None:
    m = members({"s1": "O1-aaaaaa"}, {"s1": "X-aaaaaa"})
    out, changes = follow(m, None)
    assert out.equals(m) and changes.absorbed == {}


def test_a_category_keeps_its_key_when_its_earliest_incident_changes() -> None:
    # Before: s2, s3, s4 were X-old. Now an earlier interview adds s1, which anchors them.
    before = members({"s2": "O1-old", "s3": "O1-old", "s4": "O1-old"},
                     {"s2": "X-old", "s3": "X-old", "s4": "X-old"})
    now = members({"s1": "O1-new", "s2": "O1-new", "s3": "O1-new", "s4": "O1-new"},
                  {s: "X-new" for s in ("s1", "s2", "s3", "s4")})
    out, changes = follow(now, key_table(before))
    assert set(out["category_id"]) == {"O1-old"} and set(out["cross_category_id"]) == {"X-old"}
    assert changes.kept == {"category_id": 1, "cross_category_id": 1}


def test_merged_categories_keep_the_larger_key_and_the_other_is_absorbed() -> None:
    before = members({"s1": "O1-a", "s2": "O1-a", "s3": "O1-a", "s4": "O1-b", "s5": "O1-b"},
                     {"s1": "X-a", "s2": "X-a", "s3": "X-a", "s4": "X-b", "s5": "X-b"})
    now = members({s: "O1-m" for s in ("s1", "s2", "s3", "s4", "s5")},
                  {s: "X-m" for s in ("s1", "s2", "s3", "s4", "s5")})
    out, changes = follow(now, key_table(before))
    assert set(out["cross_category_id"]) == {"X-a"}
    assert changes.absorbed == {"O1-b": "O1-a", "X-b": "X-a"}


def test_a_split_keeps_the_key_on_the_larger_part_and_gives_the_other_a_new_key() -> None:
    before = members({"s1": "O1-a", "s2": "O1-a", "s3": "O1-a"},
                     {"s1": "X-a", "s2": "X-a", "s3": "X-a"})
    # the fresh key of the smaller part happens to be the earlier key: it must not keep it
    now = members({"s1": "O1-a", "s2": "O1-p", "s3": "O1-p"},
                  {"s1": "X-a", "s2": "X-p", "s3": "X-p"})
    out, _ = follow(now, key_table(before))
    keys = dict(zip(out["segment_id"], out["cross_category_id"]))
    assert keys["s2"] == keys["s3"] == "X-a"
    assert keys["s1"] not in {"X-a", "X-p"} and keys["s1"].startswith("X-")
