import { describe, expect, it } from 'vitest';
import { lint, linesOf } from './lint.js';

const ID = 'DH503';

describe('DH503 curl-pipe-shell', () => {
  it.each([
    ['FROM debian:12\nRUN curl -fsSL https://get.example.com | sh\n', [2]],
    ['FROM debian:12\nRUN wget -O- https://get.example.com | bash\n', [2]],
    ['FROM debian:12\nRUN wget -qO - https://x | sudo -E bash -\n', [2]],
    ['FROM debian:12\nRUN curl -sL https://x | tee /tmp/i.sh | sh -s -- --yes\n', [2]],
    ['FROM debian:12\nRUN sh -c "$(curl -fsSL https://x/install.sh)"\n', [2]],
    [
      'FROM debian:12\nRUN apt-get update && \\\n  curl -sL https://deb.nodesource.com/setup_20.x | bash - && \\\n  apt-get install -y nodejs\n',
      [2],
    ],
  ])('flags %j', (text, lines) => {
    expect(linesOf(text, ID)).toEqual(lines);
  });

  it.each([
    'FROM debian:12\nRUN curl -fsSLo /tmp/i.sh https://x && sha256sum -c sums && sh /tmp/i.sh\n',
    'FROM debian:12\nRUN curl -fsSL https://x/tool.tar.gz | tar -xz -C /usr/local\n',
    'FROM debian:12\nRUN curl -fsSL https://x/key.gpg | gpg --dearmor -o /usr/share/keyrings/x.gpg\n',
    'FROM debian:12\nRUN curl -fsSL https://x > /tmp/a; sh /tmp/a\n',
    'FROM debian:12\nRUN echo "curl x | sh"\n',
  ])('accepts %j', (text) => {
    expect(lint(text, ID)).toEqual([]);
  });
});
