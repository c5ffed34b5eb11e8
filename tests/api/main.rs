//! Integration tests: each starts the real application on port 0 with a fresh database.
mod helpers;

mod admin_console;
mod admin_vacancies;
mod assessment;
mod authorization;
mod foundation;
mod identity;
mod integrations;
mod mail;
mod mail_content;
mod operations;
mod privacy;
mod submissions;
mod templates;
mod vacancies;
