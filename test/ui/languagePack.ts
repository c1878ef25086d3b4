// A stub language pack that switches code-server's display language offline. code-server 4.100.3
// changes `vscode.env.language` only when `--locale` names a language that
// `<user-data-dir>/languagepacks.json` lists with an existing core translation file. The stub's
// translation file is empty, so VS Code's own text stays English while extensions load their
// `package.nls.<locale>.json` and `l10n/bundle.l10n.<locale>.json`.
import * as fsp from 'node:fs/promises';
import * as path from 'node:path';
import { linkExtension, type WorkbenchDirs } from './harness';

const PUBLISHER = 'ecs-tests';
const VERSION = '1.0.0';

/**
 * Writes the stub language pack for `locale` (lowercase, such as `zh-cn`) under the workbench's
 * folder, links it into the extensions folder and lists it in languagepacks.json.
 */
export async function installStubLanguagePack(
  dirs: WorkbenchDirs,
  locale: string,
  languageName: string,
): Promise<void> {
  const name = `stub-language-pack-${locale}`;
  const packDir = path.join(dirs.root, name);
  const translationFile = path.join(packDir, 'translations', 'main.i18n.json');
  await fsp.mkdir(path.dirname(translationFile), { recursive: true });
  await fsp.writeFile(translationFile, JSON.stringify({ version: VERSION, contents: {} }) + '\n');
  const manifest = {
    name,
    publisher: PUBLISHER,
    version: VERSION,
    engines: { vscode: '^1.100.0' },
    contributes: {
      localizations: [
        {
          languageId: locale,
          languageName,
          localizedLanguageName: languageName,
          translations: [{ id: 'vscode', path: './translations/main.i18n.json' }],
        },
      ],
    },
  };
  await fsp.writeFile(path.join(packDir, 'package.json'), JSON.stringify(manifest, null, 2) + '\n');
  await linkExtension(dirs.extensionsDir, packDir);

  // The hash names the cache folder of generated messages (<user-data-dir>/clp/<hash>.<locale>).
  const languagePacks = {
    [locale]: {
      hash: `${name}-${VERSION}`,
      label: languageName,
      extensions: [{ extensionIdentifier: { id: `${PUBLISHER}.${name}` }, version: VERSION }],
      translations: { vscode: translationFile },
    },
  };
  await fsp.writeFile(
    path.join(dirs.userDataDir, 'languagepacks.json'),
    JSON.stringify(languagePacks, null, 2) + '\n',
  );
}
