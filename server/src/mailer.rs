//! Delivers the email outbox over SMTP. Every server process may run the
//! worker: each claims a batch with `FOR UPDATE SKIP LOCKED` and a lease, so
//! a message goes out once even with several servers, and a crash mid-send
//! only delays it until the lease ends. Failures are retried with growing
//! waits, up to `MAX_ATTEMPTS`.

use std::time::Duration;

use chrono::Utc;
use lettre::{
    AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor,
    message::{Mailbox, header::ContentType},
};
use sqlx::PgPool;

pub use app::mail::MAX_ATTEMPTS;
const BATCH: i64 = 20;
/// How long a claimed message is left to its claimer before others retry.
const LEASE_MINUTES: i32 = 5;

#[derive(Debug, thiserror::Error)]
pub enum MailerError {
    #[error("the SMTP URL is not usable: {0}")]
    Url(String),
    #[error("the sender address is not usable: {0}")]
    From(String),
    #[error("database: {0}")]
    Database(#[from] sqlx::Error),
}

/// An SMTP connection setting and the sender of every message.
#[derive(Clone)]
pub struct Mailer {
    transport: AsyncSmtpTransport<Tokio1Executor>,
    from: Mailbox,
}

impl Mailer {
    /// `url` as lettre reads it: `smtp://host:25` (plain), `smtp://user:pass@host:587?tls=required`
    /// (STARTTLS) or `smtps://host:465` (TLS).
    pub fn new(url: &str, from: &str) -> Result<Self, MailerError> {
        let transport = AsyncSmtpTransport::<Tokio1Executor>::from_url(url)
            .map_err(|e| MailerError::Url(e.to_string()))?
            .timeout(Some(Duration::from_secs(20)))
            .build();
        let from = from
            .parse::<Mailbox>()
            .map_err(|e| MailerError::From(e.to_string()))?;
        Ok(Self { transport, from })
    }

    /// Sends what is due now; returns how many messages went out.
    pub async fn deliver_due(&self, pool: &PgPool) -> Result<usize, MailerError> {
        let due = sqlx::query!(
            "UPDATE email_outbox SET attempts = attempts + 1,
                                     next_attempt_at = now() + make_interval(mins => $2)
             WHERE id IN (SELECT id FROM email_outbox
                          WHERE sent_at IS NULL AND next_attempt_at <= now() AND attempts < $3
                          ORDER BY id LIMIT $1 FOR UPDATE SKIP LOCKED)
             RETURNING id, recipient, subject, body, attempts",
            BATCH,
            LEASE_MINUTES,
            MAX_ATTEMPTS
        )
        .fetch_all(pool)
        .await?;
        let mut sent = 0;
        for mail in due {
            let (id, attempts) = (mail.id, mail.attempts);
            match self.send(&mail.recipient, &mail.subject, mail.body).await {
                Ok(()) => {
                    sqlx::query!(
                        "UPDATE email_outbox SET sent_at = $2, last_error = NULL WHERE id = $1",
                        id,
                        Utc::now() as _
                    )
                    .execute(pool)
                    .await?;
                    sent += 1;
                }
                Err(reason) => {
                    // 1, 2, 4 … minutes, at most an hour.
                    let wait = 2_i32.pow(attempts.clamp(1, 7) as u32 - 1).min(60);
                    tracing::warn!(id, attempts, %reason, "could not send mail");
                    sqlx::query!(
                        "UPDATE email_outbox SET last_error = $2, next_attempt_at = now() + make_interval(mins => $3)
                         WHERE id = $1",
                        id,
                        &reason,
                        wait
                    )
                    .execute(pool)
                    .await?;
                }
            }
        }
        Ok(sent)
    }

    async fn send(&self, to: &str, subject: &str, body: String) -> Result<(), String> {
        let to = to.parse::<Mailbox>().map_err(|e| e.to_string())?;
        let message = Message::builder()
            .from(self.from.clone())
            .to(to)
            .subject(subject)
            .header(ContentType::TEXT_PLAIN)
            .body(body)
            .map_err(|e| e.to_string())?;
        self.transport
            .send(message)
            .await
            .map(|_| ())
            .map_err(|e| e.to_string())
    }

    /// Delivers every few seconds until the task is aborted.
    pub async fn run(self, pool: PgPool) {
        let mut tick = tokio::time::interval(Duration::from_secs(5));
        loop {
            tick.tick().await;
            if let Err(e) = self.deliver_due(&pool).await {
                tracing::warn!(error = %e, "the mail worker could not read the outbox");
            }
        }
    }
}
