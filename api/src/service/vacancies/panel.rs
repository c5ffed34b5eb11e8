//! Who sits on a vacancy's panel now, as admins see it: names, emails and the chair.

use std::collections::HashMap;

use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};
use serde::Serialize;
use utoipa::ToSchema;

use entity::{accounts, panel_members};

use super::Vacancy;
use crate::error::ApiError;

/// One member of a panel.
#[derive(Debug, Clone, Serialize, ToSchema, PartialEq, Eq)]
pub struct PanelSeat {
    pub account_id: String,
    pub full_name: String,
    pub email: String,
    pub chair: bool,
}

/// The panel's members, the chair first, then by name.
pub async fn panel_of(
    db: &impl ConnectionTrait,
    vacancy: &Vacancy,
) -> Result<Vec<PanelSeat>, ApiError> {
    let seats = panel_members::Entity::find()
        .filter(panel_members::Column::VacancyId.eq(vacancy.model.id.clone()))
        .order_by_asc(panel_members::Column::CreatedAt)
        .all(db)
        .await?;
    let ids: Vec<String> = seats.iter().map(|s| s.account_id.clone()).collect();
    let people: HashMap<String, accounts::Model> = accounts::Entity::find()
        .filter(accounts::Column::Id.is_in(ids))
        .all(db)
        .await?
        .into_iter()
        .map(|a| (a.id.clone(), a))
        .collect();
    let mut panel: Vec<PanelSeat> = seats
        .into_iter()
        .filter_map(|seat| {
            let person = people.get(&seat.account_id)?;
            Some(PanelSeat {
                account_id: seat.account_id,
                full_name: person.full_name.clone(),
                email: person.email.clone(),
                chair: seat.is_chair,
            })
        })
        .collect();
    panel.sort_by(|a, b| b.chair.cmp(&a.chair).then(a.full_name.cmp(&b.full_name)));
    Ok(panel)
}
