import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as ts from 'typescript';

const ROOT = path.resolve(__dirname, '../../..');

function sourceFiles(folder: string): string[] {
  return fs.readdirSync(folder, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(folder, entry.name);
    if (entry.isDirectory()) {
      return sourceFiles(full);
    }
    return entry.name.endsWith('.ts') ? [full] : [];
  });
}

/** Every literal first argument of `vscode.l10n.t(...)` or of an injected translator `t(...)`. */
function messagesInSource(): Map<string, string> {
  const found = new Map<string, string>();
  for (const file of sourceFiles(path.join(ROOT, 'src'))) {
    const source = ts.createSourceFile(
      file,
      fs.readFileSync(file, 'utf8'),
      ts.ScriptTarget.ES2022,
      true,
    );
    const visit = (node: ts.Node): void => {
      if (ts.isCallExpression(node) && node.arguments.length > 0) {
        const callee = node.expression.getText(source);
        const [first] = node.arguments;
        if ((callee === 'vscode.l10n.t' || callee === 't') && ts.isStringLiteralLike(first)) {
          found.set(first.text, path.relative(ROOT, file));
        }
      }
      ts.forEachChild(node, visit);
    };
    visit(source);
  }
  return found;
}

function readJson(name: string): Record<string, string> {
  return JSON.parse(fs.readFileSync(path.join(ROOT, name), 'utf8')) as Record<string, string>;
}

describe('translations', () => {
  const bundle = readJson('l10n/bundle.l10n.zh-cn.json');

  it('has a Chinese text for every message in src', () => {
    const messages = messagesInSource();
    assert.ok(messages.size > 50, `found ${messages.size} messages`);
    const missing = [...messages].filter(([message]) => !(message in bundle));
    assert.deepEqual(missing, []);
  });

  it('has no translation that src no longer uses', () => {
    const messages = messagesInSource();
    const unused = Object.keys(bundle).filter((message) => !messages.has(message));
    assert.deepEqual(unused, []);
  });

  it('keeps the placeholders of each message', () => {
    for (const [english, chinese] of Object.entries(bundle)) {
      const placeholders = (text: string) => [...new Set(text.match(/\{\d+\}/g) ?? [])].sort();
      assert.deepEqual(placeholders(chinese), placeholders(english), english);
    }
  });

  it('translates every package.nls key', () => {
    const english = readJson('package.nls.json');
    const chinese = readJson('package.nls.zh-cn.json');
    assert.deepEqual(Object.keys(chinese).sort(), Object.keys(english).sort());
  });

  it('defines every %key% that package.json uses', () => {
    const manifest = fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8');
    const english = readJson('package.nls.json');
    const used = [...manifest.matchAll(/"%([^%"]+)%"/g)].map((match) => match[1]);
    assert.ok(used.length > 10);
    assert.deepEqual(
      used.filter((key) => !(key in english)),
      [],
    );
  });
});
