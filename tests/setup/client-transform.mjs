import crypto from 'node:crypto';
import ts from 'typescript';

/**
 * Compiles client/src to CommonJS for Jest. client/ is an ES module package, so ts-jest (under the root
 * tsconfig's `nodenext`) would keep its imports as ESM, which Jest's CommonJS runtime cannot load; and ts-jest
 * shares one compiler configuration per Jest config, so it cannot be given different options for these files.
 */
export default {
  process(source, filename) {
    const { outputText } = ts.transpileModule(source, {
      fileName: filename,
      compilerOptions: {
        module: ts.ModuleKind.CommonJS,
        target: ts.ScriptTarget.ES2022,
        inlineSourceMap: true,
        inlineSources: true,
      },
    });
    return { code: outputText };
  },
  getCacheKey(source, filename) {
    return crypto.createHash('sha256').update(ts.version).update(filename).update(source).digest('hex');
  },
};
