//! Vacancy rules and their evaluation. Pure: values in, values out; `now` is passed in.
