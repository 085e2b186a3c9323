// A real SMTP server on loopback for the end-to-end run: Portcullis
// delivers its mail here. It takes every message, except for recipients
// whose address contains "bounce", which it refuses as a mail server
// refuses an unknown mailbox (550), so the undelivered-mail flow can be
// tried as an Administrator would meet it. What it receives is dropped:
// the development mailbox still shows every message.
import { SMTPServer } from 'smtp-server';

const port = Number(process.env.E2E_SMTP_PORT ?? 2526);

const server = new SMTPServer({
  authOptional: true,
  disabledCommands: ['STARTTLS'],
  logger: false,
  onRcptTo(address, _session, callback) {
    if (address.address.includes('bounce')) {
      const error = new Error('5.1.1 No such mailbox here');
      error.responseCode = 550;
      return callback(error);
    }
    callback();
  },
  onData(stream, _session, callback) {
    stream.on('end', callback);
    stream.resume();
  },
});

server.listen(port, '127.0.0.1', () => console.log(`smtp sink on 127.0.0.1:${port}`));
for (const signal of ['SIGTERM', 'SIGINT']) {
  process.on(signal, () => server.close(() => process.exit(0)));
}
