// Compares lbcheck's HCL parser with HashiCorp's (@cdktf/hcl2json: hclsyntax
// compiled to WebAssembly) on every file given: both must accept it or both
// reject it, and when both accept it they must see the same blocks with the
// same labels in the same order, and the same attribute names, at every depth.
// Usage: node compare.js OUTLINE_BINARY FILE...   (exit 1 on any disagreement)
'use strict';
const { parse } = require('@cdktf/hcl2json');
const { execFileSync } = require('child_process');
const fs = require('fs');

const [outlineBinary, ...files] = process.argv.slice(2);

// lbcheck's view: one JSON object a line, {file, ok, error, body}.
const lbcheck = new Map();
const lines = execFileSync(outlineBinary, files, { maxBuffer: 1 << 30 }).toString().split('\n');
for (const line of lines) if (line) { const o = JSON.parse(line); lbcheck.set(o.file, o); }

const isObject = (v) => v !== null && typeof v === 'object' && !Array.isArray(v);

// hcl2json writes a body as {name: value} for attributes and
// {type: {label: ... [body, ...]}} for blocks (the labels nest, the bodies of
// blocks with the same type and labels are a list in source order).
function compareBody(lb, json, where, problems) {
  if (!isObject(json)) return problems.push(`${where}: HashiCorp's body is not an object`);
  const expected = new Set(lb.attributes);
  const byType = new Map();
  for (const b of lb.blocks) {
    expected.add(b.type);
    if (!byType.has(b.type)) byType.set(b.type, []);
    byType.get(b.type).push(b);
  }
  const actual = new Set(Object.keys(json));
  for (const k of expected) if (!actual.has(k)) problems.push(`${where}: HashiCorp's parser has no \`${k}\``);
  for (const k of actual) if (!expected.has(k)) problems.push(`${where}: lbcheck has no \`${k}\``);
  for (const [type, blocks] of byType) {
    if (lb.attributes.includes(type)) continue;  // an attribute and blocks of one name: not comparable
    // The label tree lbcheck's blocks make, with their bodies at the leaves.
    const tree = blocks[0].labels.length === 0 ? [] : {};
    let mixed = false;
    for (const b of blocks) {
      if (b.labels.length !== blocks[0].labels.length) { mixed = true; break; }
      let node = tree;
      b.labels.forEach((label, i) => {
        const last = i === b.labels.length - 1;
        if (!(label in node)) node[label] = last ? [] : {};
        node = node[label];
      });
      node.push(b.body);
    }
    if (mixed) { problems.push(`${where}.${type}: blocks with different numbers of labels`); continue; }
    compareLabels(tree, json[type], `${where}.${type}`, problems);
  }
}

function compareLabels(expected, json, where, problems) {
  if (Array.isArray(expected)) {
    if (!Array.isArray(json)) return problems.push(`${where}: HashiCorp's parser has no list of blocks here`);
    if (json.length !== expected.length)
      return problems.push(`${where}: ${expected.length} blocks in lbcheck, ${json.length} in HashiCorp's parser`);
    expected.forEach((body, i) => compareBody(body, json[i], `${where}[${i}]`, problems));
    return;
  }
  if (!isObject(json)) return problems.push(`${where}: HashiCorp's parser has no labels here`);
  const a = Object.keys(expected).sort(), b = Object.keys(json).sort();
  if (JSON.stringify(a) !== JSON.stringify(b))
    return problems.push(`${where}: labels ${JSON.stringify(a)} in lbcheck, ${JSON.stringify(b)} in HashiCorp's parser`);
  for (const label of a) compareLabels(expected[label], json[label], `${where}["${label}"]`, problems);
}

(async () => {
  let both = 0, neither = 0, disagreements = 0;
  for (const file of files) {
    const lb = lbcheck.get(file);
    let json = null, error = null;
    try {
      json = await parse(file, fs.readFileSync(file, 'utf8'));
    } catch (e) {
      error = String(e && e.message ? e.message : e).split('\n')[0];
    }
    const problems = [];
    if (!lb) problems.push('lbcheck_hcl_outline printed nothing for it');
    else if (lb.ok && error) problems.push(`lbcheck accepts it, HashiCorp's parser rejects it: ${error}`);
    else if (!lb.ok && !error) problems.push(`HashiCorp's parser accepts it, lbcheck rejects it: ${lb.error}`);
    else if (lb.ok) compareBody(lb.body, json, 'body', problems);
    if (problems.length) {
      ++disagreements;
      console.log(`DIFFER ${file}`);
      for (const p of problems.slice(0, 10)) console.log(`  ${p}`);
    } else if (lb.ok) ++both; else ++neither;
  }
  console.log(`hcl differential: ${files.length} files, ${both} accepted by both with the same ` +
              `blocks and labels, ${neither} rejected by both, ${disagreements} disagreements`);
  process.exit(disagreements ? 1 : 0);
})();
