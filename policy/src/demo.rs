//! placeholder
pub struct DemoVacancy;
pub fn demo_vacancies() -> Vec<DemoVacancy> {
    vec![]
}
