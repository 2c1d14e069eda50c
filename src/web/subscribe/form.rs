//! The subscribe form's body (`application/x-www-form-urlencoded`):
//! `email`, any number of `components`, and the `website` honeypot.

use crate::config::Config;
use crate::domain::ComponentId;

/// Longest address accepted (RFC 5321's path limit).
const MAX_ADDRESS: usize = 254;

/// A sign-up as the form sent it, checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Form {
    pub address: String,
    /// Configured component ids, sorted, no duplicates; empty: all.
    pub components: Vec<ComponentId>,
    /// The honeypot was filled in: a bot, to thank and ignore.
    pub bot: bool,
}

/// Parses and checks the form, or says what is wrong in words for the page.
pub(super) fn parse(body: &[u8], config: &Config) -> Result<Form, String> {
    let mut address = None;
    let mut components = Vec::new();
    let mut bot = false;
    for (key, value) in url::form_urlencoded::parse(body) {
        match key.as_ref() {
            "email" => address = Some(value.trim().to_owned()),
            "components" => {
                let id = value.as_ref();
                let Some(component) = config.components.iter().find(|c| c.id.as_str() == id) else {
                    let shown: String = id.chars().take(40).collect();
                    return Err(format!("There is no component {shown:?} on this page"));
                };
                if !components.contains(&component.id) {
                    components.push(component.id.clone());
                }
            }
            "website" => bot = !value.trim().is_empty(),
            _ => {}
        }
    }
    let address = address
        .filter(|a| !a.is_empty())
        .ok_or("Enter an e-mail address")?;
    let plausible = address.len() <= MAX_ADDRESS
        && !address.chars().any(|c| c.is_control() || c.is_whitespace())
        && address.parse::<lettre::Address>().is_ok();
    if !plausible {
        return Err("That does not look like an e-mail address".to_owned());
    }
    components.sort();
    Ok(Form {
        address: address.to_lowercase(),
        components,
        bot,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config() -> Config {
        let text = "[[components]]\nid = \"api\"\nname = \"API\"\n\n[[components]]\nid = \"web\"\nname = \"Web\"\n";
        Config::parse(text, std::path::Path::new("t.toml")).unwrap()
    }

    #[test]
    fn hostile_input_gets_a_clear_answer() {
        let ok = parse(
            b"email=V%40Example.com&components=web&components=api&components=web",
            &config(),
        );
        assert_eq!(
            ok.unwrap(),
            Form {
                address: "v@example.com".into(),
                components: ["api", "web"]
                    .map(|c| ComponentId::parse(c).unwrap())
                    .to_vec(),
                bot: false
            }
        );
        let bot = parse(b"email=a%40b.example&website=http%3A%2F%2Fspam", &config()).unwrap();
        assert!(bot.bot);
        let long = format!("email={}%40example.com", "a".repeat(300));
        let cases: [(&[u8], &str); 7] = [
            (b"", "Enter an e-mail address"),
            (b"email=", "Enter an e-mail address"),
            (b"email=not-an-address", "does not look like"),
            (
                b"email=a%40b.example%0d%0aBcc%3a%20x%40y.example",
                "does not look like",
            ),
            (b"email=a%40b.example&components=db", "no component \"db\""),
            (
                b"email=a%40b.example&components=%3Cscript%3E",
                "no component \"<script>\"",
            ),
            (long.as_bytes(), "does not look like"),
        ];
        for (body, want) in cases {
            let got = parse(body, &config()).unwrap_err();
            assert!(got.contains(want), "{want}: {got}");
        }
    }
}
