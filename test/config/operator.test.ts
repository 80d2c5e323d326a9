import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/config/errors.js';
import { operatorSettings, parseOperatorConfig } from '../../src/config/operator.js';

describe("the operator's package registries", () => {
  it('default to the public npm registry and PyPI', () => {
    expect(operatorSettings({}, {}).packages).toEqual({
      npm: { url: 'https://registry.npmjs.org/', scopes: {} },
      pypi: { url: 'https://pypi.org/simple' },
    });
  });

  it('read the npm token from the named variable once, and warn by name when it is unset', () => {
    const config = parseOperatorConfig(
      'packages:\n  npm: {registry: "https://npm.internal/", tokenEnv: NPM_TOKEN}\n  pypi: {index: "https://pypi.internal/simple"}\n',
      'operator.yml',
    );
    expect(operatorSettings(config, { NPM_TOKEN: 's3cret' }).packages).toEqual({
      npm: { url: 'https://npm.internal/', authorization: 'Bearer s3cret', scopes: {} },
      pypi: { url: 'https://pypi.internal/simple' },
    });
    const warnings: string[] = [];
    expect(operatorSettings(config, {}, (m) => warnings.push(m)).packages.npm).toEqual({
      url: 'https://npm.internal/',
      scopes: {},
    });
    expect(warnings).toEqual(['packages.npm: environment variable NPM_TOKEN is not set; asking anonymously']);
  });

  it('give scopes registries of their own, each with its own token', () => {
    const config = parseOperatorConfig(
      'packages:\n  npm:\n    scopes:\n      "@acme": {registry: "https://npm.pkg.github.com/", tokenEnv: GH_PACKAGES}\n',
      'operator.yml',
    );
    expect(operatorSettings(config, { GH_PACKAGES: 'ghp' }).packages.npm.scopes).toEqual({
      '@acme': { url: 'https://npm.pkg.github.com/', authorization: 'Bearer ghp' },
    });
    expect(() =>
      parseOperatorConfig(
        'packages:\n  npm:\n    scopes:\n      acme: {registry: "https://x/"}\n',
        'operator.yml',
      ),
    ).toThrow(/packages\.npm\.scopes\.acme: invalid value "acme"/);
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
