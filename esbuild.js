// Bundles the extension for the Node extension host into two files:
//   dist/extension.js  the extension, which VS Code loads on activation;
//   dist/sdk.js        the Alibaba Cloud libraries, which extension.js requires on first use.
// Of the ECS SDK's client, sdk.js carries only the operations in ECS_OPERATIONS and their
// request and response models, so it stays a small part of the 3,453 model files.
//
// Usage: node esbuild.js [--production] [--watch] [--outdir DIR] [--whole-sdk]
//   --production  minify, and write no source maps
//   --outdir DIR  write the bundles to DIR instead of dist/
//   --whole-sdk   bundle the whole SDK into extension.js, as builds before the split did; the
//                 benchmark builds it for comparison
const fs = require('node:fs');
const path = require('node:path');
const esbuild = require('esbuild');

/** The ECS operations that src/ecs/gateway.ts calls; every other operation is left out. */
const ECS_OPERATIONS = [
  'DescribeRegions',
  'DescribeVpcs',
  'DescribeInstances',
  'DescribeSecurityGroups',
  'DescribeNetworkInterfaces',
  'JoinSecurityGroup',
  'LeaveSecurityGroup',
];

/** The packages that dist/sdk.js carries, by the property of its exports that returns each. */
const SDK_PACKAGES = {
  '@alicloud/ecs20140526': 'ecs',
  '@alicloud/openapi-core': 'openApiCore',
  '@alicloud/credentials': 'credentials',
};

const SDK_FILE = 'sdk.js';
const USED_MODELS = 'ecs-used-models';

/** Prints build errors in the file:line:column form that VS Code problem matchers read. */
const reportProblems = {
  name: 'report-problems',
  setup(build) {
    build.onEnd((result) => {
      for (const { text, location } of result.errors) {
        const where = location ? `${location.file}:${location.line}:${location.column}` : 'esbuild';
        console.error(`${where}: error: ${text}`);
      }
    });
  },
};

/**
 * Replaces each SDK package in extension.js with `require('./sdk.js').<property>`. The gateway
 * and the credential sources require the packages inside functions, and esbuild evaluates a
 * required module at its first call, so activating the extension loads none of sdk.js.
 */
const sdkOnDemand = {
  name: 'sdk-on-demand',
  setup(build) {
    const names = Object.keys(SDK_PACKAGES).map((name) => name.replace('/', '\\/'));
    build.onResolve({ filter: new RegExp(`^(${names.join('|')})$`) }, (args) => ({
      path: args.path,
      namespace: 'sdk-on-demand',
    }));
    build.onResolve({ filter: new RegExp(`^(${names.join('|')})/`) }, (args) => ({
      errors: [
        {
          text: `${args.importer} imports ${args.path}. Import the package itself, which dist/${SDK_FILE} provides.`,
        },
      ],
    }));
    build.onResolve({ filter: /^\.\/sdk\.js$/, namespace: 'sdk-on-demand' }, () => ({
      path: `./${SDK_FILE}`,
      external: true,
    }));
    build.onLoad({ filter: /.*/, namespace: 'sdk-on-demand' }, (args) => ({
      contents: `module.exports = require('./${SDK_FILE}').${SDK_PACKAGES[args.path]};`,
      loader: 'js',
    }));
  },
};

/** The entry of dist/sdk.js: each package is evaluated on first access to its property. */
function sdkEntrySource() {
  return Object.entries(SDK_PACKAGES)
    .map(
      ([name, property]) =>
        `Object.defineProperty(exports, '${property}', { enumerable: true, get: () => require('${name}') });`,
    )
    .join('\n');
}

function lowerFirst(name) {
  return name.charAt(0).toLowerCase() + name.slice(1);
}

/**
 * Cuts the SDK's generated `Client` down to its constructor, `getEndpoint` and the methods of
 * the given operations, and points its model import at a module with only the models those
 * methods use. The kept methods are the SDK's own code, unchanged, so requests, signatures,
 * endpoints and errors are those of the whole SDK.
 */
function pruneEcsClient(source, fileName, operations) {
  const ts = require('typescript');
  const file = ts.createSourceFile(
    fileName,
    source,
    ts.ScriptTarget.Latest,
    true,
    ts.ScriptKind.JS,
  );
  const client = file.statements.find(
    (statement) => ts.isClassDeclaration(statement) && statement.name?.text === 'Client',
  );
  if (!client) {
    throw new Error(`${fileName} has no class Client; the SDK's layout has changed.`);
  }
  const kept = new Set(['getEndpoint']);
  for (const operation of operations) {
    kept.add(lowerFirst(operation));
    kept.add(`${lowerFirst(operation)}WithOptions`);
  }
  const found = new Set();
  const removed = [];
  for (const member of client.members) {
    if (ts.isConstructorDeclaration(member)) {
      continue;
    }
    const name = member.name && ts.isIdentifier(member.name) ? member.name.text : undefined;
    if (name !== undefined && kept.has(name)) {
      found.add(name);
    } else {
      removed.push([member.getFullStart(), member.getEnd()]);
    }
  }
  const missing = [...kept].filter((name) => !found.has(name));
  if (missing.length > 0) {
    throw new Error(`${fileName} has no method ${missing.join(', ')}.`);
  }
  let pruned = source;
  for (const [start, end] of removed.reverse()) {
    pruned = pruned.slice(0, start) + pruned.slice(end);
  }
  const modelImport = 'require("./models/model")';
  if (!pruned.includes(modelImport)) {
    throw new Error(`${fileName} no longer contains ${modelImport}; the SDK's layout has changed.`);
  }
  pruned = pruned.split(modelImport).join(`require("${USED_MODELS}")`);
  const models = new Set(operations.map((operation) => `${operation}Request`));
  for (const match of pruned.matchAll(/\$_model\.(\w+)/g)) {
    models.add(match[1]);
  }
  return { source: pruned, models: [...models].sort() };
}

/**
 * Serves the SDK's client.js pruned to ECS_OPERATIONS, and a module that re-exports the models
 * it uses, each from its own file under dist/models.
 */
function pruneEcsSdk(operations) {
  let models = [];
  let modelsDir = '';
  return {
    name: 'prune-ecs-sdk',
    setup(build) {
      build.onLoad(
        { filter: /[\\/]@alicloud[\\/]ecs20140526[\\/]dist[\\/]client\.js$/ },
        (args) => {
          const source = fs.readFileSync(args.path, 'utf8');
          const pruned = pruneEcsClient(source, args.path, operations);
          models = pruned.models;
          modelsDir = path.join(path.dirname(args.path), 'models');
          return { contents: pruned.source, loader: 'js', resolveDir: path.dirname(args.path) };
        },
      );
      build.onResolve({ filter: new RegExp(`^${USED_MODELS}$`) }, () => ({
        path: USED_MODELS,
        namespace: USED_MODELS,
      }));
      build.onLoad({ filter: /.*/, namespace: USED_MODELS }, () => {
        const lines = models.map((name) => {
          if (!fs.existsSync(path.join(modelsDir, `${name}.js`))) {
            throw new Error(`The ECS SDK has no model file models/${name}.js.`);
          }
          // A model file also exports the classes of its nested fields, such as
          // DescribeInstancesRequestTag next to DescribeInstancesRequest.
          return `Object.assign(exports, require('./${name}'));`;
        });
        return { contents: lines.join('\n'), loader: 'js', resolveDir: modelsDir };
      });
    },
  };
}

/**
 * Checks that ECS_OPERATIONS names exactly the SDK methods src/ecs/gateway.ts calls, so that
 * dist/sdk.js neither lacks one nor carries one for nothing.
 */
function checkGatewayOperations(root) {
  const gatewayFile = path.join(root, 'src', 'ecs', 'gateway.ts');
  const text = fs.readFileSync(gatewayFile, 'utf8');
  const called = new Set([...text.matchAll(/\bclient\.(\w+)\(/g)].map((match) => match[1]));
  const listed = new Set(ECS_OPERATIONS.map(lowerFirst));
  const unlisted = [...called].filter((name) => !listed.has(name));
  const unused = [...listed].filter((name) => !called.has(name));
  const problems = [];
  if (unlisted.length > 0) {
    problems.push(
      `${gatewayFile} calls client.${unlisted.join('(), client.')}(), which ECS_OPERATIONS in esbuild.js does not list`,
    );
  }
  if (unused.length > 0) {
    problems.push(`ECS_OPERATIONS lists ${unused.join(', ')}, which ${gatewayFile} never calls`);
  }
  if (problems.length > 0) {
    throw new Error(`${problems.join('; ')}.`);
  }
}

/** esbuild options shared by both bundles. */
function commonOptions(production) {
  return {
    bundle: true,
    format: 'cjs',
    platform: 'node',
    target: 'node20',
    minify: production,
    sourcemap: !production,
    sourcesContent: false,
    metafile: true,
    logLevel: 'warning',
  };
}

/**
 * Builds the bundles into `outdir` and returns their paths. With `wholeSdk`, builds only
 * extension.js, with every SDK package inside it.
 */
async function createContexts({ outdir, production, wholeSdk }) {
  const root = __dirname;
  const extension = await esbuild.context({
    ...commonOptions(production),
    entryPoints: [path.join(root, 'src', 'extension.ts')],
    outfile: path.join(outdir, 'extension.js'),
    external: ['vscode'],
    plugins: wholeSdk ? [reportProblems] : [sdkOnDemand, reportProblems],
  });
  if (wholeSdk) {
    return [extension];
  }
  checkGatewayOperations(root);
  const sdk = await esbuild.context({
    ...commonOptions(production),
    stdin: { contents: sdkEntrySource(), resolveDir: root, sourcefile: 'sdk-entry.js' },
    outfile: path.join(outdir, SDK_FILE),
    plugins: [pruneEcsSdk(ECS_OPERATIONS), reportProblems],
  });
  return [extension, sdk];
}

/** Builds once and returns the paths of the files written. */
async function buildBundles({
  outdir = path.join(__dirname, 'dist'),
  production = false,
  wholeSdk = false,
} = {}) {
  const contexts = await createContexts({ outdir, production, wholeSdk });
  try {
    const results = await Promise.all(contexts.map((context) => context.rebuild()));
    return results
      .flatMap((result) => Object.keys(result.metafile.outputs))
      .filter((file) => file.endsWith('.js'))
      .map((file) => path.resolve(file));
  } finally {
    await Promise.all(contexts.map((context) => context.dispose()));
  }
}

function optionValue(args, name) {
  const index = args.indexOf(name);
  if (index < 0) {
    return undefined;
  }
  const value = args[index + 1];
  if (value === undefined || value.startsWith('--')) {
    throw new Error(`${name} needs a folder, for example ${name} out/bundle.`);
  }
  return path.resolve(value);
}

async function main() {
  const args = process.argv.slice(2);
  const options = {
    outdir: optionValue(args, '--outdir') ?? path.join(__dirname, 'dist'),
    production: args.includes('--production'),
    wholeSdk: args.includes('--whole-sdk'),
  };
  if (args.includes('--watch')) {
    const contexts = await createContexts(options);
    await Promise.all(contexts.map((context) => context.watch()));
    return;
  }
  await buildBundles(options);
}

module.exports = { buildBundles, pruneEcsClient, ECS_OPERATIONS, SDK_PACKAGES };

if (require.main === module) {
  main().catch((error) => {
    console.error(error.message ?? error);
    process.exit(1);
  });
}
