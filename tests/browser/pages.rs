//! The public pages: rendering under the CSP, the log-in form, the file-name pre-check.

use std::time::Duration;

use serde_json::json;

use crate::driver::*;
use crate::helpers::PASSWORD;

#[tokio::test]
async fn the_pages_file_name_pre_check_agrees_with_the_servers_rule() {
    let Some((app, _driver, client)) = start(false, None).await else {
        return;
    };
    client.goto(&app.url("/login")).await.unwrap();
    text_of(&client, "main h1").await;
    let cases = [
        ("251334 Key challenges.docx", true),
        ("251334_key-CHALLENGES.docx", true),
        ("C:\\Users\\ana\\251334.Key.challenges.docx", true),
        ("Key challenges - 251334.docx", true),
        ("Key  challenges__251334.pdf", true),
        ("2513345 Key challenges.docx", false),
        ("251334 challenges key.docx", false),
        ("25l334 Key challenges.docx", false),
        ("my essay.docx", false),
        ("251334 Key\u{202e}xcod.challenges.exe", false),
    ];
    // The expectations are the server's rule as policy/src/filename.rs states it.
    for (name, want) in cases {
        let page = client
            .execute_async(
                "const [name, done] = [arguments[0], arguments[arguments.length - 1]];
                 import('/js/precheck.js').then((m) => done(m.filenameOk(name, '251334', 'Key challenges')));",
                vec![json!(name)],
            )
            .await
            .unwrap();
        assert_eq!(page, json!(want), "page on {name}");
    }
    // Both languages have the same keys, in the base tables and in every area's.
    let missing = client
        .execute_async(
            "const done = arguments[arguments.length - 1];
             const areas = ['admin', 'assess', 'accounts', 'privacy', 'integrations', 'mail'];
             Promise.all([import('/js/i18n/en.js'), import('/js/i18n/fr.js'), ...areas.map((a) => import(`/js/i18n/${a}.js`))])
               .then(([en, fr, ...tables]) => {
                 const pairs = [[en.default, fr.default], ...tables.map((m) => [m.default.en, m.default.fr])];
                 done(pairs.flatMap(([en, fr]) => {
                   const a = Object.keys(en), b = Object.keys(fr);
                   return a.filter((k) => !b.includes(k)).concat(b.filter((k) => !a.includes(k)));
                 }));
               });",
            vec![],
        )
        .await
        .unwrap();
    assert_eq!(missing, json!([]));
    client.close().await.unwrap();
}

#[tokio::test]
async fn a_failed_login_announces_the_problem_in_an_alert() {
    let Some((app, _driver, client)) = start(false, Some("cy@example.org")).await else {
        return;
    };
    // What the API says for wrong credentials: a detail for clients; the page says it in its
    // own words, from the problem's type, in the page's language.
    let (_, response) = app
        .login("cy@example.org", "not the right passphrase")
        .await;
    assert_eq!(response.status(), 401);
    let problem: serde_json::Value = response.json().await.unwrap();
    let detail = problem["detail"].as_str().unwrap().to_owned();
    assert!(!detail.is_empty());

    let wrong = "still not the right one";
    submit_login(&client, &app, "/login", "cy@example.org", wrong).await;
    let alert = text_of(&client, "[role='alert']").await;
    assert_eq!(alert, "The email address or the password is not right.");
    assert!(
        !alert.contains(&detail),
        "alert '{alert}' has the API's '{detail}'"
    );
    // Still logged out, still on the login page.
    let url = client.current_url().await.unwrap();
    assert!(url.path().ends_with("/login"), "{url}");
    text_of(&client, "#login-link").await;
    client.close().await.unwrap();
}

#[tokio::test]
async fn every_public_page_renders_under_the_content_security_policy_in_both_languages() {
    let Some((app, _driver, client)) = start(true, None).await else {
        return;
    };
    let pages = [
        ("/", "Vacancies", "Postes à pourvoir"),
        ("/vacancy?ref=251334", "Key challenges", "Défis majeurs"),
        ("/login", "Log in", "Connexion"),
        (
            "/register",
            "Create a candidate account",
            "Créer un compte de candidat",
        ),
        (
            "/reset",
            "Reset your password",
            "Réinitialiser votre mot de passe",
        ),
        (
            "/reset?token=abc&invite=1",
            "Choose your password",
            "Choisissez votre mot de passe",
        ),
    ];
    for (lang, pick) in [("en", 0), ("fr", 1)] {
        for (path, en, fr) in pages {
            let sep = if path.contains('?') { '&' } else { '?' };
            client
                .goto(&app.url(&format!("{path}{sep}lang={lang}")))
                .await
                .unwrap();
            // The pages are built by module scripts: an h1 means they ran under the CSP.
            text_of(&client, "main h1").await;
            wait_for_text(&client, if pick == 0 { en } else { fr }).await;
            assert_eq!(html_lang(&client).await.as_deref(), Some(lang), "{path}");
            let alerts = count(&client, "main .alert").await;
            assert_eq!(alerts, 0, "{path} in {lang} shows an error");
        }
    }
    // The vacancy's countdown ticks by the server's clock.
    client
        .goto(&app.url("/vacancy?ref=251334&lang=en"))
        .await
        .unwrap();
    wait_for_text(&client, "Closes in 2 days").await;
    let first = text_of(&client, ".countdown").await;
    // It ticks every second; a busy machine may skip ticks, so wait for a change (up to 40 s).
    let mut later = first.clone();
    for _ in 0..200 {
        tokio::time::sleep(Duration::from_millis(200)).await;
        later = text_of(&client, ".countdown").await;
        if later != first {
            break;
        }
    }
    assert_ne!(first, later, "the countdown does not tick");
    client.close().await.unwrap();
}

#[tokio::test]
async fn after_login_the_page_never_leaves_the_site_whatever_next_says() {
    let Some((app, _driver, client)) = start(false, Some("cy@example.org")).await else {
        return;
    };
    // (next as typed in the address bar, path expected after login)
    let cases = [
        ("/%5Cevil.example/", "/"),
        ("/%09/evil.example/", "/"),
        ("//evil.example/", "/"),
        ("https://evil.example/", "/"),
        ("https:evil.example/", "/"),
        // Dot segments that the URL parser folds into `//evil.example/` (second review, finding 7).
        ("/.//evil.example/", "/"),
        ("/..//evil.example/", "/"),
        ("/applications", "/applications"),
    ];
    for (next, expected) in cases {
        let path = format!("/login?next={next}");
        submit_login(&client, &app, &path, "cy@example.org", PASSWORD).await;
        text_of(&client, "#account-link").await;
        let url = client.current_url().await.unwrap();
        assert_eq!(url.host_str(), Some("127.0.0.1"), "next={next}: {url}");
        assert_eq!(url.path(), expected, "next={next}: {url}");
        // The registration page sends a visitor who is already logged in on by the same rule.
        client
            .goto(&app.url(&format!("/register?next={next}")))
            .await
            .unwrap();
        // The page sends her on as soon as it knows she is logged in: wait for it to leave.
        let mut url = client.current_url().await.unwrap();
        for _ in 0..200 {
            if url.path() != "/register" {
                break;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
            url = client.current_url().await.unwrap();
        }
        assert_eq!(
            url.host_str(),
            Some("127.0.0.1"),
            "register next={next}: {url}"
        );
        assert_eq!(url.path(), expected, "register next={next}: {url}");
        client.delete_all_cookies().await.unwrap();
    }
    client.close().await.unwrap();
}

#[tokio::test]
async fn an_unknown_address_is_a_404_page_in_both_languages_and_api_paths_stay_problems() {
    let Some((app, _driver, client)) = start(false, None).await else {
        return;
    };
    // Arrange / Act: what the server answers.
    let page = reqwest::get(app.url("/no/such/page")).await.unwrap();
    let api = reqwest::get(app.url("/api/no-such-thing")).await.unwrap();

    // Assert
    assert_eq!(page.status(), 404);
    assert!(page.headers()["content-type"]
        .to_str()
        .unwrap()
        .starts_with("text/html"));
    assert_eq!(api.status(), 404);
    assert_eq!(api.headers()["content-type"], "application/problem+json");
    for (lang, title, home) in [
        ("en", "Page not found", "Go to the vacancies"),
        ("fr", "Page introuvable", "Aller aux postes à pourvoir"),
    ] {
        client
            .goto(&app.url(&format!("/no/such/page?lang={lang}")))
            .await
            .unwrap();
        assert_eq!(text_of(&client, "main h1").await, title);
        assert_eq!(text_of(&client, "#home").await, home);
        assert_eq!(html_lang(&client).await.as_deref(), Some(lang));
        assert_accessible(&client, &format!("404 ({lang})")).await;
    }
    click(&client, "#home").await;
    wait_for_text(&client, "Postes à pourvoir").await;

    // A deadline in the reader's zone shows its seconds only when they are not :00 or :59.
    let shown = client
        .execute_async(
            "const done = arguments[arguments.length - 1];
             import('/js/when.js').then((m) => done(['2026-09-16T21:59:00Z', '2026-09-16T21:59:59Z',
               '2026-09-16T21:59:30Z'].map((iso) => m.deadlineTime(iso, 'UTC'))));",
            vec![],
        )
        .await
        .unwrap();
    let shown: Vec<String> = serde_json::from_value(shown).unwrap();
    // The page is in French: "21 h 59", "21 h 59 min 30 s" (docs/glossary.md).
    let shown: Vec<String> = shown.iter().map(|s| spaced(s)).collect();
    assert_eq!(shown[0], "16 septembre 2026, 21 h 59 UTC", "{shown:?}");
    assert_eq!(shown[1], "16 septembre 2026, 21 h 59 UTC", "{shown:?}");
    assert_eq!(
        shown[2], "16 septembre 2026, 21 h 59 min 30 s UTC",
        "{shown:?}"
    );
    client.close().await.unwrap();
}

#[tokio::test]
async fn a_closed_vacancy_looks_closed_and_registering_from_a_vacancy_returns_to_it() {
    // Arrange: 251334 open, 250875 past its deadline.
    let Some((app, _driver, client)) = start(true, None).await else {
        return;
    };
    app.open_vacancy("250875", chrono::Utc::now() - chrono::Duration::hours(1))
        .await;

    for lang in ["en", "fr"] {
        // The list: only the open one says so.
        client
            .goto(&app.url(&format!("/?lang={lang}")))
            .await
            .unwrap();
        text_of(&client, "[data-reference='250875'] .badge").await;
        let closed = text_of(&client, "[data-reference='250875'] .badge").await;
        let open = text_of(&client, "[data-reference='251334'] .badge").await;
        let words = if lang == "en" {
            ("CLOSED", "OPEN")
        } else {
            ("CLOS", "OUVERT")
        };
        assert_eq!((closed.as_str(), open.as_str()), words);
        assert_accessible(&client, &format!("home ({lang})")).await;

        // The closed vacancy: no apply form, no log-in invitation.
        client
            .goto(&app.url(&format!("/vacancy?ref=250875&lang={lang}")))
            .await
            .unwrap();
        let notice = text_of(&client, ".closed-notice").await;
        assert!(!notice.is_empty());
        for css in [
            "#apply",
            "#login-to-apply",
            "#register-to-apply",
            ".badge.ok",
        ] {
            assert_eq!(count(&client, css).await, 0, "{css} on a closed vacancy");
        }
        assert_accessible(&client, &format!("vacancy closed ({lang})")).await;

        // The open one, read before logging in, with the template beside the rules.
        client
            .goto(&app.url(&format!("/vacancy?ref=251334&lang={lang}")))
            .await
            .unwrap();
        let template = element(&client, "a.template-link").await;
        let href = template.attr("href").await.unwrap().unwrap();
        assert_eq!(
            href,
            "/api/vacancies/251334/documents/key-challenges/template.docx"
        );
        text_of(&client, "#register-to-apply").await;
        assert_accessible(&client, &format!("vacancy open ({lang})")).await;
    }

    // Registering from the vacancy comes back to it.
    client
        .goto(&app.url("/vacancy?ref=251334&lang=en"))
        .await
        .unwrap();
    click(&client, "#register-to-apply").await;
    text_of(&client, "#full_name").await;
    assert_accessible(&client, "register (en)").await;
    fill(&client, "#email", "eve@example.org").await;
    fill(&client, "#full_name", "Eve Martin").await;
    choose(&client, "#nationality", "FR").await;
    fill(&client, "#password", PASSWORD).await;
    click(&client, "#register").await;
    text_of(&client, "#account-link").await;
    text_of(&client, "#apply").await;
    let url = client.current_url().await.unwrap();
    assert_eq!(
        (url.path(), url.query()),
        ("/vacancy", Some("ref=251334&lang=en"))
    );
    client.close().await.unwrap();
}

#[tokio::test]
async fn the_log_in_register_and_reset_pages_pass_axe_in_both_languages() {
    let Some((app, _driver, client)) = start(false, None).await else {
        return;
    };
    for lang in ["en", "fr"] {
        for path in ["/login", "/register", "/reset", "/reset?token=abc&invite=1"] {
            let sep = if path.contains('?') { '&' } else { '?' };
            client
                .goto(&app.url(&format!("{path}{sep}lang={lang}")))
                .await
                .unwrap();
            text_of(&client, "main form").await;
            assert_accessible(&client, &format!("{path} ({lang})")).await;
        }
    }
    client.close().await.unwrap();
}
