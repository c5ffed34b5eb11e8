//! Integration tests: each starts the real application on port 0 with a fresh database.
mod helpers;

mod assessment;
mod authorization;
mod foundation;
mod identity;
mod submissions;
mod vacancies;
