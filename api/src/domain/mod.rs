//! Types that validate on construction.
