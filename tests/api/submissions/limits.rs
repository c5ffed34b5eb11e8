//! What an upload may take: its size, its fields, its time, the uploads in flight.
use super::*;

#[tokio::test]
async fn an_upload_over_the_size_cap_is_refused_with_413() {
    let app = app_with_vacancy(REFERENCE).await;
    let (ana, application) = app.applicant("ana@example.org", REFERENCE).await;

    let (name, bytes) = ("251334 Key challenges.pdf", vec![b'%'; 3 * 1024 * 1024]);
    let response = ana.upload(&app, &application, name, bytes, None).await;

    assert_eq!(response.status(), 413);
}

/// An upload whose body stops arriving after its first bytes, sent without a Content-Length
/// (chunked), as a hostile client would; it stays open until the server answers.
fn stalled_upload(app: &TestApp, who: &User, application: &str) -> tokio::task::JoinHandle<u16> {
    use futures_util::StreamExt;
    let first = b"--X\r\nContent-Disposition: form-data; name=\"file\"; filename=\"251334 Key challenges.pdf\"\r\n\r\n%PDF-1.7\n".to_vec();
    let body = futures_util::stream::once(async move { Ok::<_, std::io::Error>(first) })
        .chain(futures_util::stream::pending());
    let request = who
        .upload_request(app, application)
        .header("content-type", "multipart/form-data; boundary=X")
        .body(reqwest::Body::wrap_stream(body));
    tokio::spawn(async move { request.send().await.map_or(0, |r| r.status().as_u16()) })
}

#[tokio::test]
async fn a_body_that_stops_arriving_is_ended_with_408_and_the_reason() {
    // Arrange: a two-second silence ends an upload.
    let app = open_app(|s| s.upload_idle_seconds = 2).await;
    let (mallory, application) = app.applicant("mallory@example.org", REFERENCE).await;

    // Act
    let status = stalled_upload(&app, &mallory, &application).await.unwrap();

    // Assert: the server answered (408) instead of waiting for ever; the next upload works.
    assert_eq!(status, 408);
    let (status, _) = status_of(mallory.send_pdf(&app, &application, 1).await).await;
    assert_eq!(status, 201, "the candidate's slot was given back");
}

#[tokio::test]
async fn stalled_uploads_of_one_candidate_do_not_hold_up_another() {
    // Arrange: a memory budget of 1 MiB, which two chunked bodies reserving a whole file each
    // would exhaust; silences long enough that the stalls outlast the test.
    let app = open_app(|s| {
        s.upload_idle_seconds = 120;
        s.upload_memory_mib = 1;
        s.uploads_per_candidate = 2;
    })
    .await;
    let (mallory, mallory_application) = app.applicant("mallory@example.org", REFERENCE).await;
    let (ana, ana_application) = app.applicant("ana@example.org", REFERENCE).await;
    let mut stalls = [
        stalled_upload(&app, &mallory, &mallory_application),
        stalled_upload(&app, &mallory, &mallory_application),
    ];

    // Act: Mallory tries a third upload while the two stalls are in flight; then Ana uploads.
    let mut third = None;
    for _ in 0..300 {
        // A stall that lost the race for a slot to the previous try was refused: send it again.
        for stall in stalls.iter_mut() {
            if stall.is_finished() {
                *stall = stalled_upload(&app, &mallory, &mallory_application);
            }
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        let (status, body) = status_of(mallory.send_pdf(&app, &mallory_application, 1).await).await;
        if status == 429 {
            third = Some(body);
            break;
        }
    }
    let (ana_status, ana_body) = status_of(ana.send_pdf(&app, &ana_application, 2).await).await;

    // Assert
    let third = third.expect("a third upload at once is refused while two are in flight");
    assert_eq!(third["type"], "/problems/uploads-in-progress");
    assert!(third["detail"]
        .as_str()
        .unwrap()
        .contains("2 uploads in progress"));
    assert_eq!(ana_status, 201, "{ana_body}");
    assert!(
        stalls.iter().all(|stall| !stall.is_finished()),
        "Ana was answered while Mallory's uploads were still stalled"
    );
    for stall in stalls {
        stall.abort();
    }
}

#[tokio::test]
async fn every_body_byte_counts_against_the_upload_limit() {
    // Arrange: a 64 KiB limit; bodies made of fields other than the file.
    let app = open_app(|s| s.upload_limit_bytes = 64 * 1024).await;
    let (ana, application) = app.applicant("ana@example.org", REFERENCE).await;
    let form = |fields: usize, bytes: usize| {
        let mut form = reqwest::multipart::Form::new();
        for n in 0..fields {
            form = form.text(format!("note{n}"), "x".repeat(bytes));
        }
        form.part(
            "file",
            reqwest::multipart::Part::bytes(pdf(&[A4])).file_name("251334 Key challenges.pdf"),
        )
    };
    // (fields before the file, bytes each, status, words of the answer)
    let cases = [
        (10, 60 * 1024, 413, "larger than"),
        (200, 10, 422, "too many form fields"),
        (2, 10, 201, ""),
    ];
    for (fields, bytes, expected, words) in cases {
        // Act
        let response = ana
            .upload_request(&app, &application)
            .multipart(form(fields, bytes))
            .send()
            .await
            .unwrap();
        let (status, body) = status_of(response).await;

        // Assert
        assert_eq!(status, expected, "{fields} fields of {bytes} bytes: {body}");
        assert!(
            body["detail"].as_str().unwrap_or_default().contains(words),
            "{fields} fields of {bytes} bytes: {body}"
        );
    }
}

/// An upload that announces `announced` bytes in its Content-Length, sends `sent` bytes of its
/// file, then stops, as a hostile client would; it stays open until the server answers.
fn stalled_after(
    app: &TestApp,
    who: &User,
    application: &str,
    announced: usize,
    sent: usize,
) -> tokio::task::JoinHandle<u16> {
    use futures_util::StreamExt;
    let mut first = b"--X\r\nContent-Disposition: form-data; name=\"file\"; filename=\"251334 Key challenges.pdf\"\r\n\r\n%PDF-1.7\n".to_vec();
    first.resize(first.len() + sent, b' ');
    let body = futures_util::stream::once(async move { Ok::<_, std::io::Error>(first) })
        .chain(futures_util::stream::pending());
    let request = who
        .upload_request(app, application)
        .header("content-type", "multipart/form-data; boundary=X")
        .header("content-length", announced.to_string())
        .body(reqwest::Body::wrap_stream(body));
    tokio::spawn(async move { request.send().await.map_or(0, |r| r.status().as_u16()) })
}

/// Seven accounts, each with two uploads held open by `stall`, and Ana's application.
async fn seven_stalling_accounts(
    app: &TestApp,
    stall: impl Fn(&TestApp, &User, &str) -> tokio::task::JoinHandle<u16>,
) -> (Vec<tokio::task::JoinHandle<u16>>, User, String) {
    let mut stalls = Vec::new();
    for n in 0..7 {
        let (mallory, application) = app
            .applicant(&format!("mallory{n}@example.org"), REFERENCE)
            .await;
        stalls.push(stall(app, &mallory, &application));
        stalls.push(stall(app, &mallory, &application));
    }
    // Let every stalled body reach the server and take what it will of the budget.
    tokio::time::sleep(std::time::Duration::from_millis(500)).await;
    let (ana, application) = app.applicant("ana@example.org", REFERENCE).await;
    (stalls, ana, application)
}

#[tokio::test]
async fn uploads_that_announce_10_mib_and_stall_from_seven_accounts_do_not_hold_up_another_candidate(
) {
    // Arrange: the default 128 MiB budget, which 14 announced 10 MiB bodies would exceed if an
    // announcement reserved memory; silences long enough that the stalls outlast the test.
    let app = open_app(|s| {
        s.upload_idle_seconds = 120;
        s.upload_body_seconds = 300;
    })
    .await;
    let announced = 10 * 1024 * 1024;
    allow_files_of(&app, announced).await;
    let (stalls, ana, application) = seven_stalling_accounts(&app, |app, who, id| {
        stalled_after(app, who, id, announced, 16)
    })
    .await;

    // Act: Ana uploads her 1-page essay (a bound guards the test only: on a server that makes
    // her wait, she would wait until the stalls end, minutes later).
    let started = std::time::Instant::now();
    let upload = ana.send_pdf(&app, &application, 1);
    let answer = tokio::time::timeout(std::time::Duration::from_secs(120), upload).await;

    // Assert: answered, accepted, while every stalled upload is still open.
    let (status, body) = status_of(answer.expect("Ana's upload was held up by the stalls")).await;
    println!(
        "Ana answered in {:.2} s beside 14 stalled uploads",
        started.elapsed().as_secs_f64()
    );
    assert_eq!(status, 201, "{body}");
    assert!(
        stalls.iter().all(|stall| !stall.is_finished()),
        "a stall was answered"
    );
    for stall in stalls {
        stall.abort();
    }
}

#[tokio::test]
async fn bodies_that_fill_the_memory_and_stall_send_the_next_upload_to_disk_not_to_a_queue() {
    // Arrange: a 1 MiB budget (512 KiB for arriving bodies); 14 stalls that really send 200 KB
    // each first, so that memory is full of bytes that have arrived.
    let app = open_app(|s| {
        s.upload_idle_seconds = 120;
        s.upload_body_seconds = 300;
        s.upload_memory_mib = 1;
    })
    .await;
    let (stalls, ana, application) = seven_stalling_accounts(&app, |app, who, id| {
        stalled_after(app, who, id, 300 * 1024, 200 * 1024)
    })
    .await;
    let essay = testkit::pdf::essay(&[A4], "Ana's essay", 400 * 1024);

    // Act
    let upload = ana.upload(
        &app,
        &application,
        "251334 Key challenges.pdf",
        essay.clone(),
        None,
    );
    let answer = tokio::time::timeout(std::time::Duration::from_secs(120), upload).await;

    // Assert: stored, byte for byte, while the stalls still hold the memory.
    let (status, body) = status_of(answer.expect("Ana's upload was held up by the stalls")).await;
    assert_eq!(status, 201, "{body}");
    let id = body["version"]["id"].as_str().unwrap();
    let stored = ana.get(&app, &format!("/api/versions/{id}/file")).await;
    assert_eq!(stored.bytes().await.unwrap().as_ref(), essay.as_slice());
    assert!(
        stalls.iter().all(|stall| !stall.is_finished()),
        "a stall was answered"
    );
    for stall in stalls {
        stall.abort();
    }
}

/// Lets the essay of vacancy 251334 be as large as `bytes` (its notice says 2 MB).
async fn allow_files_of(app: &TestApp, bytes: usize) {
    use sea_orm::{ActiveModelTrait, ActiveValue::Set};
    let vacancy = api::service::vacancies::find_by_reference(&app.db, REFERENCE)
        .await
        .unwrap();
    let mut rules = vacancy.rules.clone();
    for document in &mut rules.documents {
        document.max_bytes = bytes as u64;
    }
    let mut model: entity::vacancies::ActiveModel = vacancy.model.into();
    model.rules = Set(serde_json::to_string(&rules).unwrap());
    model.update(&app.db).await.unwrap();
}

#[tokio::test]
async fn connections_that_send_their_headers_a_byte_at_a_time_do_not_hold_up_an_upload() {
    use tokio::io::AsyncWriteExt;
    // Arrange: 60 connections that begin an upload's request line and headers and then dribble.
    let app = app_with_vacancy(REFERENCE).await;
    let mut slow = Vec::new();
    for _ in 0..60 {
        let mut stream = tokio::net::TcpStream::connect(("127.0.0.1", app.port))
            .await
            .unwrap();
        let head = "POST /api/applications/x/documents/key-challenges HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ";
        stream.write_all(head.as_bytes()).await.unwrap();
        slow.push(tokio::spawn(async move {
            for _ in 0..600 {
                if stream.write_all(b"a").await.is_err() {
                    return;
                }
                tokio::time::sleep(std::time::Duration::from_millis(500)).await;
            }
        }));
    }
    let (ana, application) = app.applicant("ana@example.org", REFERENCE).await;

    // Act
    let upload = ana.send_pdf(&app, &application, 1);
    let answer = tokio::time::timeout(std::time::Duration::from_secs(120), upload).await;

    // Assert
    let (status, body) = status_of(answer.expect("Ana's upload was held up by slow headers")).await;
    assert_eq!(status, 201, "{body}");
    for connection in slow {
        connection.abort();
    }
}

#[tokio::test]
async fn the_uploads_in_flight_limit_holds_across_instances_sharing_a_database() {
    // Arrange: two instances on one database; Mallory may have two uploads in flight.
    let app = open_app(|s| {
        s.upload_idle_seconds = 120;
        s.uploads_per_candidate = 2;
    })
    .await;
    if app.db.get_database_backend() != sea_orm::DatabaseBackend::Postgres {
        println!("skipped: one process owns a SQLite database; run with TEST_DATABASE_URL");
        return;
    }
    let (_, spare_dir) = test_settings().await;
    let other = spawn_app_with(app.settings.clone(), spare_dir).await;
    let (mallory, application) = app.applicant("mallory@example.org", REFERENCE).await;
    let mut stalls = [
        stalled_upload(&app, &mallory, &application),
        stalled_upload(&app, &mallory, &application),
    ];

    // Act: a third upload, sent to the other instance while the two stall on the first.
    let mut third = None;
    for _ in 0..300 {
        for stall in stalls.iter_mut() {
            if stall.is_finished() {
                *stall = stalled_upload(&app, &mallory, &application);
            }
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        let (status, body) = status_of(mallory.send_pdf(&other, &application, 1).await).await;
        assert_ne!(
            status, 201,
            "a third upload at once was taken by the other instance"
        );
        if status == 429 {
            third = Some(body);
            break;
        }
    }
    for stall in stalls {
        stall.abort();
    }

    // Assert: refused while two were in flight; taken once they ended.
    let third = third.expect("a third upload at once is refused");
    assert_eq!(third["type"], "/problems/uploads-in-progress");
    let mut after = 0;
    for _ in 0..100 {
        after = status_of(mallory.send_pdf(&other, &application, 1).await)
            .await
            .0;
        if after != 429 {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert_eq!(
        after, 201,
        "the slots were given back when the stalled uploads ended"
    );
}

#[tokio::test]
async fn slots_left_by_an_instance_killed_mid_upload_run_out_and_are_taken_over() {
    // Arrange: Mallory's two slots held by leases of an instance that died (nobody renews them);
    // one has run out, one has just been taken.
    let app = open_app(|s| s.uploads_per_candidate = 2).await;
    if app.db.get_database_backend() != sea_orm::DatabaseBackend::Postgres {
        println!("skipped: one process owns a SQLite database; run with TEST_DATABASE_URL");
        return;
    }
    use sea_orm::{ConnectionTrait, Statement};
    let (mallory, application) = app.applicant("mallory@example.org", REFERENCE).await;
    let lease = |slot: i32, seconds: i64| {
        Statement::from_sql_and_values(
            sea_orm::DatabaseBackend::Postgres,
            "INSERT INTO upload_slots (account_id, slot, holder, expires_at) VALUES ($1, $2, 'dead', $3)",
            [
                mallory.account_id.clone().into(),
                slot.into(),
                (chrono::Utc::now() + chrono::Duration::seconds(seconds)).into(),
            ],
        )
    };
    app.db.execute_raw(lease(0, -1)).await.unwrap();
    app.db.execute_raw(lease(1, 5)).await.unwrap();

    // Act: one upload takes the slot that ran out; a second at once finds none; after the other
    // lease runs out (5 s, never renewed), it goes through.
    let first = status_of(mallory.send_pdf(&app, &application, 1).await)
        .await
        .0;
    app.db.execute_raw(lease(0, 5)).await.ok();
    let mut later = 0;
    for _ in 0..100 {
        later = status_of(mallory.send_pdf(&app, &application, 2).await)
            .await
            .0;
        if later != 429 {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    }

    // Assert
    assert_eq!(first, 201);
    assert_eq!(later, 201, "a lease nobody renews runs out");
}
