//! The admin console's accounts, applications and audit pages in the browser, in English and in
//! French, with axe-core on every page state at phone and desktop size.
use fantoccini::Client;
use serde_json::Value;

use crate::driver::*;
use crate::helpers::*;

const REFERENCE: &str = "251334";

/// What each page says after each step, in one language.
struct Said {
    lang: &'static str,
    invited: &'static str,
    bad_email: &'static str,
    waiting: &'static str,
    role_changed: &'static str,
    disabled: &'static str,
    enabled: &'static str,
    resent: &'static str,
    invitation_kind: &'static str,
    granted: &'static str,
    extended: &'static str,
    revealed: &'static str,
    extension_label: &'static str,
    second_page: &'static str,
}

const ENGLISH: Said = Said {
    lang: "en",
    invited: "Invitation queued for",
    bad_email: "Email: Enter an email address, such as name@example.org.",
    waiting: "Invited, no password yet",
    role_changed: "is now: Administrator",
    disabled: "is disabled and signed out everywhere",
    enabled: "is enabled again",
    resent: "A new invitation is queued",
    invitation_kind: "Invitation",
    granted: "deadline is now",
    extended: "Extended",
    revealed: "Revealed and recorded in the audit log",
    extension_label: "Extension granted",
    second_page: "Entries 26 to",
};

const FRENCH: Said = Said {
    lang: "fr",
    invited: "Invitation mise en file d’envoi pour",
    bad_email:
        "Adresse électronique : Saisissez une adresse électronique, par exemple nom@example.org.",
    waiting: "Invité, sans mot de passe",
    role_changed: "Nouveau rôle de Rui Costa",
    disabled: "est désactivé et toutes ses sessions sont fermées",
    enabled: "est réactivé",
    resent: "Une nouvelle invitation est en file d’envoi",
    invitation_kind: "Invitation",
    granted: "est désormais le",
    extended: "Prolongée",
    revealed: "Identité révélée",
    extension_label: "Prolongation accordée",
    second_page: "Entrées 26 à",
};

async fn account_of(app: &TestApp, admin: &User, email: &str) -> Value {
    let (_, accounts) = admin.fetch(app, "/api/admin/accounts").await;
    accounts
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["email"] == email)
        .cloned()
        .unwrap_or_else(|| panic!("no account {email}"))
}

/// Waits until the account `email` has `field` = `value` (the page's action reached the server).
async fn wait_for_account(app: &TestApp, admin: &User, email: &str, field: &str, value: &str) {
    for _ in 0..100 {
        if account_of(app, admin, email).await[field] == value {
            return;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    panic!("{email}: {field} never became {value}");
}

async fn mail_to(app: &TestApp, recipient: &str) -> Vec<api::service::outbox::OutboxMessage> {
    let mail = api::service::outbox::list(&app.db, 1000).await.unwrap();
    mail.into_iter()
        .filter(|m| m.recipient == recipient)
        .collect()
}

/// With BROWSER_SCREENSHOTS=<dir>, the page at phone and at desktop size.
async fn snap_sizes(client: &Client, name: &str) {
    if std::env::var_os("BROWSER_SCREENSHOTS").is_none() {
        return;
    }
    for (label, (width, height)) in [("phone", PHONE), ("desktop", DESKTOP)] {
        client.set_window_size(width, height).await.unwrap();
        let results =
            "document.querySelector('#audit-results, .acc-application, #outbox')?.scrollIntoView()";
        client.execute(results, vec![]).await.unwrap();
        tokio::time::sleep(std::time::Duration::from_millis(150)).await;
        snap(client, &format!("{name}-{label}")).await;
    }
}

async fn page_source(client: &Client) -> String {
    client.source().await.unwrap()
}

/// Accounts: invite an assessor, make them an admin, disable and enable them, resend the
/// invitation; then the outbox, which never shows a live token.
async fn accounts_page(client: &Client, app: &TestApp, admin: &User, said: &Said) {
    let lang = said.lang;
    let email = format!("rui-{lang}@example.org");
    client.goto(&app.url("/admin/accounts")).await.unwrap();
    element(client, "#accounts-table tbody tr").await;
    assert_eq!(html_lang(client).await.as_deref(), Some(lang));
    assert_accessible(client, &format!("accounts ({lang})")).await;

    // A bad address is refused on the page, in its language, naming the field.
    fill(client, "#invite-name", "Rui Costa").await;
    fill(client, "#invite-email", "rui").await;
    click(client, "#invite-form button[type=submit]").await;
    wait_for_text(client, said.bad_email).await;
    fill(client, "#invite-email", &email).await;
    choose(client, "#invite-role", "assessor").await;
    click(client, "#invite-form button[type=submit]").await;
    wait_for_text(client, &format!("{} {email}", said.invited)).await;
    let row = format!("tr[data-email='{email}']");
    // Badges are set in capitals: compare without case.
    let shown = text_of(client, &row).await.to_lowercase();
    assert!(shown.contains(&said.waiting.to_lowercase()), "{shown}");
    assert_accessible(client, &format!("accounts, someone invited ({lang})")).await;

    choose(client, &format!("select[data-role-for='{email}']"), "admin").await;
    click(
        client,
        &format!("button[data-action=role][data-email='{email}']"),
    )
    .await;
    wait_for_text(client, said.role_changed).await;
    wait_for_account(app, admin, &email, "role", "admin").await;

    // Disabling asks first; cancelling changes nothing.
    let disable = format!("button[data-action=disable][data-email='{email}']");
    click(client, &disable).await;
    element(client, "dialog#confirm-disable[open]").await;
    assert_accessible(client, &format!("accounts, disable confirmation ({lang})")).await;
    click(client, "#confirm-disable-no").await;
    // The dialog goes on its `close` event, which the browser fires a moment later.
    for _ in 0..50 {
        if count(client, "dialog#confirm-disable").await == 0 {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert_eq!(count(client, "dialog#confirm-disable").await, 0);
    wait_for_account(app, admin, &email, "role", "admin").await;
    assert_eq!(account_of(app, admin, &email).await["disabled"], false);
    click(client, &disable).await;
    click(client, "#confirm-disable-yes").await;
    wait_for_text(client, said.disabled).await;
    wait_for_account(app, admin, &email, "status", "disabled").await;
    assert_accessible(client, &format!("accounts, someone disabled ({lang})")).await;

    click(
        client,
        &format!("button[data-action=enable][data-email='{email}']"),
    )
    .await;
    wait_for_text(client, said.enabled).await;
    wait_for_account(app, admin, &email, "status", "invited").await;

    click(
        client,
        &format!("button[data-action=resend][data-email='{email}']"),
    )
    .await;
    wait_for_text(client, said.resent).await;
    assert_eq!(mail_to(app, &email).await.len(), 2);

    click(client, "#outbox-show").await;
    element(client, "#outbox-table tr[data-kind=invitation]").await;
    assert!(text_of(client, "#outbox-table")
        .await
        .contains(said.invitation_kind));
    let newest = &mail_to(app, &email).await[0].body;
    let start = newest.find("token=").unwrap() + "token=".len();
    let token: String = newest[start..].chars().take_while(|c| *c != '&').collect();
    let source = page_source(client).await;
    assert!(
        !source.contains(&token),
        "the outbox page shows a live token"
    );
    assert!(source.contains("token=[hidden]"));
    assert_accessible(client, &format!("outbox ({lang})")).await;
    snap_sizes(client, &format!("accounts-outbox-{lang}")).await;
}

/// Applications: a candidate's documents, an extension with a reason (the candidate emailed), a
/// reveal with a reason.
async fn applications_page(client: &Client, app: &TestApp, admin: &User, said: &Said) -> User {
    let lang = said.lang;
    let candidate_email = format!("ana-{lang}@example.org");
    let (ana, application) = app.applicant(&candidate_email, REFERENCE).await;
    let card = format!("#app-{application}");
    client
        .goto(&app.url(&format!("/admin/applications?ref={REFERENCE}")))
        .await
        .unwrap();
    element(client, &card).await;
    let shown = text_of(client, &card).await;
    assert!(shown.contains("Ana Silva"), "{shown}");
    assert_accessible(client, &format!("applications ({lang})")).await;

    click(client, &format!("{card} details.acc-action summary")).await;
    fill(
        client,
        &format!("#ext-reason-{application}"),
        "reasonable accommodation",
    )
    .await;
    assert_accessible(client, &format!("applications, extension form ({lang})")).await;
    click(
        client,
        &format!("{card} form.acc-extension button[type=submit]"),
    )
    .await;
    wait_for_text(client, said.granted).await;
    let shown = text_of(client, &card).await.to_lowercase();
    assert!(shown.contains(&said.extended.to_lowercase()), "{shown}");
    let notices = mail_to(app, &candidate_email).await;
    assert!(
        notices.iter().any(|m| m.subject.starts_with("Extension")),
        "no extension notice for {candidate_email}"
    );
    let (_, listed) = admin
        .fetch(
            app,
            &format!("/api/admin/vacancies/{REFERENCE}/applications"),
        )
        .await;
    let entry = listed["applications"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["application_id"] == application.as_str())
        .unwrap()
        .clone();
    assert_eq!(entry["extension"]["reason"], "reasonable accommodation");
    assert_accessible(client, &format!("applications, extension granted ({lang})")).await;

    click(
        client,
        &format!("{card} details.acc-action:last-of-type summary"),
    )
    .await;
    fill(
        client,
        &format!("#reveal-reason-{application}"),
        "appointment checks",
    )
    .await;
    click(
        client,
        &format!("{card} form.acc-reveal button[type=submit]"),
    )
    .await;
    wait_for_text(client, said.revealed).await;
    wait_for_text(client, &candidate_email).await;
    assert_accessible(client, &format!("applications, identity revealed ({lang})")).await;
    snap_sizes(client, &format!("applications-{lang}")).await;
    ana
}

/// The audit log: readable labels, a filter by event, and a second page.
async fn audit_page(client: &Client, app: &TestApp, said: &Said, expect_second_page: bool) {
    let lang = said.lang;
    client.goto(&app.url("/admin/audit")).await.unwrap();
    element(client, "#audit-table tbody tr").await;
    assert_accessible(client, &format!("audit log ({lang})")).await;
    snap_sizes(client, &format!("audit-{lang}")).await;
    if expect_second_page {
        click(client, "#audit-older").await;
        wait_for_text(client, said.second_page).await;
        assert_accessible(client, &format!("audit log, second page ({lang})")).await;
    }

    choose(client, "#f-event", "extension.granted").await;
    fill(client, "#f-subject", REFERENCE).await;
    click(client, "#audit-filters button[type=submit]").await;
    for _ in 0..100 {
        let rows = count(client, "#audit-table tbody tr").await;
        if rows > 0
            && rows == count(client, "#audit-table tr[data-event='extension.granted']").await
        {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    let rows = count(client, "#audit-table tbody tr").await;
    assert!(rows >= 1);
    assert_eq!(
        rows,
        count(client, "#audit-table tr[data-event='extension.granted']").await
    );
    assert!(text_of(client, "#audit-table")
        .await
        .contains(said.extension_label));
    let address = client.current_url().await.unwrap();
    assert!(
        address.as_str().contains("event=extension.granted"),
        "{address}"
    );
    assert_accessible(client, &format!("audit log, filtered ({lang})")).await;
    snap_sizes(client, &format!("audit-filtered-{lang}")).await;
}

#[tokio::test]
async fn an_admin_runs_accounts_applications_and_the_audit_log_in_english_and_french() {
    let Some((app, _driver, client)) = start(true, None).await else {
        return;
    };
    let admin = app.admin().await;
    log_in(&client, &app, "admin@example.org").await;

    let mut last_candidate = None;
    for (pass, said) in [&ENGLISH, &FRENCH].into_iter().enumerate() {
        language(&client, &app, said.lang).await;
        accounts_page(&client, &app, &admin, said).await;
        last_candidate = Some(applications_page(&client, &app, &admin, said).await);
        audit_page(&client, &app, said, pass == 1).await;
    }

    // The candidate sees their own, extended deadline on "My applications".
    let ana = last_candidate.unwrap();
    let (_, own) = ana.fetch(&app, "/api/applications").await;
    let vacancy = app.get_json(&format!("/api/vacancies/{REFERENCE}")).await;
    let own_deadline: chrono::DateTime<chrono::Utc> =
        own[0]["deadline"].as_str().unwrap().parse().unwrap();
    let vacancy_deadline: chrono::DateTime<chrono::Utc> =
        vacancy["deadline"].as_str().unwrap().parse().unwrap();
    assert!(
        own_deadline > vacancy_deadline + chrono::Duration::days(6),
        "{own_deadline} vs {vacancy_deadline}"
    );
    client.delete_all_cookies().await.unwrap();
    log_in(&client, &app, &ana.email).await;
    client.goto(&app.url("/applications")).await.unwrap();
    // WebDriver reads no-break spaces as plain spaces.
    let shown = own[0]["deadline_display"]["fr"].as_str().unwrap();
    let shown = shown.replace(['\u{a0}', '\u{202f}'], " ");
    wait_for_text(&client, &shown).await;
    let page = body_text(&client).await.to_lowercase();
    assert!(
        page.contains("prolongée"),
        "the page does not say the deadline was extended:\n{page}"
    );
    assert_accessible(&client, "my applications, extended (fr)").await;
}
