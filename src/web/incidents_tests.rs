//! The `?page=N` parsing of `/incidents`.

use super::*;

#[test]
fn page_numbers() {
    let cases = [
        (None, Ok(1)),
        (Some(""), Ok(1)),
        (Some("page=1"), Ok(1)),
        (Some("page=3"), Ok(3)),
        (Some("x=1&page=2&page=9"), Ok(2)),
        (Some("page=99999999999999999999999"), Err(404)),
        (Some("page=0"), Err(400)),
        (Some("page=-1"), Err(400)),
        (Some("page=abc"), Err(400)),
        (Some("page="), Err(400)),
        (Some("page=+1"), Err(400)),
        (Some("page=1.5"), Err(400)),
        (Some("page=%31"), Ok(1)),
    ];
    for (query, want) in cases {
        let got = page_number(query).map_err(|e| match e {
            PageError::NotFound => 404,
            PageError::BadRequest(_) => 400,
            _ => 500,
        });
        assert_eq!(got, want, "{query:?}");
    }
}
