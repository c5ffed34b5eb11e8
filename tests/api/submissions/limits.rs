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
