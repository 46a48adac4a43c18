'use strict';
// CRD and OpenAPI patterns are Go (RE2) regular expressions; JavaScript
// rejects RE2's inline flags such as `(?i)`. Translate them when compiling.
// Plain JavaScript so that both src/validate/schema.ts (runtime ajv compile)
// and the precompiled validators in this folder (ajv standalone code) use it.
function goRegExp(pattern, flags) {
  let f = flags || '';
  // RE2 inline flags such as `(?i)` (anywhere, e.g. `^(?i)(abort|warn)?$`) apply to the whole pattern here
  const p = pattern.replace(/\(\?([imsU]+)\)/g, (_m, fl) => {
    for (const c of fl) {
      if ('ims'.includes(c) && !f.includes(c)) f += c;
    }
    return '';
  });
  return new RegExp(p, f);
}
// the code ajv standalone writes for it, relative to this folder
goRegExp.code = 'require("./go-regexp.js").goRegExp';
exports.goRegExp = goRegExp;
