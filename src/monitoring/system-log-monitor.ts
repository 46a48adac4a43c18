import { ValidationError } from '../core/errors';

/** How a node-problem-detector system log monitor reads the node's log. */
export enum LogPlugin {
  /** The kernel ring buffer, `/dev/kmsg`. */
  KMSG = 'kmsg',
  /** The systemd journal under `/var/log/journal`, filtered by SYSLOG_IDENTIFIER. */
  JOURNALD = 'journald',
}

/** The container runtime whose restarts the container runtime monitor reports. */
export enum ContainerRuntime {
  /** containerd (the runtime of Kubernetes 1.24 and newer clusters by default). */
  CONTAINERD = 'containerd',
  /** CRI-O. */
  CRIO = 'crio',
  /** Docker Engine behind cri-dockerd. */
  DOCKER = 'docker',
}

/** A log pattern that is reported as a Kubernetes Event on the node (a temporary problem). */
export interface EventRule {
  /** The event reason, UpperCamelCase, e.g. `OOMKilling`. */
  readonly reason: string;
  /**
   * The Go (RE2) regular expression a log line must match, from its start,
   * e.g. `task \\S+:\\w+ blocked for more than \\w+ seconds\\.`.
   */
  readonly pattern: string;
}

/** A log pattern that sets a node condition (a permanent problem) until the node is repaired. */
export interface ConditionRule {
  /** The node condition type set to True, UpperCamelCase, e.g. `NFSServerUnreachable`. */
  readonly condition: string;
  /** The reason of the condition when the pattern matched, e.g. `NFSServerNotResponding`. */
  readonly reason: string;
  /** The Go (RE2) regular expression a log line must match, from its start. */
  readonly pattern: string;
  /**
   * The reason of the condition while the problem is absent.
   *
   * @default - `No` + condition, e.g. `NoNFSServerUnreachable`
   */
  readonly healthyReason?: string;
  /**
   * The message of the condition while the problem is absent.
   *
   * @default - "<condition> has not been detected"
   */
  readonly healthyMessage?: string;
}

/** Props of a custom `SystemLogMonitor`. */
export interface SystemLogMonitorProps {
  /** Name of the monitor: its `source` in events and the file name in the ConfigMap, a DNS label, e.g. `nfs-monitor`. */
  readonly name: string;
  /**
   * Where the monitor reads.
   *
   * @default LogPlugin.KMSG
   */
  readonly plugin?: LogPlugin;
  /**
   * For `LogPlugin.JOURNALD`: the SYSLOG_IDENTIFIER of the journal entries to read, e.g. `kubelet`.
   *
   * @default - required for journald, unused for kmsg
   */
  readonly journaldSource?: string;
  /**
   * How far back the monitor reads the log when it starts (a Go duration).
   *
   * @default '5m'
   */
  readonly lookback?: string;
}

interface Condition { type: string; reason: string; message: string }
interface Rule { type: 'temporary' | 'permanent'; condition?: string; reason: string; pattern: string }

const NAME = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const CAMEL = /^[A-Z][A-Za-z0-9]*$/;
const GO_DURATION = /^(\d+(\.\d*)?|\.\d+)(ns|us|µs|ms|s|m|h)((\d+(\.\d*)?|\.\d+)(ns|us|µs|ms|s|m|h))*$/;
const SYSLOG_ID = /^[A-Za-z0-9_.@-]+$/;

/**
 * One node-problem-detector system log monitor: a log source and the
 * patterns that turn its lines into node events (temporary problems) or node
 * conditions (permanent problems).
 *
 * Presets follow the upstream `config/*-monitor.json` files; add your own
 * patterns with `addEventRule` and `addConditionRule`.
 */
export class SystemLogMonitor {
  /**
   * Kernel problems from `/dev/kmsg`: OOM kills, hung tasks, oopses, memory
   * read errors as events; a kernel deadlock as the `KernelDeadlock` condition.
   */
  public static kernel(): SystemLogMonitor {
    const m = new SystemLogMonitor({ name: 'kernel-monitor' });
    m.addEventRule({ reason: 'OOMKilling', pattern: 'Kill process \\d+ (.+) score \\d+ or sacrifice child\\nKilled process \\d+ (.+) total-vm:\\d+kB, anon-rss:\\d+kB, file-rss:\\d+kB.*' });
    m.addEventRule({ reason: 'TaskHung', pattern: 'task \\S+:\\w+ blocked for more than \\w+ seconds\\.' });
    m.addEventRule({ reason: 'UnregisterNetDevice', pattern: 'unregister_netdevice: waiting for \\w+ to become free. Usage count = \\d+' });
    m.addEventRule({ reason: 'KernelOops', pattern: 'BUG: unable to handle kernel NULL pointer dereference at .*' });
    m.addEventRule({ reason: 'KernelOops', pattern: 'divide error: 0000 \\[#\\d+\\] SMP' });
    m.addEventRule({ reason: 'MemoryReadError', pattern: 'CE memory read error .*' });
    m.addConditionRule({
      condition: 'KernelDeadlock',
      healthyReason: 'KernelHasNoDeadlock',
      healthyMessage: 'kernel has no deadlock',
      reason: 'DockerHung',
      pattern: 'task docker:\\w+ blocked for more than \\w+ seconds\\.',
    });
    return m;
  }

  /** A filesystem remounted read-only by the kernel, as the `ReadonlyFilesystem` condition. */
  public static readonlyFilesystem(): SystemLogMonitor {
    const m = new SystemLogMonitor({ name: 'readonly-monitor' });
    m.addConditionRule({
      condition: 'ReadonlyFilesystem',
      healthyReason: 'FilesystemIsNotReadOnly',
      healthyMessage: 'Filesystem is not read-only',
      reason: 'FilesystemIsReadOnly',
      pattern: 'Remounting filesystem read-only',
    });
    return m;
  }

  /**
   * Restarts of the container runtime (and of the kubelet), read from the
   * systemd journal, as events (`ContainerdStart`, `KubeletStart`, …).
   *
   * @param runtime the node's container runtime
   */
  public static containerRuntime(runtime: ContainerRuntime = ContainerRuntime.CONTAINERD): SystemLogMonitor {
    const m = new SystemLogMonitor({ name: 'container-runtime-monitor', plugin: LogPlugin.JOURNALD, journaldSource: 'systemd' });
    const units: { [r: string]: [string, string] } = {
      [ContainerRuntime.CONTAINERD]: ['ContainerdStart', 'Starting (containerd container runtime|containerd.service|containerd.service - containerd container runtime)\\.\\.\\.'],
      [ContainerRuntime.CRIO]: ['CrioStart', 'Starting (Container Runtime Interface for OCI \\(CRI-O\\)|crio.service|crio.service - Container Runtime Interface for OCI \\(CRI-O\\))\\.\\.\\.'],
      [ContainerRuntime.DOCKER]: ['DockerStart', 'Starting (Docker Application Container Engine|docker.service|docker.service - Docker Application Container Engine)\\.\\.\\.'],
    };
    const [reason, pattern] = units[runtime] ?? units[ContainerRuntime.CONTAINERD];
    m.addEventRule({ reason, pattern });
    m.addEventRule({ reason: 'KubeletStart', pattern: 'Started (Kubernetes kubelet|kubelet.service|kubelet.service - Kubernetes kubelet)\\.' });
    return m;
  }

  /**
   * A monitor of your own: add its patterns with `addEventRule` and `addConditionRule`.
   */
  public static custom(props: SystemLogMonitorProps): SystemLogMonitor {
    return new SystemLogMonitor(props);
  }

  /** Name of the monitor (`source` of its events, `<name>.json` in the ConfigMap). */
  public readonly name: string;
  /** Where it reads. */
  public readonly plugin: LogPlugin;
  private readonly journaldSource?: string;
  private readonly lookback: string;
  private readonly conditions: Condition[] = [];
  private readonly rules: Rule[] = [];

  private constructor(props: SystemLogMonitorProps) {
    this.name = this.check('name', props.name, typeof props.name === 'string' && props.name.length <= 58 && NAME.test(props.name),
      'is not a valid monitor name: a DNS label of at most 58 characters (it becomes "<name>.json"), e.g. "nfs-monitor"');
    this.plugin = props.plugin ?? LogPlugin.KMSG;
    this.lookback = this.check('lookback', props.lookback ?? '5m', GO_DURATION.test(props.lookback ?? '5m'),
      'is not a Go duration: a sequence of numbers with units ns, us, ms, s, m or h, e.g. "5m" or "1h30m"');
    if (this.plugin === LogPlugin.JOURNALD) {
      this.journaldSource = this.check('journaldSource', props.journaldSource ?? '', SYSLOG_ID.test(props.journaldSource ?? ''),
        'must name the SYSLOG_IDENTIFIER to read for a journald monitor, e.g. "kubelet"');
    }
  }

  /** The Kubernetes node condition types this monitor can set. */
  public get conditionTypes(): string[] {
    return this.conditions.map(c => c.type);
  }

  /** The event reasons and condition reasons of this monitor's rules, in order. */
  public get ruleReasons(): string[] {
    return this.rules.map(r => r.reason);
  }

  /**
   * Report log lines matching `pattern` as a node Event with the given reason
   * (a temporary problem).
   */
  public addEventRule(rule: EventRule): SystemLogMonitor {
    const i = this.rules.length;
    this.checkReason(`rules[${i}].reason`, rule.reason);
    this.rules.push({ type: 'temporary', reason: rule.reason, pattern: this.checkPattern(`rules[${i}].pattern`, rule.pattern) });
    return this;
  }

  /**
   * Set the node condition `condition` to True when a log line matches
   * `pattern` (a permanent problem, cleared when node-problem-detector restarts
   * on a repaired node).
   */
  public addConditionRule(rule: ConditionRule): SystemLogMonitor {
    const i = this.rules.length;
    this.checkReason(`rules[${i}].condition`, rule.condition);
    this.checkReason(`rules[${i}].reason`, rule.reason);
    const pattern = this.checkPattern(`rules[${i}].pattern`, rule.pattern);
    if (!this.conditions.some(c => c.type === rule.condition)) {
      const healthyReason = rule.healthyReason ?? `No${rule.condition}`;
      this.checkReason(`rules[${i}].healthyReason`, healthyReason);
      this.conditions.push({ type: rule.condition, reason: healthyReason, message: rule.healthyMessage ?? `${rule.condition} has not been detected` });
    }
    this.rules.push({ type: 'permanent', condition: rule.condition, reason: rule.reason, pattern });
    return this;
  }

  /** The monitor's JSON configuration, as node-problem-detector reads it. */
  public toJson(): any {
    return {
      plugin: this.plugin,
      ...(this.journaldSource ? { pluginConfig: { source: this.journaldSource } } : {}),
      logPath: this.plugin === LogPlugin.JOURNALD ? '/var/log/journal' : '/dev/kmsg',
      lookback: this.lookback,
      bufferSize: 10,
      source: this.name,
      metricsReporting: true,
      conditions: this.conditions.map(c => ({ ...c })),
      rules: this.rules.map(r => ({ ...r })),
    };
  }

  private check<T>(field: string, value: T, ok: boolean, reason: string): T {
    if (!ok) {
      const path = `SystemLogMonitor ${this.name ?? '(unnamed)'}`;
      throw ValidationError.unscoped(path, field, value, reason);
    }
    return value;
  }

  private checkReason(field: string, value: string): string {
    return this.check(field, value, typeof value === 'string' && value.length <= 128 && CAMEL.test(value),
      'must be UpperCamelCase letters and digits (at most 128), e.g. "NFSServerNotResponding"');
  }

  private checkPattern(field: string, value: string): string {
    const problem = goRegExpProblem(value);
    return this.check(field, value, problem === undefined, `is not a usable Go (RE2) regular expression: ${problem}`);
  }
}

/**
 * Why `pattern` is not a valid RE2 regular expression, or undefined. RE2 has
 * no backreferences or lookaround; the rest is checked by compiling it as a
 * JavaScript RegExp after translating RE2-only syntax (inline flags, \A, \z).
 */
function goRegExpProblem(pattern: string): string | undefined {
  if (typeof pattern !== 'string' || pattern === '') return 'it must not be empty';
  if (/\(\?<?[=!]/.test(pattern)) return 'RE2 has no lookahead or lookbehind';
  if (/(^|[^\\])(\\\\)*\\[1-9]/.test(pattern)) return 'RE2 has no backreferences';
  const translated = pattern
    .replace(/\(\?[imsU]+\)/g, '')
    .replace(/\(\?[imsU]*-?[imsU]*:/g, '(?:')
    .replace(/\(\?P</g, '(?<')
    .replace(/\\A/g, '^')
    .replace(/\\z/g, '$');
  try {
    new RegExp(translated);
    return undefined;
  } catch (e) {
    return (e as Error).message.replace(/^Invalid regular expression: /, '').replace(/^\/.*\/: /, '');
  }
}
