/**
 * docker-compose.yml, otel-config.yaml, the Dockerfile and the interop build
 * must agree: ports, service names, volumes, component names and versions,
 * and every tooltrace environment variable must be one the config schema knows
 * (and parse with it). Pure file checks; nothing is started.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { EnvSchema } from '../../cli/src/config.ts';

const root = path.resolve(import.meta.dirname, '../..');
const read = (file: string) => fs.readFileSync(path.join(root, file), 'utf8');

type Yaml = Record<string, unknown>;
const compose = parse(read('docker-compose.yml'), { merge: true }) as Yaml;
const otel = parse(read('otel-config.yaml')) as Yaml;
const builder = parse(read('interop/builder-config.yaml')) as Yaml;
const dockerfile = read('deploy/Dockerfile');

const services = compose.services as Record<string, Yaml>;
const serviceNamed = (name: string): Yaml => {
  const service = services[name];
  if (!service) throw new Error(`docker-compose.yml has no service ${name}`);
  return service;
};

/** Compose interpolation with defaults (`${X:-d}`), required values (`${X:?msg}`, given a stand-in) and `$$`. */
function interpolate(value: string, env: Record<string, string> = {}): string {
  return value
    .split('$$')
    .map((part) =>
      part.replace(/\$\{([A-Z0-9_]+)(?::?([-?])([^}]*))?\}/g, (_, name: string, op?: string, arg?: string) => {
        if (env[name] !== undefined) return env[name];
        if (op === '-') return arg ?? '';
        if (op === '?') return `stand-in-for-${name.toLowerCase()}`;
        return '';
      }),
    )
    .join('$');
}

function environmentOf(service: Yaml): Record<string, string> {
  const env = (service.environment ?? {}) as Record<string, unknown>;
  return Object.fromEntries(Object.entries(env).map(([k, v]) => [k, interpolate(String(v))]));
}

/** Container side of each `host:container` port mapping. */
function containerPorts(service: Yaml): number[] {
  return ((service.ports ?? []) as string[]).map((p) => Number(String(p).split(':').at(-1)));
}

function hostBindings(service: Yaml): string[] {
  return ((service.ports ?? []) as string[]).map((p) => String(p).split(':')[0] as string);
}

const portOf = (endpoint: string) => Number(endpoint.split(':').at(-1));
const tooltraceServices = Object.entries(services).filter(([, s]) => s.image === 'tooltrace:local');

describe('docker-compose.yml', () => {
  it('when a tooltrace service sets environment variables, then each is a variable of the config schema and they parse', () => {
    expect(tooltraceServices.map(([name]) => name).sort()).toEqual(['store-init', 'tooltrace']);
    const known = Object.keys(EnvSchema.shape);
    for (const [name, service] of tooltraceServices) {
      const env = environmentOf(service);
      for (const key of Object.keys(env)) expect(known, `${name}: ${key}`).toContain(key);
      const parsed = EnvSchema.safeParse(env);
      expect(parsed.success, `${name}: ${JSON.stringify(parsed.error?.issues)}`).toBe(true);
      expect(env.TOOLTRACE_STORE).toBe('elasticsearch');
      expect(new URL(env.ELASTICSEARCH_URL ?? '').hostname).toBe('elasticsearch');
    }
  });

  it('when the tooltrace service publishes and checks ports, then they are the ports its environment sets', () => {
    const service = serviceNamed('tooltrace');
    const env = environmentOf(service);
    const ports = [Number(env.TOOLTRACE_COLLECTOR_PORT), Number(env.TOOLTRACE_API_PORT)];
    expect(containerPorts(service).sort()).toEqual([...ports, Number(env.TOOLTRACE_GRPC_PORT)].sort());
    // The HTTP ports answer /health; gRPC has no HTTP health route.
    const check = ((service.healthcheck as Yaml).test as string[]).join(' ');
    for (const port of ports) expect(check).toContain(String(port));
    expect(service.command).toEqual(['start']);
  });

  it('when store-init runs, then it is the idempotent store init and the tooltrace service waits for it', () => {
    expect(serviceNamed('store-init').command).toEqual(['store', 'init', '--wait', '120']);
    expect((serviceNamed('tooltrace').depends_on as Yaml)['store-init']).toEqual({
      condition: 'service_completed_successfully',
    });
    expect((serviceNamed('store-init').depends_on as Yaml).elasticsearch).toEqual({ condition: 'service_healthy' });
  });

  it('when any service depends on another, then that service exists', () => {
    for (const [name, service] of Object.entries(services)) {
      for (const dependency of Object.keys((service.depends_on ?? {}) as Yaml)) {
        expect(Object.keys(services), `${name} → ${dependency}`).toContain(dependency);
      }
    }
  });

  it('when ports are published, then only on 127.0.0.1', () => {
    for (const [name, service] of Object.entries(services)) {
      for (const binding of hostBindings(service)) expect(binding, name).toBe('127.0.0.1');
    }
  });

  it('when named volumes are mounted, then each is declared', () => {
    const declared = Object.keys(compose.volumes as Yaml);
    for (const service of Object.values(services)) {
      for (const mount of (service.volumes ?? []) as string[]) {
        const source = mount.split(':')[0] as string;
        if (!source.startsWith('.') && !source.startsWith('/')) expect(declared).toContain(source);
      }
    }
  });

  it('when Elasticsearch runs, then it is version 9, single node, with security on and a health check', () => {
    const es = serviceNamed('elasticsearch');
    expect(interpolate(String(es.image))).toMatch(/^docker\.elastic\.co\/elasticsearch\/elasticsearch:9\./);
    const env = environmentOf(es);
    expect(env['discovery.type']).toBe('single-node');
    expect(env['xpack.security.enabled']).toBe('true');
    expect(((es.healthcheck as Yaml).test as string[]).join(' ')).toContain('_cluster/health');
  });
});

describe('otel-config.yaml with docker-compose.yml', () => {
  const otelService = serviceNamed('otel-collector');
  const otelEnv = environmentOf(otelService);
  const receivers = otel.receivers as { otlp: { protocols: { grpc: Yaml; http: Yaml } } };
  const extensions = otel.extensions as Record<string, Yaml>;
  const exporters = otel.exporters as Record<string, Yaml>;
  const pipelines = (otel.service as { pipelines: Record<string, Record<string, string[]>> }).pipelines;

  it('when the collector listens, then compose publishes exactly its OTLP gRPC, OTLP HTTP and health ports', () => {
    const listening = [
      portOf(String(receivers.otlp.protocols.grpc.endpoint)),
      portOf(String(receivers.otlp.protocols.http.endpoint)),
      portOf(String(extensions.health_check?.endpoint)),
    ];
    expect(listening).toEqual([4317, 4318, 13133]);
    expect(containerPorts(otelService).sort()).toEqual([...listening].sort());
    for (const endpoint of [receivers.otlp.protocols.grpc.endpoint, receivers.otlp.protocols.http.endpoint]) {
      expect(String(endpoint)).toMatch(/^0\.0\.0\.0:/);
    }
  });

  it('when the exporter targets tooltrace, then the endpoint is the tooltrace service on its collector port, with the ingest key header', () => {
    const exporter = exporters['otlp_http/tooltrace'] as Yaml;
    const endpoint = interpolate(String(exporter.endpoint).replace(/\$\{env:/g, '${'), otelEnv);
    const url = new URL(endpoint);
    const target = serviceNamed(url.hostname);
    expect(Number(url.port)).toBe(Number(environmentOf(target).TOOLTRACE_COLLECTOR_PORT));
    expect((exporter.headers as Yaml).Authorization).toBe(`Bearer ${'$'}{env:TOOLTRACE_INGEST_KEY}`);
    expect(exporter.retry_on_failure).toMatchObject({ enabled: true });
    expect(exporter.sending_queue).toMatchObject({ enabled: true, storage: 'file_storage/queue' });
  });

  it('when the config reads environment variables, then compose sets each of them for the collector', () => {
    const names = [...read('otel-config.yaml').matchAll(/^[^#\n]*\$\{env:([A-Z0-9_]+)/gm)].map((m) => m[1]);
    expect(names.length).toBeGreaterThan(0);
    for (const name of names) expect(Object.keys(otelEnv), String(name)).toContain(name);
  });

  it('when the queue directory is configured, then it is a mounted volume and the config file is mounted where the command reads it', () => {
    const mounts = (otelService.volumes as string[]).map((m) => m.split(':'));
    expect(mounts.map(([, target]) => target)).toContain(otelEnv.OTELCOL_QUEUE_DIR);
    const configArg = (otelService.command as string[])
      .find((a) => a.startsWith('--config='))
      ?.slice('--config='.length);
    expect(mounts).toContainEqual(['./otel-config.yaml', configArg, 'ro']);
  });

  it('when pipelines are wired, then memory_limiter comes first and every component they use is defined', () => {
    const service = otel.service as { extensions: string[] };
    for (const extension of service.extensions) expect(Object.keys(extensions)).toContain(extension);
    for (const [name, pipeline] of Object.entries(pipelines)) {
      expect(pipeline.processors?.[0], name).toBe('memory_limiter');
      expect(pipeline.processors).toContain('batch');
      for (const receiver of pipeline.receivers ?? []) expect(Object.keys(otel.receivers as Yaml)).toContain(receiver);
      for (const processor of pipeline.processors ?? [])
        expect(Object.keys(otel.processors as Yaml)).toContain(processor);
      for (const exporter of pipeline.exporters ?? []) expect(Object.keys(exporters)).toContain(exporter);
    }
    expect(Object.keys(pipelines).sort()).toEqual(['logs', 'traces']);
  });

  it('when the interop test builds its collector, then it has the same release and every component type the config uses', () => {
    const image = String(otelService.image);
    const release = image.split(':').at(-1);
    const modules = ['receivers', 'processors', 'exporters', 'extensions'].flatMap((kind) =>
      ((builder[kind] ?? []) as { gomod: string }[]).map((m) => m.gomod),
    );
    // The file exporter only serves the forwarding test as a destination, never otel-config.yaml;
    // its v0.165 needs an encoding extension the module proxy does not serve, so it may lag.
    const testOnly = ['exporter/fileexporter '];
    for (const gomod of modules.filter((m) => !testOnly.some((t) => m.includes(t))))
      expect(gomod.endsWith(` v${release}`), gomod).toBe(true);
    expect((builder.dist as Yaml).version).toBe(release);
    expect(read('interop/build-collector.sh')).toContain(`OTELCOL_VERSION=${release}`);
    const moduleFor: Record<string, string> = {
      otlp: 'otlpreceiver',
      memory_limiter: 'memorylimiterprocessor',
      batch: 'batchprocessor',
      otlp_http: 'otlphttpexporter',
      file_storage: 'extension/storage',
      health_check: 'healthcheckextension',
    };
    const types = [otel.receivers, otel.processors, otel.exporters, otel.extensions].flatMap((section) =>
      Object.keys(section as Yaml).map((id) => id.split('/')[0] as string),
    );
    for (const type of new Set(types)) {
      const needle = moduleFor[type];
      expect(needle, `no module known for component type ${type}`).toBeDefined();
      expect(
        modules.some((m) => m.includes(needle as string)),
        type,
      ).toBe(true);
    }
  });
});

describe('deploy/Dockerfile', () => {
  it('when the image runs, then it exposes and defaults to the ports compose uses, and starts the CLI', () => {
    const env = environmentOf(serviceNamed('tooltrace'));
    const exposed =
      dockerfile
        .match(/^EXPOSE (.+)$/m)?.[1]
        ?.split(/\s+/)
        .map(Number) ?? [];
    const ports = [env.TOOLTRACE_COLLECTOR_PORT, env.TOOLTRACE_API_PORT, env.TOOLTRACE_GRPC_PORT].map(Number);
    expect(exposed.sort()).toEqual(ports.sort());
    expect(dockerfile).toContain('ENTRYPOINT ["node", "cli/dist/main.js"]');
    const defaults = [...dockerfile.matchAll(/(TOOLTRACE_[A-Z_]+)=/g)].map((m) => m[1]);
    for (const name of defaults) expect(Object.keys(EnvSchema.shape)).toContain(name);
  });

  it('when the image is built, then every workspace manifest is copied before npm ci', () => {
    const workspaces = (JSON.parse(read('package.json')) as { workspaces: string[] }).workspaces;
    for (const workspace of workspaces) expect(dockerfile).toContain(`COPY ${workspace}/package.json ${workspace}/`);
    expect(dockerfile.indexOf('npm ci')).toBeLessThan(dockerfile.indexOf('COPY . .'));
  });
});
