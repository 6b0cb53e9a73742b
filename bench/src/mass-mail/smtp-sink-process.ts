import { SMTPServer } from 'smtp-server';

/**
 * Child process of the mass-mail benchmark: an SMTP server on loopback that accepts everything
 * and counts what it accepted (recipients, bytes), apart from the process being measured so the
 * two do not share an event loop. IPC: → {type:'ready', port}; ← {type:'count'} → {type:'count', …}.
 */
let messages = 0;
let bytes = 0;
const connections = new Set<string>();

const server = new SMTPServer({
  authOptional: true,
  disabledCommands: ['STARTTLS'],
  // The client is on loopback; a reverse lookup without a resolver stalls each connection for seconds.
  disableReverseLookup: true,
  logger: false,
  size: 10 * 1024 * 1024,
  onConnect(session, callback) {
    connections.add(session.id);
    callback();
  },
  onData(stream, session, callback) {
    stream.on('data', (chunk: Buffer) => {
      bytes += chunk.length;
    });
    stream.on('end', () => {
      messages += session.envelope.rcptTo.length;
      callback();
    });
  },
});

server.listen(0, '127.0.0.1', () => {
  const address = server.server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  process.send?.({ type: 'ready', port });
});

process.on('message', (message: unknown) => {
  if (typeof message === 'object' && message !== null && 'type' in message && message.type === 'count') {
    process.send?.({ type: 'count', messages, bytes, connections: connections.size });
  }
});
process.on('disconnect', () => server.close(() => process.exit(0)));
