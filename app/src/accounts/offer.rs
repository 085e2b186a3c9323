//! What the Add new account form tells vendor staff about each service
//! plan (seed 003's pricing details), and the onboarding documentation the
//! form and the new Administrator's invitation link to. Both are the
//! deployment's configuration (`portcullis serve --account-offer FILE`),
//! never written into a component; this module checks what was configured.

use serde::{Deserialize, Serialize};

use crate::model::account::ServicePlan;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlanOffer {
    pub plan: ServicePlan,
    /// "$0.25 per claim".
    pub price: String,
    pub details: String,
}

/// Every plan, in `ServicePlan::ALL`'s order, and the onboarding link.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccountOffer {
    pub plans: Vec<PlanOffer>,
    pub onboarding_url: String,
}

/// One plan as a configuration file writes it.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ConfiguredPlan {
    pub plan: String,
    pub price: String,
    pub details: String,
}

/// The configuration file, as read.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ConfiguredOffer {
    pub onboarding_url: String,
    pub plans: Vec<ConfiguredPlan>,
}

const MAX_PRICE: usize = 60;
const MAX_DETAILS: usize = 300;
const MAX_URL: usize = 500;

impl ConfiguredOffer {
    /// The offer, if the file names each plan once, with a price and
    /// details of reasonable length, and an http(s) onboarding link; else
    /// what to fix, in one sentence.
    pub fn validate(self) -> Result<AccountOffer, String> {
        let url = self.onboarding_url.trim();
        let scheme_ok = url.starts_with("https://") || url.starts_with("http://");
        if !scheme_ok || url.len() > MAX_URL || url.chars().any(char::is_whitespace) {
            return Err(format!(
                "onboarding_url must be an http(s) address of at most {MAX_URL} characters, not {url:?}"
            ));
        }
        let mut plans = Vec::new();
        for configured in self.plans {
            let plan = ServicePlan::from_key(configured.plan.trim()).ok_or_else(|| {
                format!(
                    "{:?} is not a service plan (starter, standard or enterprise)",
                    configured.plan
                )
            })?;
            if plans.iter().any(|p: &PlanOffer| p.plan == plan) {
                return Err(format!("the plan {} is described twice", plan.key()));
            }
            let price = configured.price.trim();
            let details = configured.details.trim();
            if price.is_empty() || price.chars().count() > MAX_PRICE {
                return Err(format!(
                    "the price of {} must have 1 to {MAX_PRICE} characters",
                    plan.key()
                ));
            }
            if details.is_empty() || details.chars().count() > MAX_DETAILS {
                return Err(format!(
                    "the details of {} must have 1 to {MAX_DETAILS} characters",
                    plan.key()
                ));
            }
            plans.push(PlanOffer {
                plan,
                price: price.to_owned(),
                details: details.to_owned(),
            });
        }
        if let Some(missing) = ServicePlan::ALL
            .into_iter()
            .find(|plan| !plans.iter().any(|p| p.plan == *plan))
        {
            return Err(format!("the plan {} is not described", missing.key()));
        }
        plans.sort_by_key(|p| ServicePlan::ALL.iter().position(|plan| *plan == p.plan));
        Ok(AccountOffer {
            plans,
            onboarding_url: url.to_owned(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn plan(key: &str, price: &str, details: &str) -> ConfiguredPlan {
        ConfiguredPlan {
            plan: key.to_owned(),
            price: price.to_owned(),
            details: details.to_owned(),
        }
    }

    fn offer(url: &str, plans: Vec<ConfiguredPlan>) -> ConfiguredOffer {
        ConfiguredOffer {
            onboarding_url: url.to_owned(),
            plans,
        }
    }

    fn all_three() -> Vec<ConfiguredPlan> {
        vec![
            plan("enterprise", "Quoted", "Everything."),
            plan(" starter ", " $0.30 per claim ", "Small practices."),
            plan("standard", "$0.25 per claim", "Most practices."),
        ]
    }

    #[test]
    fn a_complete_offer_is_trimmed_and_put_in_plan_order() {
        let valid = offer(" https://docs.example/start ", all_three())
            .validate()
            .unwrap();
        assert_eq!(valid.onboarding_url, "https://docs.example/start");
        let order: Vec<ServicePlan> = valid.plans.iter().map(|p| p.plan).collect();
        assert_eq!(order, ServicePlan::ALL);
        assert_eq!(valid.plans[0].price, "$0.30 per claim");
    }

    #[test]
    fn a_missing_duplicate_or_unknown_plan_is_named() {
        let mut two = all_three();
        two.pop();
        assert_eq!(
            offer("https://d.example", two).validate(),
            Err("the plan standard is not described".to_owned())
        );
        let mut twice = all_three();
        twice.push(plan("standard", "$1", "Again."));
        assert_eq!(
            offer("https://d.example", twice).validate(),
            Err("the plan standard is described twice".to_owned())
        );
        let mut unknown = all_three();
        unknown.push(plan("gold", "$9", "Shiny."));
        assert!(
            offer("https://d.example", unknown)
                .validate()
                .unwrap_err()
                .contains("\"gold\"")
        );
    }

    #[test]
    fn empty_or_long_texts_and_other_links_are_refused() {
        for bad in [
            "",
            "ftp://d.example",
            "javascript:alert(1)",
            "https://d.example/a b",
            "d.example",
        ] {
            assert!(offer(bad, all_three()).validate().is_err(), "{bad:?}");
        }
        let long = format!("https://d.example/{}", "a".repeat(MAX_URL));
        assert!(offer(&long, all_three()).validate().is_err());
        let mut no_price = all_three();
        no_price[0].price = "  ".to_owned();
        assert!(offer("https://d.example", no_price).validate().is_err());
        let mut long_details = all_three();
        long_details[1].details = "x".repeat(MAX_DETAILS + 1);
        assert!(offer("https://d.example", long_details).validate().is_err());
    }
}
