//! The words of the messages Portcullis sends about someone's account:
//! invitations and password links. Each gives the subject and the body;
//! the caller queues it (`outbox::enqueue`) in its change's transaction.

/// A message's subject and body.
pub struct Letter {
    pub subject: String,
    pub body: String,
}

/// An Administrator added `first` to `org`: choose a password.
pub fn invited_by_administrator(
    first: &str,
    inviter: &str,
    org: &str,
    link: &str,
    email: &str,
) -> Letter {
    Letter {
        subject: format!("You are invited to {org} on Portcullis"),
        body: format!(
            "Hello {first},\n\n\
             {inviter} invited you to {org} on Portcullis, the access console of its billing platform.\n\
             Choose your password here to sign in (the link works once, within seven days):\n\n\
             {link}\n\n\
             Your sign-in email is {email}.\n"
        ),
    }
}

/// A vendor set up `account` with `first` as its first Administrator.
pub fn invited_by_vendor(
    first: &str,
    vendor: &str,
    account: &str,
    link: &str,
    email: &str,
    onboarding: &str,
) -> Letter {
    Letter {
        subject: format!("You are invited to {account} on Portcullis"),
        body: format!(
            "Hello {first},\n\n\
             {vendor} set up {account} on Portcullis, the access console of your billing platform, and\n\
             named you its first Administrator. Choose your password here (the link works once,\n\
             within seven days); you will then set up two-factor sign-in:\n\n\
             {link}\n\n\
             Your sign-in email is {email}.\n\n\
             Getting started, for you and your users: {onboarding}\n"
        ),
    }
}

/// Someone asked "forgot your password?" for `email`.
pub fn password_reset(first: &str, email: &str, link: &str) -> Letter {
    Letter {
        subject: "Reset your Portcullis password".to_owned(),
        body: format!(
            "Hello {first},\n\n\
             Someone, hopefully you, asked to reset the password of your Portcullis account {email}.\n\
             Choose a new password here (the link works once, within one hour):\n\n\
             {link}\n\n\
             If you did not ask for this, ignore this message: your password stays as it is.\n"
        ),
    }
}

/// The vendor that manages `account` sent `first` a password link.
pub fn password_link_from_vendor(
    first: &str,
    vendor: &str,
    account: &str,
    email: &str,
    link: &str,
) -> Letter {
    Letter {
        subject: "Choose a new Portcullis password".to_owned(),
        body: format!(
            "Hello {first},\n\n\
             {vendor}, the vendor that manages {account} with you, sent you a link to choose a new\n\
             password for your Portcullis account {email} (the link works once, within one hour):\n\n\
             {link}\n\n\
             If you did not expect this, ignore this message: your password stays as it is.\n"
        ),
    }
}

/// The platform reactivated `first`, an Administrator: choose a password.
pub fn reactivated(first: &str, link: &str, email: &str) -> Letter {
    Letter {
        subject: "Your Portcullis account is active again".to_owned(),
        body: format!(
            "Hello {first},\n\n\
             At your organization's request, the platform's support team reactivated your\n\
             Administrator account. Choose a new password here (the link works once, within seven\n\
             days); you will then set up two-factor sign-in again:\n\n\
             {link}\n\n\
             Your sign-in email is {email}.\n"
        ),
    }
}
