//! The name tagger's run loop: runs of capitalized words, their plans, and the context rules.
//!
//! Twin of `pipelines/detection/names/tagger.py` (`Tagger.find` from `rules.RUN` to
//! `_place_in_context`, with `_plan`, `_word`, `_segment` and the helpers of `text.py`); the
//! Python tagger keeps @handles, #hashtags, URLs and lower-case text, and passes the spans the
//! marks cover. Character classes come from Python itself (`char_info`: the `regex` module's
//! `\p{Lu}`, `\p{L}`, `\d`, `\s`, `\w` and `str`'s own case tests and `lower()`), asked once
//! per distinct character, so both sides classify every character alike. The regexes are
//! written out as scans that take the same choices as the regex engine's backtracking
//! (each function says which pattern it stands for). Offsets are in characters, as in Python.

use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};
use std::rc::Rc;

use pyo3::exceptions::PyKeyError;
use pyo3::prelude::*;
use pyo3::types::{PyString, PyTuple};

// Token classes and word bits: tagger.py's constants (a test holds them equal).
pub const NAME: u32 = 0;
pub const BREAK: u32 = 1;
pub const POISON: u32 = 2;
pub const HON: u32 = 3;
pub const PART: u32 = 4;
pub const INITIAL: u32 = 5;
const CLASS: u32 = 0b111;
const PW: u32 = 1 << 3;
const FIRST: u32 = 1 << 4;
const LAST: u32 = 1 << 5;
const PLACE: u32 = 1 << 6;
const PLACE_OK: u32 = 1 << 7;
const CITY_PERSON: u32 = 1 << 8;
const FIRST5: u32 = 1 << 9;
const UPPER: u32 = 1 << 10;
const ODD: u32 = 1 << 11;
const DOT: u32 = 1 << 12;
const SHORT: u32 = 1 << 13;
const LONG: u32 = 1 << 14;
const EDGE: u32 = 1 << 15;
const TRIM: u32 = 1 << 16;
const PLACE_LEN: u32 = 17;
const MAY_PLACE: u32 = 1 << PLACE_LEN;

/// The bits above, by tagger.py's names, for the test that holds the two equal.
pub fn bit_names() -> Vec<(&'static str, u32)> {
    vec![
        ("NAME", NAME),
        ("BREAK", BREAK),
        ("POISON", POISON),
        ("HON", HON),
        ("PART", PART),
        ("INITIAL", INITIAL),
        ("_CLASS", CLASS),
        ("_PW", PW),
        ("_FIRST", FIRST),
        ("_LAST", LAST),
        ("_PLACE", PLACE),
        ("_PLACE_OK", PLACE_OK),
        ("_CITY_PERSON", CITY_PERSON),
        ("_FIRST5", FIRST5),
        ("_UPPER", UPPER),
        ("_ODD", ODD),
        ("_DOT", DOT),
        ("_SHORT", SHORT),
        ("_LONG", LONG),
        ("_EDGE", EDGE),
        ("_TRIM", TRIM),
        ("_PLACE_LEN", PLACE_LEN),
        ("_MAY_PLACE", MAY_PLACE),
    ]
}

// Character flags, as `char_info` in tagger.py computes them.
pub const C_LU: u32 = 1; // regex \p{Lu}
pub const C_LL: u32 = 1 << 1; // regex \p{Ll}
pub const C_L: u32 = 1 << 2; // regex \p{L}
pub const C_M: u32 = 1 << 3; // regex \p{M}
pub const C_N: u32 = 1 << 4; // regex \p{N}
pub const C_DIGIT: u32 = 1 << 5; // regex \d
pub const C_SPACE_RE: u32 = 1 << 6; // regex \s
pub const C_WORD_RE: u32 = 1 << 7; // regex \w
pub const C_ALPHA: u32 = 1 << 8; // str.isalpha
pub const C_UPPER: u32 = 1 << 9; // str.isupper
pub const C_LOWER: u32 = 1 << 10; // str.islower
pub const C_TITLE: u32 = 1 << 11; // titlecase (str.istitle and not str.isupper)
pub const C_SPACE: u32 = 1 << 12; // str.isspace
pub const C_LOWER_CONTEXT: u32 = 1 << 13; // str.lower depends on the neighbours (capital sigma)

pub fn char_flag_names() -> Vec<(&'static str, u32)> {
    vec![
        ("LU", C_LU),
        ("LL", C_LL),
        ("L", C_L),
        ("M", C_M),
        ("N", C_N),
        ("DIGIT", C_DIGIT),
        ("SPACE_RE", C_SPACE_RE),
        ("WORD_RE", C_WORD_RE),
        ("ALPHA", C_ALPHA),
        ("UPPER", C_UPPER),
        ("LOWER", C_LOWER),
        ("TITLE", C_TITLE),
        ("SPACE", C_SPACE),
        ("LOWER_CONTEXT", C_LOWER_CONTEXT),
    ]
}

#[derive(Clone)]
struct CharInfo {
    flags: u32,
    lower: Rc<str>,
    fold: char, // the ASCII letter it matches under IGNORECASE, or '\0'
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    Place,
    PlaceWord,
    Caps,
    Initial,
    Name,
}

#[derive(Clone)]
struct Piece {
    start: usize,
    end: usize,
    kind: Kind,
    score: f64,
    why: Rc<str>,
    n_tok: usize,
    n_first: usize,
    n_last: usize,
}

struct Place {
    score: f64,
    why: Rc<str>,
    scored_kind: bool, // kind in rules.PLACE_SCORES
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Entity {
    Person,
    Location,
}

struct Span {
    start: usize,
    end: usize,
    entity: Entity,
    score: f64,
    why: Rc<str>,
}

#[derive(PartialEq, Eq)]
enum Number {
    Street,
    Town,
}

const PLAN_CACHE_LIMIT: usize = 50_000;
const CLASS_CACHE_LIMIT: usize = 200_000;
const PLACE_OF_WORDS: [&str; 28] = [
    "city",
    "town",
    "village",
    "villages",
    "villagers",
    "region",
    "province",
    "state",
    "capital",
    "suburb",
    "suburbs",
    "area",
    "outskirts",
    "north",
    "south",
    "east",
    "west",
    "centre",
    "center",
    "heart",
    "streets",
    "residents",
    "mayor",
    "governor",
    "people",
    "citizens",
    "map",
    "border",
];

/// The run loop of one `Tagger`: its word tables, and the memos `_plans` and `_klass`.
#[pyclass(module = "aitrail_native", unsendable)]
pub struct NameRuns {
    table: HashMap<String, u32>,
    places: HashMap<String, Place>,
    words: HashSet<String>,
    by_suffix: Vec<(usize, HashMap<String, Vec<String>>)>,
    suffix_ends: HashSet<char>,
    wordnet: bool,
    particles: HashSet<String>,
    honorifics: HashSet<String>,
    person_cues: HashSet<String>,
    place_cues: HashSet<String>,
    lower_places: HashSet<String>,
    char_info: PyObject,
    key_bits: PyObject,
    bmp: Vec<Option<CharInfo>>,
    astral: HashMap<u32, CharInfo>,
    plans: HashMap<String, Rc<Vec<Piece>>>,
    klass: HashMap<String, u32>,
    person: Py<PyString>,
    location: Py<PyString>,
}

/// One text as characters and their flags.
struct Text<'a> {
    chars: &'a [char],
    flags: Vec<u32>,
    folds: Vec<char>, // CharInfo::fold of each character
}

impl Text<'_> {
    #[inline]
    fn has(&self, i: usize, flag: u32) -> bool {
        self.flags[i] & flag != 0
    }
    #[inline]
    fn is(&self, i: usize, c: char) -> bool {
        self.chars.get(i) == Some(&c)
    }
}

fn is_blank(c: char) -> bool {
    c == ' ' || c == '\t'
}

#[pymethods]
impl NameRuns {
    /// `table`: the tagger's key bits; `places`: (phrase, score, why, kind scored) per
    /// gazetteer phrase; `words`, `rules`: the lexicon's WordNet lemmas and suffix rules;
    /// `char_info(ch) -> (flags, lower, fold)`; `key_bits(key) -> int` (Tagger._key_bits).
    #[new]
    #[allow(clippy::too_many_arguments)]
    #[pyo3(signature = (table, places, words, rules, wordnet, particles, honorifics,
                        person_cues, place_cues, lower_places, char_info, key_bits))]
    fn new(
        py: Python<'_>,
        table: HashMap<String, u32>,
        places: Vec<(String, f64, String, bool)>,
        words: HashSet<String>,
        rules: Vec<(String, String)>,
        wordnet: bool,
        particles: HashSet<String>,
        honorifics: HashSet<String>,
        person_cues: HashSet<String>,
        place_cues: HashSet<String>,
        lower_places: HashSet<String>,
        char_info: PyObject,
        key_bits: PyObject,
    ) -> Self {
        let mut by_len: HashMap<usize, HashMap<String, Vec<String>>> = HashMap::default();
        let mut suffix_ends = HashSet::default();
        for (suffix, ending) in rules {
            if let Some(last) = suffix.chars().last() {
                suffix_ends.insert(last);
                by_len
                    .entry(suffix.chars().count())
                    .or_default()
                    .entry(suffix)
                    .or_default()
                    .push(ending);
            }
        }
        let mut by_suffix: Vec<_> = by_len.into_iter().collect();
        by_suffix.sort_by_key(|entry| std::cmp::Reverse(entry.0));
        let mut whys: HashMap<String, Rc<str>> = HashMap::default();
        let places = places
            .into_iter()
            .map(|(phrase, score, why, scored_kind)| {
                let why = whys
                    .entry(why.clone())
                    .or_insert_with(|| Rc::from(why))
                    .clone();
                (
                    phrase,
                    Place {
                        score,
                        why,
                        scored_kind,
                    },
                )
            })
            .collect();
        Self {
            table,
            places,
            words,
            by_suffix,
            suffix_ends,
            wordnet,
            particles,
            honorifics,
            person_cues,
            place_cues,
            lower_places,
            char_info,
            key_bits,
            bmp: vec![None; 0x10000],
            astral: HashMap::default(),
            plans: HashMap::default(),
            klass: HashMap::default(),
            person: PyString::intern_bound(py, "PERSON").unbind(),
            location: PyString::intern_bound(py, "LOCATION").unbind(),
        }
    }

    /// Forget every planned run and word (benchmarks measure first sightings).
    fn clear_caches(&mut self) {
        self.plans.clear();
        self.klass.clear();
    }

    /// The spans of `text`'s runs (runs starting inside a `masked` span skipped) and of the
    /// `lower_places` written in lower case, as `(start, end, entity, score, why)`; or, for a
    /// text typed without capitals (`text.mostly_lower` and fewer than four runs), the runs'
    /// spans and True: the caller reads its lower-case names (Tagger._lowercase).
    fn find(
        &mut self,
        py: Python<'_>,
        text: &str,
        masked: Vec<(usize, usize)>,
    ) -> PyResult<(Vec<Py<PyTuple>>, bool)> {
        let chars: Vec<char> = text.chars().collect();
        let (flags, folds) = self.flags_of(py, &chars)?;
        let t = Text {
            chars: &chars,
            flags,
            folds,
        };
        let mut out: Vec<Span> = Vec::new();
        let mut runs = 0usize;
        let mut m_i = 0usize;
        let mut p = 0usize;
        let n = chars.len();
        while p < n {
            let Some(end) = self.run_at(&t, p) else {
                p += 1;
                continue;
            };
            runs += 1;
            let start = p;
            p = end;
            if !masked.is_empty() {
                while m_i < masked.len() && masked[m_i].1 <= start {
                    m_i += 1;
                }
                if m_i < masked.len() && masked[m_i].0 <= start {
                    continue;
                }
            }
            let run: String = chars[start..end].iter().collect();
            let plan = match self.plans.get(&run) {
                Some(plan) => plan.clone(),
                None => self.plan(py, &run, &chars[start..end])?,
            };
            if !plan.is_empty() {
                self.in_context(py, &t, start, &plan, &mut out)?;
            }
        }
        let lowercase = runs < 4 && mostly_lower(&t);
        if !lowercase {
            self.lower_place_spans(py, &t, &mut out)?;
        }
        let spans = out
            .into_iter()
            .map(|s| {
                let entity = match s.entity {
                    Entity::Person => self.person.clone_ref(py),
                    Entity::Location => self.location.clone_ref(py),
                };
                PyTuple::new_bound(
                    py,
                    [
                        s.start.into_py(py),
                        s.end.into_py(py),
                        entity.into_py(py),
                        s.score.into_py(py),
                        (&*s.why).into_py(py),
                    ],
                )
                .unbind()
            })
            .collect();
        Ok((spans, lowercase))
    }
}

impl NameRuns {
    fn info(&mut self, py: Python<'_>, c: char) -> PyResult<&CharInfo> {
        let cp = c as u32;
        let known = if cp < 0x10000 {
            self.bmp[cp as usize].is_some()
        } else {
            self.astral.contains_key(&cp)
        };
        if !known {
            let (flags, lower, fold): (u32, String, String) =
                self.char_info.call1(py, (c.to_string(),))?.extract(py)?;
            let info = CharInfo {
                flags,
                lower: Rc::from(lower),
                fold: fold.chars().next().unwrap_or('\0'),
            };
            if cp < 0x10000 {
                self.bmp[cp as usize] = Some(info);
            } else {
                self.astral.insert(cp, info);
            }
        }
        Ok(if cp < 0x10000 {
            self.bmp[cp as usize].as_ref().expect("filled above")
        } else {
            &self.astral[&cp]
        })
    }

    fn flags_of(&mut self, py: Python<'_>, chars: &[char]) -> PyResult<(Vec<u32>, Vec<char>)> {
        let mut flags = Vec::with_capacity(chars.len());
        let mut folds = Vec::with_capacity(chars.len());
        for &c in chars {
            let info = self.info(py, c)?;
            flags.push(info.flags);
            folds.push(info.fold);
        }
        Ok((flags, folds))
    }

    fn known(&self, c: char) -> &CharInfo {
        let cp = c as u32;
        if cp < 0x10000 {
            self.bmp[cp as usize]
                .as_ref()
                .expect("flags_of saw every character")
        } else {
            &self.astral[&cp]
        }
    }

    /// Tagger.find's lower-case places: the words of `text.lower()` (punctuation as spaces)
    /// that are `lower_places`, wherever they are written so (text.exact_word).
    fn lower_place_spans(&self, py: Python<'_>, t: &Text<'_>, out: &mut Vec<Span>) -> PyResult<()> {
        if self.lower_places.is_empty() {
            return Ok(());
        }
        let lowered = self.lower(py, t.chars)?;
        let mut mapped = lowered.into_bytes();
        for b in mapped.iter_mut() {
            if PUNCT_OR_SPACE[*b as usize] {
                *b = b' ';
            }
        }
        let mut found: Vec<&str> = Vec::new();
        for word in mapped.split(|&b| b == b' ') {
            if word.is_empty() {
                continue;
            }
            // (splitting UTF-8 at ASCII bytes leaves whole characters)
            let word = std::str::from_utf8(word).expect("split at ASCII bytes");
            if let Some(place) = self.lower_places.get(word) {
                if !found.contains(&place.as_str()) {
                    found.push(place.as_str());
                }
            }
        }
        let why: Rc<str> = Rc::from("lower-place");
        for place in found {
            let word: Vec<char> = place.chars().collect();
            let n = t.chars.len();
            let mut i = 0;
            while i + word.len() <= n {
                let behind_ok =
                    i == 0 || !(t.has(i - 1, C_L | C_N) || "_@#/.-".contains(t.chars[i - 1]));
                if behind_ok
                    && t.chars[i..i + word.len()] == word[..]
                    && lookahead_ok(t, i + word.len())
                {
                    out.push(Span {
                        start: i,
                        end: i + word.len(),
                        entity: Entity::Location,
                        score: 0.45,
                        why: why.clone(),
                    });
                    i += word.len();
                } else {
                    i += 1;
                }
            }
        }
        Ok(())
    }

    // ---- rules.RUN ---------------------------------------------------------------------

    /// `rules.RUN.match` at `p` (its lookbehind included): the end of the run, or None.
    /// Its greedy chain of words (initials, name words, particles between) is read once;
    /// backtracking gives the run's end as the last word end, going backwards, after which
    /// the lookahead holds.
    fn run_at(&self, t: &Text<'_>, p: usize) -> Option<usize> {
        if !t.has(p, C_LU) {
            return None;
        }
        if p > 0 {
            let c = t.chars[p - 1];
            if t.has(p - 1, C_L | C_N) || "_@#/.-'’".contains(c) {
                return None;
            }
        }
        let n = t.chars.len();
        let mut ends: Vec<usize> = Vec::new();
        let mut q = p;
        loop {
            let element_end = self.element(t, q, &mut ends);
            // [ \t]+ (particle [ \t]+)* then the next element, or the chain ends here
            let mut r = element_end;
            let mut next = None;
            while r < n && is_blank(t.chars[r]) {
                r += 1;
            }
            if r > element_end {
                loop {
                    if r < n && t.has(r, C_LU) {
                        next = Some(r);
                        break;
                    }
                    let mut w = r;
                    while w < n && !is_blank(t.chars[w]) {
                        w += 1;
                    }
                    if w == r || w == n {
                        break;
                    }
                    let word: String = t.chars[r..w].iter().collect();
                    if !self.particles.contains(&word) {
                        break;
                    }
                    r = w;
                    while r < n && is_blank(t.chars[r]) {
                        r += 1;
                    }
                }
            }
            match next {
                Some(start) => q = start,
                None => break,
            }
        }
        ends.into_iter().rev().find(|&e| lookahead_ok(t, e))
    }

    /// One initial group or name word at `q` (a capital): pushes every end the regex can
    /// backtrack to, in increasing order; returns the greedy end.
    fn element(&self, t: &Text<'_>, q: usize, ends: &mut Vec<usize>) -> usize {
        let n = t.chars.len();
        ends.push(q + 1); // the name word of one capital (also the initial's fallback)
        if t.is(q + 1, '.') {
            // \p{Lu}\.(?:\p{Lu}\.)*
            let mut r = q + 2;
            ends.push(r);
            while r + 1 < n && t.has(r, C_LU) && t.chars[r + 1] == '.' {
                r += 2;
                ends.push(r);
            }
            return r;
        }
        // \p{Lu}[\p{L}\p{M}'’]*(?:-\p{L}[\p{L}\p{M}'’]*)*
        let inner = |i: usize| t.has(i, C_L | C_M) || t.chars[i] == '\'' || t.chars[i] == '’';
        let mut r = q + 1;
        loop {
            while r < n && inner(r) {
                r += 1;
                ends.push(r);
            }
            if r + 1 < n && t.chars[r] == '-' && t.has(r + 1, C_L) {
                r += 2;
                ends.push(r);
            } else {
                return r;
            }
        }
    }

    // ---- words and plans (Tagger._word, _plan, _plan_one, _segment) --------------------

    /// str.lower (ASCII letters directly; capital sigma, whose lower case depends on its
    /// neighbours, through Python).
    fn lower(&self, py: Python<'_>, word: &[char]) -> PyResult<String> {
        let mut out = String::with_capacity(word.len());
        for &c in word {
            if c.is_ascii() {
                out.push(c.to_ascii_lowercase());
                continue;
            }
            let info = self.known(c);
            if info.flags & C_LOWER_CONTEXT != 0 {
                let s: String = word.iter().collect();
                return PyString::new_bound(py, &s).call_method0("lower")?.extract();
            }
            out.push_str(&info.lower);
        }
        Ok(out)
    }

    fn all(&self, word: &[char], flag: u32) -> bool {
        !word.is_empty() && word.iter().all(|&c| self.known(c).flags & flag != 0)
    }

    /// str.isupper / str.islower: no character of the other case or titlecase, one cased.
    fn cased_as(&self, word: &[char], case: u32) -> bool {
        let other = (C_UPPER | C_LOWER | C_TITLE) & !case;
        let mut cased = false;
        for &c in word {
            let f = self.known(c).flags;
            if f & other != 0 {
                return false;
            }
            if f & case != 0 {
                cased = true;
            }
        }
        cased
    }

    /// text.key: lower case, no possessive 's, no trailing quotes or dots.
    fn key(&self, py: Python<'_>, word: &[char]) -> PyResult<String> {
        let mut w = self.lower(py, word)?;
        if w.ends_with("'s") || w.ends_with("’s") {
            let cut = w.char_indices().rev().nth(1).map_or(0, |(i, _)| i);
            w.truncate(cut);
        }
        Ok(w.trim_end_matches(['\'', '’', '.']).to_string())
    }

    fn is_word(&self, key: &str) -> bool {
        if self.words.contains(key) {
            return true;
        }
        match key.chars().last() {
            Some(c) if self.suffix_ends.contains(&c) => {}
            _ => return false,
        }
        let chars: Vec<char> = key.chars().collect();
        for (n, ends) in &self.by_suffix {
            if *n > chars.len() {
                continue;
            }
            let cut = chars.len() - n;
            let suffix: String = chars[cut..].iter().collect();
            if let Some(reps) = ends.get(&suffix) {
                let stem: String = chars[..cut].iter().collect();
                for rep in reps {
                    if self.words.contains(&format!("{stem}{rep}")) {
                        return true;
                    }
                }
            }
        }
        false
    }

    /// Tagger._unlisted_bits. (A key's characters come from lower() and may be new.)
    fn unlisted_bits(&mut self, py: Python<'_>, key: &str) -> PyResult<u32> {
        let len = key.chars().count();
        if len < 2 {
            let mut alpha = len == 1;
            for c in key.chars() {
                alpha = alpha && self.info(py, c)?.flags & C_ALPHA != 0;
            }
            return Ok(if alpha {
                INITIAL | EDGE | SHORT
            } else {
                BREAK | SHORT
            });
        }
        let k = if self.wordnet && self.is_word(key) {
            BREAK
        } else {
            NAME
        };
        Ok(if len <= 3 { k | SHORT | LONG } else { k | LONG })
    }

    fn listed_or_unlisted(&mut self, py: Python<'_>, key: &str) -> PyResult<u32> {
        match self.table.get(key) {
            Some(&b) => Ok(b),
            None => self.unlisted_bits(py, key),
        }
    }

    /// tagger._odd_case (the ODD_CASE regex, after its str pre-check).
    fn odd_case(&self, w: &[char]) -> bool {
        let max = w.iter().copied().max().unwrap_or('\0');
        if max < '\u{1c80}'
            && (self.cased_as(w, C_UPPER)
                || (!w.contains(&'-') && self.cased_as(&w[1.min(w.len())..], C_LOWER)))
        {
            return false;
        }
        let f = |i: usize| self.known(w[i]).flags;
        let n = w.len();
        for i in 0..n.saturating_sub(1) {
            if f(i) & C_LL != 0 && f(i + 1) & C_LU != 0 {
                let j = i + 2; // after the capital: the lookbehinds end here
                let excluded = (j == 3 && w[0] == 'M' && w[1] == 'c')
                    || (j == 4 && w[0] == 'M' && w[1] == 'a' && w[2] == 'c')
                    || (j == 3 && w[0] == 'D' && (w[1] == 'e' || w[1] == 'i'))
                    || (j == 3 && w[0] == 'L' && (w[1] == 'a' || w[1] == 'e'));
                if !excluded {
                    return true;
                }
            }
        }
        for i in 0..n.saturating_sub(2) {
            if f(i) & C_LU != 0 && f(i + 1) & C_LU != 0 && f(i + 2) & C_LL != 0 {
                return true;
            }
        }
        (0..n.saturating_sub(1)).any(|i| w[i] == '-' && f(i + 1) & C_LL != 0)
    }

    fn word_bits(&mut self, py: Python<'_>, word: &[char], as_written: String) -> PyResult<u32> {
        let mut b;
        if self.all(word, C_ALPHA) {
            let key = self.lower(py, word)?;
            b = self.listed_or_unlisted(py, &key)?;
            if self.cased_as(word, C_UPPER) {
                b |= UPPER;
            }
            let titled = word.iter().all(|c| c.is_ascii()) && self.cased_as(&word[1..], C_LOWER);
            if (b & CLASS == NAME || b & PW != 0) && !titled && self.odd_case(word) {
                b |= ODD;
            }
        } else {
            let key = self.key(py, word)?;
            b = match self.table.get(&key) {
                Some(&b) => b,
                None if key.contains(['\'', '’']) => {
                    self.key_bits.call1(py, (&key,))?.extract(py)?
                }
                None => self.unlisted_bits(py, &key)?,
            };
            let last = word.last().copied();
            if last == Some('.') {
                b |= DOT;
            } else if last == Some('\'') || last == Some('’') {
                b |= TRIM;
            }
            if possessive(word) {
                b |= TRIM;
            }
            if self.cased_as(word, C_UPPER) {
                b |= UPPER;
            }
            if (b & CLASS == NAME || b & PW != 0) && self.odd_case(word) {
                b |= ODD;
            }
        }
        self.klass.insert(as_written, b);
        Ok(b)
    }

    fn memo_bits(&mut self, py: Python<'_>, word: &[char]) -> PyResult<u32> {
        let s: String = word.iter().collect();
        match self.klass.get(&s) {
            Some(&b) => Ok(b),
            None => self.word_bits(py, word, s),
        }
    }

    fn place(&self, key: &str) -> PyResult<&Place> {
        self.places
            .get(key)
            .ok_or_else(|| PyKeyError::new_err(key.to_string()))
    }

    fn plan(&mut self, py: Python<'_>, run: &str, chars: &[char]) -> PyResult<Rc<Vec<Piece>>> {
        if self.plans.len() >= PLAN_CACHE_LIMIT {
            self.plans.clear();
        }
        if self.klass.len() >= CLASS_CACHE_LIMIT {
            self.klass.clear();
        }
        let plan = if !chars.iter().any(|&c| is_blank(c)) {
            let titled = chars.iter().all(|c| c.is_ascii())
                && self.all(chars, C_ALPHA)
                && self.cased_as(&chars[1..], C_LOWER);
            let b = if titled {
                let key = self.lower(py, chars)?;
                self.listed_or_unlisted(py, &key)?
            } else {
                self.memo_bits(py, chars)?
            };
            self.plan_one(py, chars, b)?
        } else {
            self.plan_words(py, chars)?
        };
        let plan = Rc::new(plan);
        self.plans.insert(run.to_string(), plan.clone());
        Ok(plan)
    }

    fn plan_one(&self, py: Python<'_>, word: &[char], b: u32) -> PyResult<Vec<Piece>> {
        if b >= MAY_PLACE
            && b & PLACE != 0
            && !(b & CITY_PERSON != 0 || (b & SHORT != 0 && b & UPPER != 0))
        {
            if b & PLACE_OK == 0 {
                return Ok(vec![]);
            }
            let key = if self.all(word, C_ALPHA) {
                self.lower(py, word)?
            } else {
                self.key(py, word)?
            };
            let place = self.place(&key)?;
            return Ok(vec![Piece {
                start: 0,
                end: trim(word, 0),
                kind: Kind::Place,
                score: place.score,
                why: place.why.clone(),
                n_tok: 0,
                n_first: 0,
                n_last: 0,
            }]);
        }
        if b & CLASS != NAME || b & ODD != 0 || b & PW != 0 {
            return Ok(vec![]);
        }
        let n_first = usize::from(b & FIRST != 0);
        let caps = b & UPPER != 0 && b & LONG != 0 && (n_first == 0 || b & SHORT != 0);
        Ok(vec![Piece {
            start: 0,
            end: if b & TRIM != 0 {
                trim(word, 0)
            } else {
                word.len()
            },
            kind: if caps { Kind::Caps } else { Kind::Name },
            score: 0.0,
            why: Rc::from(""),
            n_tok: 1,
            n_first,
            n_last: usize::from(b & LAST != 0),
        }])
    }

    fn plan_words(&mut self, py: Python<'_>, run: &[char]) -> PyResult<Vec<Piece>> {
        // the run's separators are spaces and tabs, its words have none
        let mut words: Vec<&[char]> = Vec::new();
        let mut starts: Vec<usize> = Vec::new();
        let mut i = 0;
        while i < run.len() {
            if is_blank(run[i]) {
                i += 1;
                continue;
            }
            let s = i;
            while i < run.len() && !is_blank(run[i]) {
                i += 1;
            }
            words.push(&run[s..i]);
            starts.push(s);
        }
        let n_tok = words.len();
        let mut bits = Vec::with_capacity(n_tok);
        for w in &words {
            bits.push(self.memo_bits(py, w)?);
        }
        let mut keys: Option<Vec<String>> = None;
        let mut pieces: Vec<Piece> = Vec::new();
        let mut seg: Vec<usize> = Vec::new();
        let mut poisoned = false;
        let mut i = 0;
        while i < n_tok {
            let b = bits[i];
            if b >= MAY_PLACE {
                let mut n = 0;
                let longest = (b >> PLACE_LEN) as usize;
                if longest > 1 && i + 1 < n_tok {
                    let ks = self.keys(py, &mut keys, &words)?;
                    for m in (2..=longest.min(n_tok - i)).rev() {
                        if self.places.contains_key(&ks[i..i + m].join(" ")) {
                            n = m;
                            break;
                        }
                    }
                }
                if n == 0
                    && b & PLACE != 0
                    && !(b & CITY_PERSON != 0
                        || (b & SHORT != 0 && b & UPPER != 0)
                        || (i + 1 < n_tok && b & FIRST5 != 0))
                {
                    n = 1;
                }
                if n > 0 {
                    let mut first_tok = i;
                    if !seg.is_empty() && seg.iter().all(|&j| bits[j] & PW != 0) {
                        first_tok = seg[0];
                        seg.clear();
                    }
                    if !seg.is_empty() && !poisoned {
                        segment(&seg, &words, &bits, &starts, &mut pieces);
                    }
                    seg.clear();
                    poisoned = false;
                    if first_tok < i || n > 1 || b & PLACE_OK != 0 {
                        let ks = self.keys(py, &mut keys, &words)?;
                        let place = self.place(&ks[i..i + n].join(" "))?;
                        pieces.push(Piece {
                            start: starts[first_tok],
                            end: trim(words[i + n - 1], starts[i + n - 1]),
                            kind: Kind::Place,
                            score: place.score,
                            why: place.why.clone(),
                            n_tok: 0,
                            n_first: 0,
                            n_last: 0,
                        });
                    }
                    i += n;
                    continue;
                }
            }
            let mut k = b & CLASS;
            if b & PW != 0 && (!seg.is_empty() || i + 1 < n_tok) {
                k = NAME; // River Rom, Badlands National Park
            }
            if k == NAME && b & ODD != 0 {
                k = BREAK;
            }
            if k == BREAK && b & LAST != 0 {
                if let Some(&j) = seg.last() {
                    if bits[j] & FIRST != 0 || bits[j] & CLASS == INITIAL {
                        k = NAME; // a surname that is also a word, after a first name
                    }
                }
            }
            if k == NAME || k == PART || k == INITIAL {
                seg.push(i);
            } else if k == POISON {
                seg.clear();
                poisoned = true;
            } else {
                if !seg.is_empty() && !poisoned {
                    segment(&seg, &words, &bits, &starts, &mut pieces);
                }
                seg.clear();
                poisoned = false;
            }
            i += 1;
        }
        if !seg.is_empty() && !poisoned {
            segment(&seg, &words, &bits, &starts, &mut pieces);
        }
        if n_tok >= 4 && 2 * bits.iter().filter(|&&b| b & CLASS == BREAK).count() >= n_tok {
            // Title Case Headline Of Common Words: only full names survive in it
            pieces.retain(|p| p.kind != Kind::Name || (p.n_first > 0 && p.n_tok > 1));
        }
        Ok(pieces)
    }

    fn keys<'k>(
        &self,
        py: Python<'_>,
        keys: &'k mut Option<Vec<String>>,
        words: &[&[char]],
    ) -> PyResult<&'k Vec<String>> {
        if keys.is_none() {
            let mut ks = Vec::with_capacity(words.len());
            for w in words {
                ks.push(if self.all(w, C_ALPHA) {
                    self.lower(py, w)?
                } else {
                    self.key(py, w)?
                });
            }
            *keys = Some(ks);
        }
        Ok(keys.as_ref().expect("set above"))
    }

    // ---- context (Tagger._place_in_context and text.py) --------------------------------

    fn in_context(
        &self,
        py: Python<'_>,
        t: &Text<'_>,
        offset: usize,
        plan: &[Piece],
        out: &mut Vec<Span>,
    ) -> PyResult<()> {
        let mut spans: Vec<Span> = Vec::new();
        for p in plan {
            let (start, end) = (offset + p.start, offset + p.end);
            let span = |entity, score, why: Rc<str>| Span {
                start,
                end,
                entity,
                score,
                why,
            };
            if p.kind == Kind::Place || p.kind == Kind::PlaceWord {
                spans.push(span(Entity::Location, p.score, p.why.clone()));
                continue;
            }
            if p.kind == Kind::Caps {
                if p.n_tok <= 3 {
                    let cue = self.prev_word(py, t, start)?;
                    if self.place_cues.contains(&cue) {
                        spans.push(span(
                            Entity::Location,
                            0.5,
                            Rc::from(format!("placecue:{cue}")),
                        ));
                    }
                }
                continue;
            }
            let number = number_before(t, start);
            if number == Some(Number::Street) || digit_after(t, end) {
                continue; // a street or building name inside an address
            }
            if number == Some(Number::Town) {
                spans.push(span(Entity::Location, 0.5, Rc::from("after-number")));
                continue;
            }
            if p.kind == Kind::Initial {
                spans.push(span(Entity::Person, 0.85, Rc::from("middle-initial")));
                continue;
            }
            let cue = self.prev_word(py, t, start)?;
            if self.honorifics.contains(&cue) || self.person_cues.contains(&cue) {
                spans.push(span(Entity::Person, 0.85, Rc::from(format!("cue:{cue}"))));
            } else if p.n_first > 0 {
                let score = if p.n_tok > 1 { 0.85 } else { 0.7 };
                spans.push(span(Entity::Person, score, Rc::from("first-name")));
            } else if self.place_cues.contains(&cue)
                || ((cue == "of" || cue == "the") && place_of(t, start))
                || self.place_follows(py, t, end)?
            {
                spans.push(span(
                    Entity::Location,
                    0.5,
                    Rc::from(format!("placecue:{cue}")),
                ));
            } else if p.n_last > 0 {
                spans.push(span(Entity::Person, 0.55, Rc::from("surname")));
            } else {
                spans.push(span(Entity::Person, 0.45, Rc::from("shape")));
            }
        }
        if plan.len() == 1 || spans.len() <= 1 {
            out.extend(spans);
        } else {
            merge(t, spans, out);
        }
        Ok(())
    }

    /// text.prev_word: rules.PREV_WORD `(?r)([\p{L}']+)[^\p{L}\n]{0,3}` read back from
    /// `start` within 30 characters, its word lower-cased.
    fn prev_word(&self, py: Python<'_>, t: &Text<'_>, start: usize) -> PyResult<String> {
        let lo = start.saturating_sub(30);
        let letter = |i: usize| t.has(i, C_L) || t.chars[i] == '\'';
        let mut kmax = 0;
        while kmax < 3 && start > lo + kmax {
            let i = start - kmax - 1;
            if t.has(i, C_L) || t.chars[i] == '\n' {
                break;
            }
            kmax += 1;
        }
        for k in (0..=kmax).rev() {
            let e = start - k;
            if e > lo && letter(e - 1) {
                let mut g = e - 1;
                while g > lo && letter(g - 1) {
                    g -= 1;
                }
                return self.lower(py, &t.chars[g..e]);
            }
        }
        Ok(String::new())
    }

    /// Tagger._place_follows: rules.COMMA_WORD `,[ \t]*(\p{Lu}[\p{L}\p{M}]+)` at `end`
    /// names a country, state, capital or region.
    fn place_follows(&self, py: Python<'_>, t: &Text<'_>, end: usize) -> PyResult<bool> {
        if !t.is(end, ',') {
            return Ok(false);
        }
        let n = t.chars.len();
        let mut p = end + 1;
        while p < n && is_blank(t.chars[p]) {
            p += 1;
        }
        if p >= n || !t.has(p, C_LU) {
            return Ok(false);
        }
        let mut q = p + 1;
        while q < n && t.has(q, C_L | C_M) {
            q += 1;
        }
        if q == p + 1 {
            return Ok(false);
        }
        let key = self.lower(py, &t.chars[p..q])?;
        Ok(self.places.get(&key).is_some_and(|place| place.scored_kind))
    }
}

/// rules.PUNCT_TO_SPACE's punctuation and the ASCII whitespace of bytes.split(): where
/// Tagger.find splits the lower-cased text into words.
const PUNCT_OR_SPACE: [bool; 256] = {
    let mut table = [false; 256];
    let chars = b"!\"#$%&()*+,./:;<=>?@[\\]^_`{|}~' \t\n\r\x0b\x0c";
    let mut i = 0;
    while i < chars.len() {
        table[chars[i] as usize] = true;
        i += 1;
    }
    table
};

/// text.mostly_lower: typed without capitals (rules.WORD_CAP `(?<![\p{L}\p{N}])\p{Lu}` at
/// most once in twenty words, counting spaces and line breaks).
fn mostly_lower(t: &Text<'_>) -> bool {
    let mut caps = 0;
    for i in 0..t.chars.len() {
        if t.has(i, C_LU) && (i == 0 || !t.has(i - 1, C_L | C_N)) {
            caps += 1;
            if caps > 3 {
                return false;
            }
        }
    }
    let words = t.chars.iter().filter(|&&c| c == ' ' || c == '\n').count() + 1;
    words >= 4 && caps <= words / 20
}

fn lookahead_ok(t: &Text<'_>, e: usize) -> bool {
    // (?![\p{L}\p{N}_@]|\.\p{L})
    let n = t.chars.len();
    if e < n && (t.has(e, C_L | C_N) || t.chars[e] == '_' || t.chars[e] == '@') {
        return false;
    }
    !(e + 1 < n && t.chars[e] == '.' && t.has(e + 1, C_L))
}

fn possessive(word: &[char]) -> bool {
    let n = word.len();
    n >= 2 && word[n - 1] == 's' && (word[n - 2] == '\'' || word[n - 2] == '’')
}

/// text.trim: the end of a run's word (at `start`) without a possessive 's or quotes.
fn trim(word: &[char], start: usize) -> usize {
    if possessive(word) {
        return start + word.len() - 2;
    }
    let mut n = word.len();
    while n > 0 && (word[n - 1] == '\'' || word[n - 1] == '’') {
        n -= 1;
    }
    start + n
}

/// tagger._segment: a piece for the name-like words `seg` (indexes into the run's words).
fn segment(
    seg: &[usize],
    words: &[&[char]],
    bits: &[u32],
    starts: &[usize],
    pieces: &mut Vec<Piece>,
) {
    let (mut lo, mut hi) = (0, seg.len());
    while lo < hi && bits[seg[lo]] & EDGE != 0 && !(hi - lo > 1 && bits[seg[lo]] & DOT != 0) {
        lo += 1;
    }
    while lo < hi && bits[seg[hi - 1]] & EDGE != 0 {
        hi -= 1;
    }
    if lo == hi {
        return;
    }
    let last = seg[hi - 1];
    let start = starts[seg[lo]];
    let end = if bits[last] & TRIM != 0 {
        trim(words[last], starts[last])
    } else {
        starts[last] + words[last].len()
    };
    let (mut n_first, mut n_last, mut caps) = (0, 0, true);
    for &j in &seg[lo..hi] {
        let b = bits[j];
        if b & PW != 0 {
            if hi - lo > 1 {
                pieces.push(Piece {
                    start,
                    end,
                    kind: Kind::PlaceWord,
                    score: 0.6,
                    why: Rc::from("placeword"),
                    n_tok: hi - lo,
                    n_first: 0,
                    n_last: 0,
                });
            }
            return;
        }
        if b & FIRST != 0 {
            n_first += 1;
        }
        if b & LAST != 0 {
            n_last += 1;
        }
        if !(b & UPPER != 0 && b & LONG != 0) {
            caps = false;
        }
    }
    if caps && n_first > 0 && !(hi - lo == 1 && bits[seg[lo]] & SHORT != 0) {
        caps = false; // TED, BEN: acronyms
    }
    let initial = hi - lo > 2
        && seg[lo + 1..hi - 1]
            .iter()
            .any(|&j| bits[j] & CLASS == INITIAL);
    pieces.push(Piece {
        start,
        end,
        kind: if caps {
            Kind::Caps
        } else if initial {
            Kind::Initial
        } else {
            Kind::Name
        },
        score: 0.0,
        why: Rc::from(""),
        n_tok: hi - lo,
        n_first,
        n_last,
    });
}

/// text.number_before: rules.NUMBER_BEFORE, read back from `start` within 12 characters:
/// `(?P<street>\d[\p{N}\-/]*[ \t]+)` first, then `\d[ \t]*(?:,[ \t]*|\n[\s>]*)`.
fn number_before(t: &Text<'_>, start: usize) -> Option<Number> {
    let lo = start.saturating_sub(12);
    let blank = |i: usize| is_blank(t.chars[i]);
    // street: blanks, then a run of numbers, hyphens and slashes holding a digit
    let mut p = start;
    while p > lo && blank(p - 1) {
        p -= 1;
    }
    if p < start {
        let mut q = p;
        while q > lo && (t.has(q - 1, C_N) || t.chars[q - 1] == '-' || t.chars[q - 1] == '/') {
            q -= 1;
        }
        if (q..p).any(|i| t.has(i, C_DIGIT)) {
            return Some(Number::Street);
        }
    }
    let digit_before_blanks = |mut i: usize| {
        while i > lo && blank(i - 1) {
            i -= 1;
        }
        i > lo && t.has(i - 1, C_DIGIT)
    };
    // town: a digit, blanks, then a comma and blanks
    if p > lo && t.chars[p - 1] == ',' && digit_before_blanks(p - 1) {
        return Some(Number::Town);
    }
    // ... or a line break, then spaces and ">" (the leftmost line break is tried first)
    let mut r = start;
    while r > lo && (t.has(r - 1, C_SPACE_RE) || t.chars[r - 1] == '>') {
        r -= 1;
    }
    for x in r..start {
        if t.chars[x] == '\n' && digit_before_blanks(x) {
            return Some(Number::Town);
        }
    }
    None
}

/// text.digit_after: rules.DIGIT_AFTER `[ \t]+\d` at `end`.
fn digit_after(t: &Text<'_>, end: usize) -> bool {
    let n = t.chars.len();
    let mut p = end;
    while p < n && is_blank(t.chars[p]) {
        p += 1;
    }
    p > end && p < n && t.has(p, C_DIGIT)
}

/// rules.PLACE_OF `(?r)\b(?:city|...|border)\s+of\s+(?:the\s+)?` (IGNORECASE), read back
/// from `start` within 40 characters (its \b sees the character before the window).
fn place_of(t: &Text<'_>, start: usize) -> bool {
    let lo = start.saturating_sub(40);
    let spaces_back = |p: usize| {
        let mut s = p;
        while s > lo && t.has(s - 1, C_SPACE_RE) {
            s -= 1;
        }
        s
    };
    let folds_to = |at: usize, word: &str| {
        word.chars().enumerate().all(|(i, w)| {
            let c = t.chars[at + i];
            c == w || t.folds[at + i] == w
        })
    };
    let rest = |p: usize| -> bool {
        let s = spaces_back(p);
        if s == p || s < lo + 2 || !folds_to(s - 2, "of") {
            return false;
        }
        let p = s - 2;
        let s = spaces_back(p);
        if s == p {
            return false;
        }
        PLACE_OF_WORDS.iter().any(|w| {
            let len = w.len();
            s >= lo + len
                && folds_to(s - len, w)
                && (s - len == 0 || !t.has(s - len - 1, C_WORD_RE))
        })
    };
    let s = spaces_back(start);
    if s < start && s >= lo + 3 && folds_to(s - 3, "the") && rest(s - 3) {
        return true;
    }
    rest(start)
}

/// text.merge: a place word next to a person name in one run is part of the name.
fn merge(t: &Text<'_>, spans: Vec<Span>, out: &mut Vec<Span>) {
    let mut merged: Vec<Span> = Vec::with_capacity(spans.len());
    for s in spans {
        if let Some(p) = merged.last_mut() {
            let mixed = p.entity != s.entity;
            let gap = if p.end < s.start {
                &t.flags[p.end..s.start]
            } else {
                &[][..]
            };
            let blank_gap = !gap.is_empty()
                && gap.iter().all(|f| f & C_SPACE != 0)
                && !t.chars[p.end..s.start.max(p.end)].contains(&'\n');
            if mixed && blank_gap {
                p.end = s.end;
                p.entity = Entity::Person;
                p.score = p.score.max(s.score);
                p.why = Rc::from(format!("{}+{}", p.why, s.why));
                continue;
            }
        }
        merged.push(s);
    }
    out.extend(merged);
}
