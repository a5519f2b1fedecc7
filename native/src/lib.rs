//! aitrail's detection hot paths, for CPython (built by `make install` with maturin).
//!
//! Each function here has a pure-Python twin in `pipelines/detection/` that stays the
//! reference: the Python side uses this module when it imports and holds the two equal in
//! tests (`tests/unit/detection/test_native.py`).

use pyo3::prelude::*;

pub mod names;
pub mod ngrams;

#[pymodule]
fn aitrail_native(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<ngrams::NgramScorer>()?;
    m.add_class::<names::NameRuns>()?;
    m.add(
        "NAME_BITS",
        names::bit_names()
            .into_iter()
            .collect::<std::collections::HashMap<_, _>>(),
    )?;
    m.add(
        "NAME_CHAR_FLAGS",
        names::char_flag_names()
            .into_iter()
            .collect::<std::collections::HashMap<_, _>>(),
    )?;
    Ok(())
}
