// deploy/kubernetes: every manifest validates against the Kubernetes schemas (kubernetes-models,
// generated from the Kubernetes OpenAPI spec) and the prometheus-operator CRD schemas; the pieces
// refer to each other correctly; the config in the ConfigMap is a valid daemon config; and the
// PrometheusRule is exactly dashboards/prometheus/alerts.yaml.
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  PrometheusRule,
  ServiceMonitor,
} from '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1';
import { Deployment } from 'kubernetes-models/apps/v1';
import {
  ConfigMap,
  Namespace,
  PersistentVolumeClaim,
  Secret,
  Service,
  ServiceAccount,
} from 'kubernetes-models/v1';
import { describe, expect, it } from 'vitest';
import YAML from 'yaml';
import { DEPLOYED_NODE_OPTIONS } from '../../bench/serve-phase.js';
import {
  ALERTS_PATH,
  PROMETHEUS_RULE_PATH,
  readAlertGroups,
  renderPrometheusRule,
  SLO_PATH,
} from '../../scripts/gen-prometheusrule.js';
import { parseConfig } from '../../src/config/index.js';

const ROOT = resolve(fileURLToPath(new URL('../..', import.meta.url)));
const DIR = join(ROOT, 'deploy/kubernetes');

// biome-ignore lint/suspicious/noExplicitAny: manifests are free-form YAML read field by field
type Manifest = Record<string, any>;
// biome-ignore lint/suspicious/noExplicitAny: each model's constructor takes its own typed manifest
type Model = new (data: any) => { validate(): void };

const MODELS: Record<string, Model> = {
  'v1/Namespace': Namespace,
  'v1/ServiceAccount': ServiceAccount,
  'v1/ConfigMap': ConfigMap,
  'v1/Secret': Secret,
  'v1/PersistentVolumeClaim': PersistentVolumeClaim,
  'v1/Service': Service,
  'apps/v1/Deployment': Deployment,
  'monitoring.coreos.com/v1/ServiceMonitor': ServiceMonitor,
  'monitoring.coreos.com/v1/PrometheusRule': PrometheusRule,
};

const readYaml = (file: string): Manifest[] =>
  YAML.parseAllDocuments(readFileSync(join(DIR, file), 'utf8')).map((d) => d.toJS() as Manifest);

const kustomization = readYaml('kustomization.yaml')[0]!;
const resources = (kustomization.resources as string[]).flatMap((file) =>
  readYaml(file).map((m) => ({ file, m })),
);
const secretExample = readYaml('secret.example.yaml')[0]!;
const one = (kind: string): Manifest => {
  const found = resources.filter((r) => r.m.kind === kind);
  expect(found, kind).toHaveLength(1);
  return found[0]!.m;
};

/** Throws with the schema errors of a manifest, named by its file. */
function validateManifest(file: string, m: Manifest): void {
  const model = MODELS[`${m.apiVersion}/${m.kind}`];
  if (!model) throw new Error(`${file}: no schema for ${m.apiVersion} ${m.kind}`);
  try {
    new model(m).validate();
  } catch (err) {
    throw new Error(`${file}: ${(err as Error).message}`);
  }
}

describe('deploy/kubernetes', () => {
  it('lists manifests that exist, in one namespace', () => {
    expect(kustomization.kind).toBe('Kustomization');
    for (const file of kustomization.resources as string[])
      expect(existsSync(join(DIR, file)), file).toBe(true);
    expect(resources.map((r) => r.m.kind).sort()).toEqual(
      [
        'ConfigMap',
        'Deployment',
        'Namespace',
        'PersistentVolumeClaim',
        'PrometheusRule',
        'Service',
        'ServiceAccount',
        'ServiceMonitor',
      ].sort(),
    );
    expect(one('Namespace').metadata.name).toBe(kustomization.namespace);
    expect(secretExample.metadata.namespace).toBe(kustomization.namespace);
    // The placeholder Secret is never applied by `kubectl apply -k`.
    expect(kustomization.resources).not.toContain('secret.example.yaml');
  });

  it('validates every manifest against the Kubernetes and prometheus-operator schemas', () => {
    for (const { file, m } of resources) validateManifest(file, m);
    validateManifest('secret.example.yaml', secretExample);
  });

  it('the schema check rejects broken manifests (so a pass means something)', () => {
    const deployment = structuredClone(one('Deployment'));
    deployment.spec.template.spec.containers[0].ports[0].containerPort = 'http';
    expect(() => validateManifest('broken', deployment)).toThrow(/containerPort/);
    const noSelector = structuredClone(one('Deployment'));
    delete noSelector.spec.selector;
    expect(() => validateManifest('broken', noSelector)).toThrow(/selector/);
    const rule = structuredClone(one('PrometheusRule'));
    rule.spec.groups[0].rules[0].for = 'two minutes';
    expect(() => validateManifest('broken', rule)).toThrow(/for/);
  });

  it('wires the Deployment, Service, ServiceMonitor, config, store and credentials together', () => {
    const deployment = one('Deployment');
    const pod = deployment.spec.template;
    const container = pod.spec.containers[0];
    const podLabels = pod.metadata.labels as Record<string, string>;
    const matches = (selector: Record<string, string>, labels: Record<string, string>) =>
      Object.entries(selector).every(([k, v]) => labels[k] === v);

    expect(matches(deployment.spec.selector.matchLabels, podLabels)).toBe(true);
    expect(deployment.spec.replicas).toBe(1); // one writer per SQLite store
    expect(deployment.spec.strategy.type).toBe('Recreate');
    const service = one('Service');
    expect(matches(service.spec.selector, podLabels)).toBe(true);
    const portNames = (container.ports as { name: string; containerPort: number }[]).map((p) => p.name);
    expect(portNames).toContain(service.spec.ports[0].targetPort);
    const monitor = one('ServiceMonitor');
    expect(matches(monitor.spec.selector.matchLabels, service.metadata.labels)).toBe(true);
    expect(monitor.spec.endpoints[0]).toMatchObject({ port: service.spec.ports[0].name, path: '/metrics' });

    expect(container.readinessProbe.httpGet).toEqual({ path: '/readyz', port: 'http' });
    expect(container.livenessProbe.httpGet).toEqual({ path: '/healthz', port: 'http' });

    const volumes = new Map((pod.spec.volumes as Manifest[]).map((v) => [v.name, v]));
    for (const mount of container.volumeMounts as Manifest[])
      expect(volumes.has(mount.name), mount.name).toBe(true);
    expect(volumes.get('config')!.configMap.name).toBe(one('ConfigMap').metadata.name);
    expect(volumes.get('data')!.persistentVolumeClaim.claimName).toBe(
      one('PersistentVolumeClaim').metadata.name,
    );
    expect(pod.spec.serviceAccountName).toBe(one('ServiceAccount').metadata.name);
    expect(container.envFrom[0].secretRef.name).toBe(secretExample.metadata.name);

    // ALIVPN_CONFIG points at the ConfigMap's key inside its mount.
    const env = new Map((container.env as { name: string; value: string }[]).map((e) => [e.name, e.value]));
    const configMount = (container.volumeMounts as Manifest[]).find((m) => m.name === 'config')!;
    const [key] = Object.keys(one('ConfigMap').data);
    expect(env.get('ALIVPN_CONFIG')).toBe(`${configMount.mountPath}/${key}`);
  });

  it('runs non-root with the image user, read-only root and no capabilities', () => {
    const pod = one('Deployment').spec.template.spec;
    const container = pod.containers[0];
    const dockerUser = /^USER (\d+):(\d+)$/m.exec(readFileSync(join(ROOT, 'Dockerfile'), 'utf8'));
    expect(pod.securityContext).toMatchObject({
      runAsNonRoot: true,
      runAsUser: Number(dockerUser![1]),
      runAsGroup: Number(dockerUser![2]),
    });
    expect(container.securityContext).toEqual({
      allowPrivilegeEscalation: false,
      readOnlyRootFilesystem: true,
      capabilities: { drop: ['ALL'] },
    });
  });

  it('sizes memory from the benchmark target (RSS < 300 MB at 4,000 tunnels) with headroom', () => {
    const { requests, limits } = one('Deployment').spec.template.spec.containers[0].resources;
    const mib = (q: string) => {
      const m = /^(\d+)(Mi|Gi)$/.exec(q);
      if (!m) throw new Error(`unexpected memory quantity ${q}`);
      return Number(m[1]) * (m[2] === 'Gi' ? 1024 : 1);
    };
    expect(mib(requests.memory)).toBeGreaterThanOrEqual(300);
    expect(mib(limits.memory)).toBeGreaterThan(mib(requests.memory));
    // V8's heap cap sits below the limit so the GC, not the OOM killer, handles pressure.
    const env = one('Deployment').spec.template.spec.containers[0].env as { name: string; value: string }[];
    const heap = Number(
      /--max-old-space-size=(\d+)/.exec(env.find((e) => e.name === 'NODE_OPTIONS')!.value)![1],
    );
    expect(heap).toBeLessThan(mib(limits.memory));
    // The benchmark's RSS figure is for exactly these options (a small new space is part of it).
    expect(env.find((e) => e.name === 'NODE_OPTIONS')!.value).toBe(DEPLOYED_NODE_OPTIONS);
    expect(DEPLOYED_NODE_OPTIONS).toMatch(/--max-semi-space-size=4\b/);
    expect(requests.cpu).toBeDefined();
  });

  it('ships a config that the daemon accepts with the Secret’s variables', () => {
    const text = one('ConfigMap').data['config.yaml'] as string;
    const config = parseConfig(text, 'configmap.yaml', secretExample.stringData);
    const container = one('Deployment').spec.template.spec.containers[0];
    const dataMount = (container.volumeMounts as Manifest[]).find((m) => m.name === 'data')!;
    expect(config.storage.path.startsWith(`${dataMount.mountPath}/`)).toBe(true);
    expect(config.server.listen).toBe(`0.0.0.0:${container.ports[0].containerPort}`);
    expect(config.server.authToken).toBe(secretExample.stringData.ALIVPN_TOKEN);
    expect(config.accounts[0]!.accessKeyId).toBe(secretExample.stringData.ALIBABA_CLOUD_ACCESS_KEY_ID);
    expect(config.accounts[0]!.endpoint).toBeUndefined(); // real Alibaba endpoints
  });

  it('the ServiceAccount carries the RRSA role annotation and the namespace the injection label', () => {
    expect(
      one('ServiceAccount').metadata.annotations['pod-identity.alibabacloud.com/role-name'],
    ).toBeTruthy();
    expect(one('Namespace').metadata.labels['pod-identity.alibabacloud.com/injection']).toBe('on');
  });

  it('has a PrometheusRule that is exactly alerts.yaml and slo.yaml (npm run gen:prometheusrule refreshes it)', () => {
    const alertsText = readFileSync(ALERTS_PATH, 'utf8');
    const committed = YAML.parse(readFileSync(PROMETHEUS_RULE_PATH, 'utf8'));
    const regenerated = YAML.parse(renderPrometheusRule());
    expect(
      committed,
      'deploy/kubernetes/prometheusrule.yaml is stale: run `npm run gen:prometheusrule`',
    ).toEqual(regenerated);
    expect(committed.spec.groups).toEqual([
      ...readAlertGroups(alertsText).groups,
      ...readAlertGroups(readFileSync(SLO_PATH, 'utf8')).groups,
    ]);
    const alerts = committed.spec.groups.flatMap((g: Manifest) => g.rules.map((r: Manifest) => r.alert));
    expect(alerts).toEqual(
      expect.arrayContaining([
        'AliVpnFailover',
        'AliVpnConnectionDown',
        'AliVpnStandbyTunnelDown',
        'AliVpnTunnelFlapping',
        'AliVpnCriticalFinding',
        'AliVpnCollectorFailing',
      ]),
    );
  });
});
