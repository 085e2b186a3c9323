//! The account offer (plans' pricing details, onboarding link): the file
//! `--account-offer` names, else the one the binary carries
//! (`server/account-offer.toml`); read and checked once at start-up.

use std::path::Path;

use app::accounts::offer::{AccountOffer, ConfiguredOffer};

use crate::error::StartupError;

/// The default, as shipped.
pub const DEFAULT: &str = include_str!("../account-offer.toml");

/// The offer in `text`, or why it cannot be used.
pub fn parse(text: &str) -> Result<AccountOffer, String> {
    let configured: ConfiguredOffer = toml::from_str(text).map_err(|e| e.message().to_owned())?;
    configured.validate()
}

/// The configured offer: `file`'s, else the default.
pub fn load(file: Option<&Path>) -> Result<AccountOffer, StartupError> {
    let Some(file) = file else {
        return Ok(default_offer());
    };
    let refused = |reason: String| StartupError::AccountOffer {
        file: file.display().to_string(),
        reason,
    };
    let text = std::fs::read_to_string(file).map_err(|e| refused(e.to_string()))?;
    parse(&text).map_err(refused)
}

/// The shipped offer. It is part of the binary and checked by the tests
/// below, so a failure here is a build defect, not a configuration one.
#[allow(clippy::expect_used)]
pub fn default_offer() -> AccountOffer {
    parse(DEFAULT).expect("server/account-offer.toml is a valid offer") // ok: built in, unit-tested
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_shipped_offer_describes_every_plan() {
        let offer = default_offer();
        assert_eq!(offer.plans.len(), 3);
        assert!(offer.onboarding_url.starts_with("https://"));
    }

    #[test]
    fn a_bad_file_is_refused_with_what_to_fix() {
        assert!(parse("onboarding_url = 3").is_err());
        assert!(parse("").unwrap_err().contains("onboarding_url"));
        let extra = format!("{DEFAULT}\ncolour = \"blue\"\n");
        assert!(parse(&extra).unwrap_err().contains("colour"));
        let two_plans = DEFAULT.replace("plan = \"enterprise\"", "plan = \"standard\"");
        assert_eq!(
            parse(&two_plans),
            Err("the plan standard is described twice".to_owned())
        );
        let missing = std::path::Path::new("/nonexistent/offer.toml");
        let error = load(Some(missing)).unwrap_err().to_string();
        assert!(error.contains("/nonexistent/offer.toml"), "{error}");
    }
}
