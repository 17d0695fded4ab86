// Writes jsonata-inorder.cjs beside this script: the installed reference
// (node_modules/jsonata/jsonata.js) with the items of array constructors and
// the values of object constructors evaluated one after the other instead of
// concurrently (Promise.all). With several failing items, the concurrent
// reference reports the error reached in the fewest asynchronous steps; this
// copy reports the first in the text, as stepsim does. The differential test
// asks it about error-code disagreements to tell that cause from others.
// Fails (exit 1) when the reference's text is not the one expected.
import fs from "node:fs";
import path from "node:path";
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
const source = require.resolve("jsonata/jsonata.js");
let text = fs.readFileSync(source, "utf8");
const inOrder = "(async (list, f) => { const out = []; for (let i = 0; i < list.length; i++) out.push(await f(list[i], i)); return out; })";
const edits = [
  [/await Promise\.all\(expr\.expressions\s*\.map\(async \(item, idx\) => \{([\s\S]*?)\}\)\);/,
   (_, body) => `await ${inOrder}(expr.expressions, async (item, idx) => {${body}});`],
  [/await Promise\.all\(utils\.keys\(groups\)\.map\(async \(key, idx\) => \{([\s\S]*?)\}\)\);/,
   (_, body) => `await ${inOrder}(utils.keys(groups), async (key, idx) => {${body}});`],
];
for (const [pattern, replace] of edits) {
  if (!pattern.test(text)) {
    console.error(`make-in-order: ${source} has no ${pattern}`);
    process.exit(1);
  }
  text = text.replace(pattern, replace);
}
if (text.includes("Promise.all")) {
  console.error(`make-in-order: ${source} still evaluates something concurrently (Promise.all)`);
  process.exit(1);
}
const out = path.join(path.dirname(new URL(import.meta.url).pathname), "jsonata-inorder.cjs");
fs.writeFileSync(out, text);
