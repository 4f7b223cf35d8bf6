import {
  CatalogRules,
  catalogIssues,
  compareCatalogPaths,
  leafPathGlobMatcher,
} from './catalogRules';
import { DEFAULT_LEAF_PATH_PATTERN } from './leafPath';

const leaf = (serviceName: string, namespace: string, environment: string) => ({
  serviceName,
  namespace,
  environment,
});

describe('catalogIssues', () => {
  it('reports the later leaf of a serviceName and namespace, naming the earlier one', () => {
    const issues = catalogIssues([
      { path: 'catalog/b/prod/x.yaml', leaf: leaf('x', 'ns', 'prod') },
      { path: 'catalog/a/dev/x.yaml', leaf: leaf('x', 'ns', 'dev') },
      { path: 'catalog/a/dev/y.yaml', leaf: leaf('y', 'ns', 'dev') },
    ]);
    expect(issues).toEqual([
      {
        file: 'catalog/b/prod/x.yaml',
        rule: 'unique-in-namespace',
        conflictsWith: 'catalog/a/dev/x.yaml',
        path: 'serviceName',
        line: 1,
        column: 1,
        message:
          '"x" in namespace "ns" is already the workload of catalog/a/dev/x.yaml; the Kubernetes objects are named after serviceName, so it must be unique in its namespace across the whole catalog',
      },
    ]);
  });

  it('reports a second leaf of one service and environment, at the serviceName field', () => {
    const issues = catalogIssues([
      { path: 'catalog/a/dev/x.yaml', leaf: leaf('x', 'one', 'dev') },
      {
        path: 'catalog/b/dev/x.yaml',
        leaf: leaf('x', 'two', 'dev'),
        positionOf: p => ({ line: p[0] === 'serviceName' ? 2 : 9, column: 14 }),
      },
    ]);
    expect(issues).toEqual([
      expect.objectContaining({
        file: 'catalog/b/dev/x.yaml',
        rule: 'unique-per-environment',
        conflictsWith: 'catalog/a/dev/x.yaml',
        line: 2,
        column: 14,
        message:
          '"x" is already deployed to environment "dev" by catalog/a/dev/x.yaml; service names are unique per environment',
      }),
    ]);
  });

  it('reports both rules when a leaf breaks both', () => {
    const issues = catalogIssues([
      { path: 'catalog/a/dev/x.yaml', leaf: leaf('x', 'ns', 'dev') },
      { path: 'catalog/b/dev/x.yaml', leaf: leaf('x', 'ns', 'dev') },
    ]);
    expect(issues.map(i => [i.file, i.rule, i.conflictsWith])).toEqual([
      [
        'catalog/b/dev/x.yaml',
        'unique-per-environment',
        'catalog/a/dev/x.yaml',
      ],
      ['catalog/b/dev/x.yaml', 'unique-in-namespace', 'catalog/a/dev/x.yaml'],
    ]);
  });

  it('finds nothing in a catalog that keeps the rules', () => {
    expect(
      catalogIssues([
        { path: 'catalog/a/dev/x.yaml', leaf: leaf('x', 'ns', 'dev') },
        { path: 'catalog/a/prod/x.yaml', leaf: leaf('x', 'ns-prod', 'prod') },
        { path: 'catalog/b/dev/y.yaml', leaf: leaf('y', 'ns', 'dev') },
      ]),
    ).toEqual([]);
  });

  it('goes through paths in the CLI’s order whatever order they come in', () => {
    // The CLI walks depth first: catalog/a/ before catalog/a-b/ (git's tree order puts
    // "a-b/" first, since "-" sorts before "/").
    const a = { path: 'catalog/a/dev/x.yaml', leaf: leaf('x', 'ns', 'dev') };
    const ab = {
      path: 'catalog/a-b/dev/x.yaml',
      leaf: leaf('x', 'ns', 'prod'),
    };
    for (const order of [
      [a, ab],
      [ab, a],
    ]) {
      expect(catalogIssues(order).map(i => i.file)).toEqual([ab.path]);
    }
    expect(
      [
        'catalog/a-b/x.yaml',
        'catalog/a/x.yaml',
        'catalog/.a/x.yaml',
        'b.yaml',
      ].sort(compareCatalogPaths),
    ).toEqual([
      'b.yaml',
      'catalog/.a/x.yaml',
      'catalog/a/x.yaml',
      'catalog/a-b/x.yaml',
    ]);
  });
});

describe('CatalogRules', () => {
  it('takes leaves in the order given (the CLI streams them)', () => {
    const rules = new CatalogRules();
    expect(
      rules.check({ path: 'z.yaml', leaf: leaf('x', 'ns', 'dev') }),
    ).toEqual([]);
    expect(
      rules.check({ path: 'a.yaml', leaf: leaf('x', 'ns', 'prod') }),
    ).toEqual([
      expect.objectContaining({ file: 'a.yaml', conflictsWith: 'z.yaml' }),
    ]);
  });
});

describe('leafPathGlobMatcher', () => {
  it('matches what Argo CD’s files generator reads: hidden names and names no leaf would have', () => {
    const isLeaf = leafPathGlobMatcher(DEFAULT_LEAF_PATH_PATTERN);
    for (const path of [
      'catalog/a/dev/x.yaml',
      'catalog/.a/dev/x.yaml',
      'catalog/a/.dev/x.yaml',
      'catalog/a/dev/.x.yaml',
      'catalog/a/dev/..yaml',
      'catalog/a/dev/.yaml',
      'catalog/ML/dev/X_1.yaml',
    ])
      expect([path, isLeaf(path)]).toEqual([path, true]);
    for (const path of [
      'catalog/a/dev/x.yml',
      'catalog/a/dev/sub/x.yaml',
      'catalog/a/x.yaml',
      'other/a/dev/x.yaml',
      'catalog/a/dev/x.yaml.bak',
      'README.md',
    ])
      expect([path, isLeaf(path)]).toEqual([path, false]);
  });

  it('takes the rest of the pattern literally', () => {
    const isLeaf = leafPathGlobMatcher(
      'leaves+/{workloadType}/{serviceName}/{serviceName}.v1.yml',
    );
    expect(isLeaf('leaves+/ollama/phi/other.v1.yml')).toBe(true);
    expect(isLeaf('leavesX/ollama/phi/phi.v1.yml')).toBe(false);
    expect(isLeaf('leaves+/ollama/phi/phi.v1yyml')).toBe(false);
  });
});
