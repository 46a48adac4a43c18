import { cdk8s, javascript, TaskShell } from 'projen';

const project = new cdk8s.ConstructLibraryCdk8s({
  name: 'cdk8s-paas',
  author: 'cdk8s-paas',
  authorAddress: 'cdk8s-paas@example.com',
  repositoryUrl: 'https://example.com/cdk8s-paas.git',
  description: 'Typed cdk8s constructs for a private PaaS: Tomcat apps composed from WAR artifact images, config, Calico networking, storage plugins, monitoring, delivery and tenancy.',
  keywords: ['cdk8s', 'kubernetes', 'tomcat', 'calico', 'paas'],
  defaultReleaseBranch: 'main',
  projenrcTs: true,
  release: false,
  github: false,
  packageManager: javascript.NodePackageManager.NPM,
  minNodeVersion: '20.16.0',
  jsiiVersion: '~6.0',
  cdk8sVersion: '2.70.0',
  constructsVersion: '10.3.0',
  peerDeps: ['cdk8s-plus-27@^2.9.5'],
  // non-jsii runtime dependencies must be bundled (GUIDE §7)
  bundledDeps: [
    'ajv@^8.17.1',
    'yaml@^2.8.0',
    '@prometheus-io/lezer-promql@^0.315.0',
    '@lezer/lr@^1.4.2',
    '@lezer/highlight@^1.2.1',
    'ipaddr.js@^2.2.0',
  ],
  devDeps: ['fast-check@^4.3.0', 'ts-node@^10.9.2', 'cdk8s-cli@^2.207.0'],
  bin: { 'cdk8s-paas': 'bin/cdk8s-paas' },
  jestOptions: {
    updateSnapshot: javascript.UpdateSnapshot.NEVER,
    jestConfig: {
      testPathIgnorePatterns: ['/node_modules/', '/lib/', '/test/rehearsal/'],
      coveragePathIgnorePatterns: ['/node_modules/', '/src/imports/', '/test/'],
    },
  },
  tsconfigDev: { include: ['examples/**/*.ts', 'bench/**/*.ts', 'scripts/**/*.ts'], compilerOptions: {} },
  gitignore: ['/dist/', 'examples/*/dist/', '/.rehearsal/', '/bench/results/', 'cdk8s.out/'],
});

// generated L1 (scripts/gen-imports.ts): linted by nobody, fixed by nobody
project.eslint?.addIgnorePattern('src/imports/');

// The layers (docs/GUIDE: core -> L1 -> L2 -> L3 -> platform), kept true by lint;
// test/core/layers.test.ts checks the folder graph has no cycle and that this rule fires.
const L2 = ['network', 'storage', 'config', 'monitoring'];
const L3 = ['app', 'tenancy', 'delivery', 'operations', 'platform', 'cli'];
const dirs = (names: string[]) => names.map(n => `./src/${n}`);
project.eslint?.addRules({
  'import/no-restricted-paths': ['error', {
    zones: [
      {
        target: './src/core',
        from: './src',
        except: ['./core'],
        message: 'src/core is the leaf layer: it imports only constructs, cdk8s and cdk8s-plus-27, nothing else of the library',
      },
      {
        target: dirs(L2),
        from: [...dirs(L3), './src/index.ts'],
        message: 'an L2 folder never imports L3 or the platform: take an interface from src/core (IWorkloadTarget, kplus.IPodSelector) instead',
      },
      {
        target: dirs(['validate', 'reach']),
        from: [...dirs(L2), ...dirs(L3), './src/index.ts'],
        message: 'src/validate and src/reach are pure: they import only src/core (and each other), never L2 or L3',
      },
    ],
  }],
});

project.tasks.tryFind('compile')?.env('JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION', '20');
for (const t of ['docgen', 'package:js', 'compat']) {
  project.tasks.tryFind(t)?.env('JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION', '20');
}

project.addTask('synth', {
  description: 'Synthesize every example app into dist/<example>/*.k8s.yaml',
  exec: 'ts-node --transpile-only scripts/synth-examples.ts',
});

project.addTask('rehearse', {
  description: 'Start the synthesized Tomcat pods for real (bubblewrap + Debian tomcat10 + busybox) and check they serve',
  shell: TaskShell.bash(),
  exec: 'jest --config test/rehearsal/jest.config.json --runInBand',
});

project.addTask('bench', {
  description: 'Synthesis benchmark: cdk8s-paas vs hand-written cdk8s-plus-27 (see BENCHMARKS.md; `-- --quick` for a short run)',
  steps: [{ exec: 'ts-node --transpile-only -P examples/tsconfig.json bench/run.ts', receiveArgs: true }],
});

project.addTask('gen:imports', {
  description: 'Regenerate the L1 classes of the shipped CRDs (src/imports/, `cdk8s import`; see scripts/gen-imports.ts)',
  exec: 'ts-node --transpile-only -P examples/tsconfig.json scripts/gen-imports.ts',
});

project.addTask('gen:validators', {
  description: 'Regenerate the precompiled (ajv standalone) validators in data/validators/ (see src/validate/schema.ts)',
  exec: 'ts-node --transpile-only -P examples/tsconfig.json scripts/gen-validators.ts',
});

// docs/ ships: the installed README links its guides relatively (a test checks every link is packed)
for (const p of ['/examples/', '/bench/', '/scripts/', '/.ci/', '/.rehearsal/', 'cdk8s.yaml']) {
  project.npmignore?.exclude(p);
}

project.synth();
