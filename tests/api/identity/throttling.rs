//! Guessing is slowed down without locking the owner out.
use serde_json::json;

use super::*;

#[tokio::test]
async fn repeated_failures_lock_the_email_even_for_the_right_password() {
    use api::service::accounts::ACCOUNT_FAILURE_THRESHOLD;
    let app = spawn_app().await;
    app.candidate("ana@example.org").await;
    let wrong = "a wrong but long password";
    for _ in 0..ACCOUNT_FAILURE_THRESHOLD {
        let (_, response) = app.login("ana@example.org", wrong).await;
        assert_eq!(response.status(), 401);
    }

    let (_, locked) = app.login("ana@example.org", PASSWORD).await;
    let (_, unknown_locked) = {
        for _ in 0..ACCOUNT_FAILURE_THRESHOLD {
            app.login("ghost@example.org", wrong).await;
        }
        app.login("ghost@example.org", wrong).await
    };

    assert_eq!(locked.status(), 429);
    assert!(locked.headers().contains_key("retry-after"));
    // Locking does not reveal registration: an unknown email locks the same way.
    assert_eq!(unknown_locked.status(), 429);
    use sea_orm::EntityTrait;
    let events = entity::audit_events::Entity::find().all(&app.db).await;
    let events: Vec<String> = events.unwrap().into_iter().map(|e| e.event).collect();
    assert!(events.contains(&"login.lockout".to_owned()));
}

#[tokio::test]
async fn guesses_from_one_address_never_lock_the_owner_out_and_a_reset_clears_them() {
    // Arrange: behind a trusted proxy; Mallory guesses Ana's password from 203.0.113.66.
    let app = spawn_app_changed(|s| s.trusted_proxies = vec!["127.0.0.1".parse().unwrap()]).await;
    app.candidate("ana@example.org").await;
    let (mallory, ana) = ("203.0.113.66", "ana@example.org");
    let mut statuses = Vec::new();
    for n in 0..8 {
        statuses.push(login_from(&app, mallory, ana, &format!("guess number {n}")).await);
    }

    // Act
    let mallory_with_the_right_password = login_from(&app, mallory, ana, PASSWORD).await;
    let ana_from_home = login_from(&app, "198.51.100.20", ana, PASSWORD).await;
    let mailbox = || api::service::outbox::list(&app.db, 100);
    let mailbox_before = mailbox().await.unwrap().len();
    let visitor = app.visitor().await;
    let from_home = |path: &str, body| {
        let request = visitor.post(&app, path, body);
        request.header("x-forwarded-for", "198.51.100.20").send()
    };
    from_home("/api/password-reset", json!({"email": ana}))
        .await
        .unwrap();
    let mail = api::service::outbox::list(&app.db, 1).await.unwrap();
    assert_eq!(mail.len(), 1);
    assert!(mailbox().await.unwrap().len() > mailbox_before);
    let new_password = "a brand new long passphrase";
    let token = token_from_outbox(&mail[0].body);
    let confirm = json!({"token": token, "password": new_password});
    let confirmed = from_home("/api/password-reset/confirm", confirm);
    let confirmed = confirmed.await.unwrap();
    let after_reset = login_from(&app, mallory, ana, new_password).await;

    // Assert
    assert_eq!(&statuses[..5], &[401; 5]);
    assert!(statuses[5..].iter().all(|s| *s == 429), "{statuses:?}");
    assert_eq!(
        mallory_with_the_right_password, 429,
        "the guessing address stays slowed down"
    );
    assert_eq!(
        ana_from_home, 200,
        "the owner, from elsewhere, is not locked out"
    );
    assert_eq!(confirmed.status(), 204);
    assert_eq!(after_reset, 200, "a reset clears the slowdown");
}

#[tokio::test]
async fn made_up_reset_tokens_and_repeated_requests_are_refused_cheaply() {
    // Arrange
    let app = spawn_app().await;
    app.candidate("ana@example.org").await;
    let visitor = app.visitor().await;

    // Act: bogus confirmations, then repeated reset requests for one email.
    let mut confirmations = Vec::new();
    for n in 0..12 {
        let made_up =
            json!({"token": format!("made-up-{n}"), "password": "a brand new long passphrase"});
        let status = visitor.status(&app, "/api/password-reset/confirm", made_up);
        confirmations.push(status.await);
    }
    let mut requests = Vec::new();
    for _ in 0..5 {
        let asked = json!({"email": "ana@example.org"});
        requests.push(visitor.status(&app, "/api/password-reset", asked).await);
    }
    let mails = api::service::outbox::list(&app.db, 100)
        .await
        .unwrap()
        .into_iter()
        .filter(|m| m.recipient == "ana@example.org")
        .count();

    // Assert: a made-up token is refused as such (422), then the address is slowed (429);
    // the victim gets three mails, not five.
    assert!(
        confirmations[..10].iter().all(|s| *s == 422),
        "{confirmations:?}"
    );
    assert!(
        confirmations[10..].iter().all(|s| *s == 429),
        "{confirmations:?}"
    );
    assert_eq!(mails, 3, "{requests:?}");
    assert!(requests[3..].iter().all(|s| *s == 429), "{requests:?}");
}

/// The statuses of `answers`, counted: how many of each.
fn tally(
    answers: Vec<reqwest::Result<reqwest::Response>>,
) -> std::collections::BTreeMap<u16, usize> {
    let mut counts = std::collections::BTreeMap::new();
    for answer in answers {
        *counts
            .entry(answer.expect("answered").status().as_u16())
            .or_insert(0) += 1;
    }
    counts
}

/// `n` browsers that have each opened a page (CSRF tokens in hand) before any burst starts.
async fn visitors(app: &TestApp, n: usize) -> Vec<Visitor> {
    let mut visitors = Vec::new();
    for _ in 0..n {
        visitors.push(app.visitor().await);
    }
    visitors
}

/// Limits once checked before counting let a burst through whole: every request of it passed the
/// check before any of them was counted (40 of 40 registrations, 8 reset mails for one email,
/// 100 of 100 password guesses checked). Each burst comes from one address, all at once.
#[tokio::test]
async fn a_burst_of_registrations_from_one_address_gets_its_allowance_and_no_more() {
    // Arrange
    let app = spawn_app_changed(|s| s.trusted_proxies = vec!["127.0.0.1".parse().unwrap()]).await;
    let allowance = app.settings.registrations_per_address as usize;
    let visitors = visitors(&app, 40).await;

    // Act
    let burst = visitors.iter().enumerate().map(|(i, visitor)| {
        let account = json!({
            "email": format!("burst-{i}@example.org"), "full_name": "Ana Silva",
            "nationality": "BE", "password": PASSWORD
        });
        let request = visitor.post(&app, "/api/accounts", account);
        request.header("x-forwarded-for", "203.0.113.40").send()
    });
    let statuses = tally(futures_util::future::join_all(burst).await);

    // Assert
    let expected = [(201, allowance), (429, 40 - allowance)].into();
    assert_eq!(statuses, expected);
}

#[tokio::test]
async fn a_burst_of_reset_requests_for_one_email_sends_its_allowance_of_mail_and_no_more() {
    // Arrange
    let app = spawn_app().await;
    app.candidate("ana@example.org").await;
    let visitors = visitors(&app, 8).await;

    // Act
    let burst = visitors.iter().map(|visitor| {
        let asked = json!({"email": "ana@example.org"});
        visitor.post(&app, "/api/password-reset", asked).send()
    });
    let statuses = tally(futures_util::future::join_all(burst).await);
    let mails = api::service::outbox::list(&app.db, 100).await.unwrap();
    let mails = mails.iter().filter(|m| m.recipient == "ana@example.org");

    // Assert: three per email (`RESET_REQUESTS_PER_EMAIL`).
    assert_eq!(mails.count(), 3, "{statuses:?}");
    assert_eq!(statuses, [(202, 3), (429, 5)].into());
}

#[tokio::test]
async fn a_burst_of_made_up_reset_tokens_from_one_address_is_refused_past_its_allowance() {
    // Arrange
    let app = spawn_app().await;
    let visitors = visitors(&app, 20).await;

    // Act
    let burst = visitors.iter().enumerate().map(|(n, visitor)| {
        let made_up =
            json!({"token": format!("made-up-{n}"), "password": "a brand new long passphrase"});
        visitor
            .post(&app, "/api/password-reset/confirm", made_up)
            .send()
    });
    let statuses = tally(futures_util::future::join_all(burst).await);

    // Assert: ten per address (`CONFIRMATIONS_PER_ADDRESS`).
    assert_eq!(statuses, [(422, 10), (429, 10)].into());
}

#[tokio::test]
async fn a_burst_of_wrong_passwords_for_one_account_has_only_the_threshold_checked() {
    use api::service::accounts::ACCOUNT_FAILURE_THRESHOLD;
    use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
    // Arrange: Mallory, from one address, sends a hundred guesses for Ana's password at once.
    let app = spawn_app_changed(|s| s.trusted_proxies = vec!["127.0.0.1".parse().unwrap()]).await;
    app.candidate("ana@example.org").await;
    let visitors = visitors(&app, 100).await;

    // Act
    let burst = visitors.iter().enumerate().map(|(n, visitor)| {
        let guess = json!({"email": "ana@example.org", "password": format!("guess number {n}")});
        let request = visitor.post(&app, "/api/session", guess);
        request.header("x-forwarded-for", "203.0.113.66").send()
    });
    let statuses = tally(futures_util::future::join_all(burst).await);
    let ana_from_home = login_from(&app, "198.51.100.20", "ana@example.org", PASSWORD).await;
    let events = |event: &str| {
        let events = entity::audit_events::Entity::find();
        events.filter(entity::audit_events::Column::Event.eq(event.to_owned()))
    };
    let failures = events("login.failure").count(&app.db).await.unwrap();
    let lockouts = events("login.lockout").count(&app.db).await.unwrap();

    // Assert: each 401 is a password checked (and audited as a failure); the rest were refused
    // before any hashing.
    let threshold = ACCOUNT_FAILURE_THRESHOLD as usize;
    assert_eq!(statuses, [(401, threshold), (429, 100 - threshold)].into());
    assert_eq!((failures, lockouts), (threshold as u64, 1));
    assert_eq!(
        ana_from_home, 200,
        "the owner, from elsewhere, is not locked out"
    );
}

/// Changing the password and erasing the account each ask for the password: someone holding a
/// candidate's session (a stolen one) gets as few guesses there as at the login, and the two
/// share one allowance per account.
#[tokio::test]
async fn a_burst_of_wrong_passwords_to_change_the_password_or_erase_the_account_is_throttled() {
    use api::service::accounts::ACCOUNT_FAILURE_THRESHOLD;
    let threshold = ACCOUNT_FAILURE_THRESHOLD as usize;
    let change = |password: &str| {
        let body = json!({"current_password": password, "new_password": "another long passphrase"});
        (reqwest::Method::POST, "/api/account/password", body)
    };
    let erase = |password: &str| {
        let body = json!({ "password": password });
        (reqwest::Method::DELETE, "/api/account", body)
    };
    type Request = fn(&str) -> (reqwest::Method, &'static str, serde_json::Value);
    let cases: [(&str, Request, Request); 2] = [
        ("change, then erase", change, erase),
        ("erase, then change", erase, change),
    ];
    for (case, burst_of, then) in cases {
        // Arrange
        let app = spawn_app().await;
        let ana = app.candidate("ana@example.org").await;
        let send = |(method, path, body): (reqwest::Method, &str, serde_json::Value)| {
            let request = ana.client.request(method, app.url(path));
            request.header("x-csrf-token", &ana.csrf).json(&body).send()
        };

        // Act
        let burst = (0..20).map(|n| send(burst_of(&format!("guess number {n}"))));
        let statuses = tally(futures_util::future::join_all(burst).await);
        let with_the_right_password = send(then(PASSWORD)).await.unwrap();

        // Assert: a wrong password is 422; the account is still there.
        let expected = [(422, threshold), (429, 20 - threshold)].into();
        assert_eq!(statuses, expected, "{case}");
        assert_eq!(with_the_right_password.status(), 429, "{case}");
        assert!(with_the_right_password
            .headers()
            .contains_key("retry-after"));
        assert_eq!(ana.get(&app, "/api/account").await.status(), 200, "{case}");
    }
}

/// The waits grow with each failure past the threshold, a right password forgets the failures
/// before it, and failures older than four times the longest wait are forgotten. The service is
/// called with the times of the story.
#[tokio::test]
async fn locks_grow_with_each_failure_and_old_failures_are_forgotten() {
    use api::error::ApiError;
    use api::service::audit::Actor;
    // Arrange
    let app = spawn_app().await;
    app.candidate("ana@example.org").await;
    let start = chrono::Utc::now();
    let wrong = "a wrong but long password";
    let mallory = Actor {
        account_id: None,
        client_ip: Some("203.0.113.66".into()),
    };
    // (seconds after the start, password, expected answer: 200, 401, or the Retry-After of a 429)
    #[rustfmt::skip]
    let story: Vec<(i64, &str, Result<u16, u64>)> = [
        vec![(0, wrong, Ok(401)); 5],
        vec![
            (1, PASSWORD, Err(29)),       // five failures: 30 s
            (31, wrong, Ok(401)),         // the sixth: 60 s
            (32, wrong, Err(59)),
            (91, wrong, Ok(401)),         // the seventh: 120 s
            (92, wrong, Err(119)),
            (91 + 3601, wrong, Ok(401)),  // an hour after the last failure: counted from one again
            (3693, wrong, Ok(401)),
            (3694, PASSWORD, Ok(200)),    // two failures, then the right password: forgotten
        ],
        vec![(3695, wrong, Ok(401)); 5],
        vec![(3696, wrong, Err(29))],
    ]
    .concat();

    // Act
    let mut answers = Vec::new();
    for &(seconds, password, _) in &story {
        let now = start + chrono::Duration::seconds(seconds);
        let answer = api::service::accounts::login(
            &app.db,
            &app.settings,
            "ana@example.org",
            password,
            None,
            &mallory,
            now,
        )
        .await;
        answers.push(match answer {
            Ok(_) => Ok(200),
            Err(ApiError::Unauthenticated) => Ok(401),
            Err(ApiError::TooManyAttempts {
                retry_after_seconds,
            }) => Err(retry_after_seconds),
            Err(other) => panic!("{other}"),
        });
    }

    // Assert
    let expected: Vec<_> = story.iter().map(|(_, _, answer)| *answer).collect();
    assert_eq!(answers, expected);
}

/// An address's failures count across emails; its right passwords do not. After 29 failures
/// (one short of the threshold) and several right passwords, the next failure locks the address.
#[tokio::test]
async fn right_passwords_do_not_count_against_the_address() {
    use api::error::ApiError;
    use api::service::accounts::{login, ADDRESS_FAILURE_THRESHOLD};
    use api::service::audit::Actor;
    // Arrange
    let app = spawn_app().await;
    app.candidate("ana@example.org").await;
    let office = Actor {
        account_id: None,
        client_ip: Some("203.0.113.80".into()),
    };
    let now = chrono::Utc::now();
    let attempt = |email: String, password: &'static str| {
        let (db, settings, office) = (&app.db, &app.settings, &office);
        async move { login(db, settings, &email, password, None, office, now).await }
    };
    for n in 1..ADDRESS_FAILURE_THRESHOLD {
        let failed = attempt(format!("typo-{n}@example.org"), "a wrong but long password");
        assert!(matches!(failed.await, Err(ApiError::Unauthenticated)));
    }

    // Act
    let mut rights = Vec::new();
    for _ in 0..3 {
        rights.push(attempt("ana@example.org".into(), PASSWORD).await.is_ok());
    }
    let last_failure = attempt("typo-last@example.org".into(), "a wrong but long password").await;
    let after = attempt("ana@example.org".into(), PASSWORD).await;

    // Assert
    assert_eq!(rights, [true; 3]);
    assert!(matches!(last_failure, Err(ApiError::Unauthenticated)));
    assert!(
        matches!(after, Err(ApiError::TooManyAttempts { .. })),
        "the address is locked"
    );
}

/// A right password to change the password or erase the account forgets the wrong ones before
/// it, as at the login.
#[tokio::test]
async fn a_right_password_forgets_the_wrong_ones_given_to_change_or_erase() {
    use api::error::ApiError;
    use api::service::accounts::password_is_right;
    use sea_orm::EntityTrait;
    // Arrange
    let app = spawn_app().await;
    let ana = app.candidate("ana@example.org").await;
    let account = entity::accounts::Entity::find_by_id(ana.account_id.clone());
    let account = account.one(&app.db).await.unwrap().unwrap();
    let wrong = "a wrong but long password";
    let story = [[wrong; 4].as_slice(), &[PASSWORD], &[wrong; 5], &[PASSWORD]].concat();

    // Act
    let mut answers = Vec::new();
    for password in story {
        let now = chrono::Utc::now();
        answers.push(
            match password_is_right(&app.db, &account, password, now).await {
                Ok(right) => Ok(right),
                Err(ApiError::TooManyAttempts { .. }) => Err(429),
                Err(other) => panic!("{other}"),
            },
        );
    }

    // Assert
    let expected = [
        [Ok(false); 4].as_slice(),
        &[Ok(true)],
        &[Ok(false); 5],
        &[Err(429)],
    ];
    assert_eq!(answers, expected.concat());
}
