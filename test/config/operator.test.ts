import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/config/errors.js';
import { operatorSettings, parseOperatorConfig } from '../../src/config/operator.js';

describe("the operator's package registries", () => {
  it('default to the public npm registry and PyPI', () => {
    expect(operatorSettings({}, {}).packages).toEqual({
      npm: { url: 'https://registry.npmjs.org/' },
      pypi: { url: 'https://pypi.org/simple' },
    });
  });

  it('read the npm token from the named variable once, and warn by name when it is unset', () => {
    const config = parseOperatorConfig(
      'packages:\n  npm: {registry: "https://npm.internal/", tokenEnv: NPM_TOKEN}\n  pypi: {index: "https://pypi.internal/simple"}\n',
      'operator.yml',
    );
    expect(operatorSettings(config, { NPM_TOKEN: 's3cret' }).packages).toEqual({
      npm: { url: 'https://npm.internal/', authorization: 'Bearer s3cret' },
      pypi: { url: 'https://pypi.internal/simple' },
    });
    const warnings: string[] = [];
    expect(operatorSettings(config, {}, (m) => warnings.push(m)).packages.npm).toEqual({
      url: 'https://npm.internal/',
    });
    expect(warnings).toEqual(['packages.npm: environment variable NPM_TOKEN is not set; asking anonymously']);
  });

  it('refuse a registry that is not an http(s) URL, naming the field', () => {
    expect(() =>
      parseOperatorConfig('packages:\n  npm: {registry: "file:///etc/"}\n', 'operator.yml'),
    ).toThrow(ConfigError);
    expect(() =>
      parseOperatorConfig('packages:\n  npm: {registry: "file:///etc/"}\n', 'operator.yml'),
    ).toThrow(/packages\.npm\.registry/);
  });
});
