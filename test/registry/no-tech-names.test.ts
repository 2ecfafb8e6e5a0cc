/**
 * The runner names no technology: every per-technology fact lives in the technology's profile
 * (fixtures/<tech>/profile.ts) listed by the registry (fixtures/technologies.ts). This test
 * reads every source file under runner/ and profiles/ and fails on a string literal (quotes or template
 * text; comments do not count) that names a technology (storage-queue, service-bus,
 * event-hubs, event-grid, direct) or a target-file section of one (serviceBus, eventHubs,
 * eventGrid), or imports a module from a technology's folder, outside the exceptions below,
 * each with its reason. An exception that no longer
 * names a technology fails too, so the list only shrinks. Pure: parses files, starts nothing.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { TECHS } from '../../runner/techs.ts';
import { TECHNOLOGIES } from '../../fixtures/technologies.ts';

const ROOT = join(import.meta.dirname, '../..');

/** runner files that still name technologies, and why (each technology's own code is in fixtures/<tech>/) */
/** none left; one added here must say why it cannot ask a profile */
const EXCEPTIONS: Record<string, string> = {};

const NAMES = /(?<![a-zA-Z])(storage-queue|service-bus|event-hubs|event-grid|direct|serviceBus|eventHubs|eventGrid|storageQueue)(?![a-zA-Z])/;

/** an import path into fixtures/<tech>/ (the registry, fixtures/technologies.ts, is the way in) */
const TECH_FOLDER = /fixtures\/(storage-queue|service-bus|event-hubs|event-grid|direct)\//;

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return sourceFiles(path);
    return /\.(ts|tsx|mts|mjs|js)$/.test(e.name) ? [path] : [];
  });
}

/** import / export paths are file names, not names the code branches on */
function isModuleSpecifier(node: ts.Node): boolean {
  const parent = node.parent;
  if (!ts.isStringLiteral(node) || !parent) return false;
  if ((ts.isImportDeclaration(parent) || ts.isExportDeclaration(parent)) && parent.moduleSpecifier === node) return true;
  if (ts.isLiteralTypeNode(parent) && ts.isImportTypeNode(parent.parent)) return true;
  return ts.isCallExpression(parent) && parent.expression.kind === ts.SyntaxKind.ImportKeyword;
}

/** "line: literal" for every string literal of the file that names a technology */
function techLiterals(path: string): string[] {
  const text = readFileSync(path, 'utf8');
  const source = ts.createSourceFile(path, text, ts.ScriptTarget.Latest, true);
  const found: string[] = [];
  const visit = (node: ts.Node) => {
    if (isModuleSpecifier(node)) {
      // a path into a technology's folder skips the registry as much as a name does
      if (TECH_FOLDER.test((node as ts.StringLiteral).text)) found.push(`${source.getLineAndCharacterOfPosition(node.getStart()).line + 1}: import ${(node as ts.StringLiteral).text}`);
      return;
    }
    if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node) || ts.isTemplateHead(node) || ts.isTemplateMiddle(node) || ts.isTemplateTail(node)) {
      const value = node.text;
      if (NAMES.test(value)) found.push(`${source.getLineAndCharacterOfPosition(node.getStart()).line + 1}: ${value.slice(0, 80)}`);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

describe('the runner names no technology outside the registry', () => {
  const files = [...sourceFiles(join(ROOT, 'runner')), ...sourceFiles(join(ROOT, 'profiles'))].map((f) => relative(ROOT, f).split('\\').join('/'));
  const named = new Map(files.map((f) => [f, techLiterals(join(ROOT, f))]).filter(([, hits]) => hits.length > 0) as Array<[string, string[]]>);

  it('finds the runner sources (the scan is not vacuous)', () => {
    expect(files.length).toBeGreaterThan(50);
    expect(techLiterals(join(ROOT, 'fixtures/service-bus/profile.ts')).length).toBeGreaterThan(0);
  });

  it('no runner file outside the exceptions has a technology name in a string literal', () => {
    const offenders = [...named].filter(([file]) => !(file in EXCEPTIONS)).map(([file, hits]) => `${file}\n    ${hits.join('\n    ')}`);
    expect(offenders, `ask the technology's profile (fixtures/<tech>/profile.ts) instead:\n${offenders.join('\n')}`).toEqual([]);
  });

  it('every exception still exists and still names a technology (the list only shrinks)', () => {
    const stale = Object.keys(EXCEPTIONS).filter((file) => !named.has(file));
    expect(stale, 'remove these from EXCEPTIONS').toEqual([]);
  });
});

describe('the registry', () => {
  it('has one profile per technology, each under its own name', () => {
    expect(Object.keys(TECHNOLOGIES).sort()).toEqual([...TECHS].sort());
    for (const [tech, profile] of Object.entries(TECHNOLOGIES)) expect(profile.tech).toBe(tech);
  });

  it('no two technologies share a target prefix tag, a port key or an emulator', () => {
    const profiles = Object.values(TECHNOLOGIES);
    const tags = profiles.map((p) => p.target.tag);
    const ports = profiles.flatMap((p) => p.emulator?.portKeys ?? []);
    const emulators = profiles.flatMap((p) => (p.emulator ? [p.emulator.name] : []));
    expect(new Set(tags).size).toBe(tags.length);
    expect(new Set(ports).size).toBe(ports.length);
    expect(new Set(emulators).size).toBe(emulators.length);
  });

  it('every emulator a stack starts is brought by some technology, and brokered ones have broker links', () => {
    const brought = new Set(Object.values(TECHNOLOGIES).flatMap((p) => (p.emulator ? [p.emulator.name] : [])));
    for (const profile of Object.values(TECHNOLOGIES)) {
      for (const name of profile.emulators) expect(brought.has(name), `${profile.tech}: ${name}`).toBe(true);
      expect(Boolean(profile.brokerLinks), profile.tech).toBe(profile.hasBroker);
    }
  });
});

describe('a technology folder is reached through the registry', () => {
  const REGISTRY = 'fixtures/technologies.ts';
  const TOP = ['bin', 'runner', 'profiles', 'fixtures', 'scenarios', 'report-ui/src', 'bench'];
  const files = TOP.flatMap((dir) => sourceFiles(join(ROOT, dir))).map((f) => relative(ROOT, f).split('\\').join('/'));
  const SPECIFIER = /(?:from\s+|import\s*\(\s*)'(\.{1,2}\/[^']+)'/g;

  it('no file outside a technology folder imports from it, except the registry (one line per technology)', () => {
    const offenders: string[] = [];
    for (const file of files) {
      for (const match of readFileSync(join(ROOT, file), 'utf8').matchAll(SPECIFIER)) {
        const target = relative(ROOT, join(ROOT, file, '..', match[1]!)).split('\\').join('/');
        const tech = TECHS.find((t) => target.startsWith(`fixtures/${t}/`));
        if (tech && !file.startsWith(`fixtures/${tech}/`) && file !== REGISTRY) offenders.push(`${file} imports ${match[1]}`);
      }
    }
    expect(files.length).toBeGreaterThan(100);
    expect(offenders, 'ask the technology\'s profile through fixtures/technologies.ts instead').toEqual([]);
  });
});
