// The environment handed to probot's `run`: everything but REDIS_URL, read when probot reads it.
import { describe, expect, it } from 'vitest';
import { probotEnvironment } from '../../src/app/index.js';

describe('probotEnvironment', () => {
  it('hides REDIS_URL from probot however it is read', () => {
    const env = probotEnvironment({ REDIS_URL: 'redis://:secret@redis:6379', APP_ID: '123' });
    expect(env.REDIS_URL).toBeUndefined();
    expect('REDIS_URL' in env).toBe(false);
    expect(Object.keys(env)).toEqual(['APP_ID']);
    expect({ ...env }).toEqual({ APP_ID: '123' });
  });

  it('sees what is set after it is made, as probot loads `.env` into process.env before reading', () => {
    const source: NodeJS.ProcessEnv = {};
    const env = probotEnvironment(source);
    Object.assign(source, { APP_ID: '42', WEBHOOK_SECRET: 'from-dotenv', REDIS_URL: 'redis://redis:6379' });
    expect(env.APP_ID).toBe('42');
    expect(env.WEBHOOK_SECRET).toBe('from-dotenv');
    expect(env.REDIS_URL).toBeUndefined();
  });
});
