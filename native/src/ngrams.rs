//! The moderation model's hashed n-gram sum, text by text.
//!
//! Twin of `pipelines/detection/moderation/features.py` (`featurize_padded`) followed by
//! `ModerationDetector._ngram_logits`: the same polynomial hashes of code points (mod 2**64),
//! murmur3's 64-bit finaliser, bucket and sign, and per family
//! `scale * sum(sign * weights[bucket])`. The weights are float16 values held as float32, so
//! every partial sum is exact in float64 and the order of the additions cannot change a bit;
//! the scales are computed in float32 as numpy computes them. The result equals numpy's.

use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;
use pyo3::pybacked::PyBackedStr;
use pyo3::types::PyBytes;

const Q: u64 = 0x0000_0100_0000_01B3; // FNV-64 prime
const GOLDEN: u64 = 0x9E37_79B9_7F4A_7C15;
const SEED_WORD: u64 = 101;
const SEED_BIGRAM: u64 = 102;
const MAX_NGRAM: usize = 16;
/// `char_seeds[n - 1]` of a size that is not a feature (no size's seed is 0: GOLDEN is odd).
const NOT_A_SIZE: u64 = 0;

fn seed(n: u64) -> u64 {
    n.wrapping_mul(GOLDEN)
}

#[inline(always)]
fn fmix64(mut h: u64) -> u64 {
    h ^= h >> 33;
    h = h.wrapping_mul(0xFF51_AFD7_ED55_8CCD);
    h ^= h >> 33;
    h = h.wrapping_mul(0xC4CE_B9FE_1A85_EC53);
    h ^ (h >> 33)
}

/// Letters, digits and apostrophes of ASCII (the text is lower-cased), and every code point
/// above 0x7f except General Punctuation (U+2000..U+206F): `features._WORD_TABLE`.
#[inline(always)]
fn is_word(cp: u32) -> bool {
    if cp < 128 {
        let c = cp as u8;
        c.is_ascii_lowercase() || c.is_ascii_digit() || c == b'\''
    } else {
        !(0x2000..0x2070).contains(&cp)
    }
}

/// `np.float32(weight) / np.sqrt(np.float32(max(count, 1)))`.
fn family_scale(count: usize, weight: f32) -> f32 {
    let c = (count as f32).max(1.0);
    weight / c.sqrt()
}

/// Weights of a linear model over `2**bits` hashed buckets, one row of `n_cat` per bucket.
#[pyclass(frozen, module = "aitrail_native")]
pub struct NgramScorer {
    weights: Vec<f32>,
    n_cat: usize,
    mask: u64,
    char_sizes: Vec<usize>,
    char_seeds: Vec<u64>, // by size - 1
    unigrams: bool,
    bigrams: bool,
    char_weight: f32,
    word_weight: f32,
    powers: [u64; MAX_NGRAM],
}

#[pymethods]
impl NgramScorer {
    /// `weights`: `2**bits * n_cat` little-endian float32 (row-major); `char_ngrams` and
    /// `word_ngrams` as in `FeatureConfig` (word sizes 1 and 2 only).
    #[new]
    #[pyo3(signature = (weights, n_cat, bits, char_ngrams, word_ngrams, char_weight, word_weight))]
    fn new(
        weights: &[u8],
        n_cat: usize,
        bits: u32,
        char_ngrams: Vec<usize>,
        word_ngrams: Vec<usize>,
        char_weight: f32,
        word_weight: f32,
    ) -> PyResult<Self> {
        if bits == 0 || bits > 32 || n_cat == 0 {
            return Err(PyValueError::new_err(
                "bits must be in 1..=32 and n_cat positive",
            ));
        }
        let rows = 1usize << bits;
        if weights.len() != rows * n_cat * 4 {
            return Err(PyValueError::new_err(format!(
                "weights hold {} bytes, expected 2**{bits} rows of {n_cat} float32 ({})",
                weights.len(),
                rows * n_cat * 4
            )));
        }
        if char_ngrams.iter().any(|&n| n == 0 || n > MAX_NGRAM) {
            return Err(PyValueError::new_err(format!(
                "char n-gram sizes must be in 1..={MAX_NGRAM}"
            )));
        }
        if word_ngrams.iter().any(|&n| n != 1 && n != 2) {
            return Err(PyValueError::new_err("word n-gram sizes must be 1 or 2"));
        }
        let weights = weights
            .chunks_exact(4)
            .map(|b| f32::from_le_bytes([b[0], b[1], b[2], b[3]]))
            .collect();
        let mut powers = [1u64; MAX_NGRAM];
        for i in 1..MAX_NGRAM {
            powers[i] = powers[i - 1].wrapping_mul(Q);
        }
        Ok(Self {
            weights,
            n_cat,
            mask: (rows as u64) - 1,
            char_seeds: (1..=MAX_NGRAM)
                .map(|n| {
                    if char_ngrams.contains(&n) {
                        seed(n as u64)
                    } else {
                        NOT_A_SIZE
                    }
                })
                .collect(),
            char_sizes: char_ngrams,
            unigrams: word_ngrams.contains(&1),
            bigrams: word_ngrams.contains(&2),
            char_weight,
            word_weight,
            powers,
        })
    }

    /// Each normalised text's n-gram logits, `len(texts) * n_cat` little-endian float64
    /// (row-major) for `np.frombuffer`.
    fn logits<'py>(&self, py: Python<'py>, texts: Vec<PyBackedStr>) -> Bound<'py, PyBytes> {
        let mut out = vec![0f64; texts.len() * self.n_cat];
        let mut cps: Vec<u32> = Vec::new();
        let mut grams: Vec<(u32, bool)> = Vec::new();
        for (row, text) in out.chunks_exact_mut(self.n_cat).zip(texts.iter()) {
            cps.clear();
            cps.extend(text.chars().map(|c| c as u32));
            self.score(&cps, &mut grams, row);
        }
        let bytes: Vec<u8> = out.iter().flat_map(|v| v.to_le_bytes()).collect();
        PyBytes::new_bound(py, &bytes)
    }
}

/// Weight rows fetched this many n-grams ahead of the one being added: a row is a random
/// 32-byte read in an 8 MB table (L3, not L2), and the prefetch hides most of its latency.
const PREFETCH_AHEAD: usize = 16;

impl NgramScorer {
    /// The bucket of an n-gram's hash and whether its sign is negative.
    #[inline(always)]
    fn push(&self, grams: &mut Vec<(u32, bool)>, hash: u64) {
        let m = fmix64(hash);
        grams.push(((m & self.mask) as u32, m >> 63 != 0));
    }

    /// Char n-grams then word n-grams of one text, as (bucket, negative); returns how many
    /// are char n-grams.
    fn grams(&self, cps: &[u32], grams: &mut Vec<(u32, bool)>) -> usize {
        grams.clear();
        let len = cps.len();
        // every size's hash at a position grows from the shorter one by one term
        let longest = self.char_sizes.iter().copied().max().unwrap_or(0);
        for p in 0..len {
            let mut h = 0u64;
            for i in 0..longest.min(len - p) {
                h = h.wrapping_add(u64::from(cps[p + i]).wrapping_mul(self.powers[i]));
                let seed = self.char_seeds[i];
                if seed != NOT_A_SIZE {
                    self.push(grams, h ^ seed);
                }
            }
        }
        let n_chars = grams.len();
        let mut previous: Option<u64> = None;
        let mut p = 0usize;
        let (uni, bi) = (seed(SEED_WORD), seed(SEED_BIGRAM));
        while p < len {
            if !is_word(cps[p]) {
                p += 1;
                continue;
            }
            let (mut h, mut q) = (0u64, 1u64);
            while p < len && is_word(cps[p]) {
                h = h.wrapping_add(u64::from(cps[p]).wrapping_mul(q));
                q = q.wrapping_mul(Q);
                p += 1;
            }
            if self.unigrams {
                self.push(grams, h ^ uni);
            }
            if self.bigrams {
                if let Some(a) = previous {
                    self.push(grams, a.wrapping_mul(GOLDEN).wrapping_add(h) ^ bi);
                }
            }
            previous = Some(h);
        }
        n_chars
    }

    /// `sum(sign * weights[bucket])` over `grams`, for a model of `N` categories.
    fn sum_fixed<const N: usize>(&self, grams: &[(u32, bool)], acc: &mut [f64]) {
        let mut sum = [0f64; N];
        let weights = &self.weights;
        for (k, &(bucket, negative)) in grams.iter().enumerate() {
            if let Some(&(ahead, _)) = grams.get(k + PREFETCH_AHEAD) {
                prefetch(weights, ahead as usize * N);
            }
            let at = bucket as usize * N;
            let row: &[f32; N] = weights[at..at + N].try_into().unwrap();
            if negative {
                for i in 0..N {
                    sum[i] -= f64::from(row[i]);
                }
            } else {
                for i in 0..N {
                    sum[i] += f64::from(row[i]);
                }
            }
        }
        acc.copy_from_slice(&sum);
    }

    fn sum_any(&self, grams: &[(u32, bool)], acc: &mut [f64]) {
        let n = self.n_cat;
        acc.fill(0.0);
        for &(bucket, negative) in grams {
            let row = &self.weights[bucket as usize * n..(bucket as usize + 1) * n];
            for (a, w) in acc.iter_mut().zip(row) {
                if negative {
                    *a -= f64::from(*w);
                } else {
                    *a += f64::from(*w);
                }
            }
        }
    }

    fn sum(&self, grams: &[(u32, bool)], acc: &mut [f64]) {
        match self.n_cat {
            8 => self.sum_fixed::<8>(grams, acc),
            _ => self.sum_any(grams, acc),
        }
    }

    /// `row = char_scale * char_sum + word_scale * word_sum` for one text's code points;
    /// `grams` is scratch.
    pub fn score(&self, cps: &[u32], grams: &mut Vec<(u32, bool)>, row: &mut [f64]) {
        let n_chars = self.grams(cps, grams);
        let mut chars = vec![0f64; self.n_cat];
        let mut words = vec![0f64; self.n_cat];
        self.sum(&grams[..n_chars], &mut chars);
        self.sum(&grams[n_chars..], &mut words);
        let c = f64::from(family_scale(n_chars, self.char_weight));
        let w = f64::from(family_scale(grams.len() - n_chars, self.word_weight));
        for ((out, a), b) in row.iter_mut().zip(&chars).zip(&words) {
            *out = a * c + b * w;
        }
    }
}

#[inline(always)]
fn prefetch(weights: &[f32], at: usize) {
    #[cfg(target_arch = "x86_64")]
    if at < weights.len() {
        // SAFETY: a prefetch hint never faults, and the address is inside the slice.
        unsafe {
            use std::arch::x86_64::{_mm_prefetch, _MM_HINT_T0};
            _mm_prefetch::<_MM_HINT_T0>(weights.as_ptr().add(at).cast());
        }
    }
    #[cfg(not(target_arch = "x86_64"))]
    let _ = (weights, at);
}
