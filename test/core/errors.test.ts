import * as fs from 'fs';
import * as path from 'path';
import * as vm from 'vm';
import { App, Chart } from 'cdk8s';
import * as ts from 'typescript';
import { ValidationError } from '../../src/core/errors';

describe('ValidationError', () => {
  test('of() names the construct path, the field and the value', () => {
    const chart = new Chart(new App(), 'shop');
    const e = ValidationError.of(chart, 'replicas', -1, 'must be at least 1');
    expect(e.message).toBe('shop: replicas: -1 must be at least 1');
    expect(e.path).toBe('shop');
    expect(e.field).toBe('replicas');
    expect(e).toBeInstanceOf(Error);
  });

  test('unscoped() names where the value was given instead of a construct path', () => {
    const e = ValidationError.unscoped('TomcatRuntime.of', 'line', '8.0', 'is not a supported line');
    expect(e.message).toBe('TomcatRuntime.of: line: "8.0" is not a supported line');
    expect(e.path).toBe('TomcatRuntime.of');
    expect(ValidationError.isValidationError(e)).toBe(true);
  });

  test('isValidationError() is false for anything else', () => {
    for (const x of [new Error('x'), null, undefined, 'ValidationError', { name: 'ValidationError', message: 'm' }, 42]) {
      expect(ValidationError.isValidationError(x)).toBe(false);
    }
  });

  test('isValidationError() recognises an error of a second copy of the package, where instanceof fails', () => {
    // GIVEN a second, independently loaded copy of the errors module (what two
    // installed copies of cdk8s-paas amount to)
    const src = fs.readFileSync(path.join(__dirname, '..', '..', 'src', 'core', 'errors.ts'), 'utf8');
    const js = ts.transpileModule(src, { compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022 } }).outputText;
    const mod: any = { exports: {} };
    vm.runInThisContext(`(function (exports, require, module) {${js}\n})`)(mod.exports, require, mod);
    const Other = mod.exports.ValidationError;
    expect(Other).not.toBe(ValidationError);
    // WHEN the other copy throws
    const e = Other.unscoped('Port.of', 'port', 0, 'must be between 1 and 65535');
    // THEN instanceof misses it, the brand check does not
    expect(e instanceof ValidationError).toBe(false);
    expect(ValidationError.isValidationError(e)).toBe(true);
    expect(Other.isValidationError(ValidationError.unscoped('a', 'b', 1, 'c'))).toBe(true);
  });
});
